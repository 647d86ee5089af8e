using IntuneBanSync.TenantSimulator;

namespace IntuneBanSync.Benchmark;

/// <summary>The printed tables (markdown, so docs/benchmarks.md takes them as printed) and the throttle floor they use.</summary>
internal static class Tables
{
    /// <summary>
    /// The least time a run's own requests take under the per-app limits: reads / (2000 per 20 s) + device writes / (200 per 20 s)
    /// + app writes / (100 per 20 s) + directory writes / (300 per 20 s, the simulator's Entra limit), windows scaled by the time factor.
    /// </summary>
    public static double FloorSeconds(RequestLogSnapshot s, BenchArguments a) =>
        ((s.Reads / 2000.0) + (s.WritesOf("devices") / 200.0) + (s.WritesOf("apps") / 100.0) + (s.WritesOf("directory") / 300.0)) * a.Window.TotalSeconds;

    /// <summary>What the latency model charges if every round trip waited for the one before: round trips × latency + items × per-item latency.</summary>
    public static double SequentialSeconds(RequestLogSnapshot s, BenchArguments a) =>
        (s.RoundTrips * a.Latency.TotalSeconds) + (s.ItemsReturned * a.LatencyPerItem.TotalSeconds);

    public static bool LatencyOn(BenchArguments a) => a.Latency > TimeSpan.Zero || a.LatencyPerItem > TimeSpan.Zero;

    public static void Print(TextWriter o, BenchArguments a, int devices, IReadOnlyList<RunResult> runs)
    {
        o.WriteLine();
        o.WriteLine(Inv($"### {devices:N0} devices, {a.OffenderShare:P0} carrying the banned app; time factor {a.TimeFactor} (window {a.Window.TotalSeconds:0.##} s); latency {a.Latency.TotalMilliseconds:0} ms + {a.LatencyPerItem.TotalMilliseconds:0.###} ms/item"));
        o.WriteLine();
        o.WriteLine("| | " + string.Join(" | ", runs.Select(r => r.Name)) + " |");
        o.WriteLine("|---|" + string.Join("", runs.Select(_ => "---:|")));
        Row(o, "outcome", runs, r => r.Outcome);
        foreach (var service in runs.SelectMany(r => r.Graph.ByService.Keys).Distinct().Order(StringComparer.Ordinal))
            Row(o, $"{service}: reads / writes / 429", runs, r => r.Graph.ByService.GetValueOrDefault(service) is { } s ? Inv($"{s.Reads:N0} / {s.Writes:N0} / {s.Throttled:N0}") : "–");
        Row(o, "Graph requests (inner counted)", runs, r => Inv($"{r.Graph.Requests:N0}"));
        Row(o, "HTTP round trips ($batch = 1)", runs, r => Inv($"{r.Graph.RoundTrips:N0} ({r.Graph.Batches:N0} batches)"));
        Row(o, "429s received", runs, r => Inv($"{r.Graph.Throttled:N0}"));
        if (runs.FirstOrDefault(r => r.IsBaseline) is { } baseline)
            Row(o, "requests / baseline's", runs, r => Inv($"{100.0 * r.Graph.Requests / Math.Max(1, baseline.Graph.Requests):0.00} %"));
        Row(o, "wall", runs, r => Inv($"{r.Wall.TotalSeconds:0.0} s"));
        Row(o, "throttle floor", runs, r => Inv($"{FloorSeconds(r.Graph, a):0.0} s"));
        Row(o, "wall / floor", runs, r => Inv($"{r.Wall.TotalSeconds / Math.Max(0.001, FloorSeconds(r.Graph, a)):0.00}"));
        if (LatencyOn(a))
        {
            Row(o, "sequential cost", runs, r => Inv($"{SequentialSeconds(r.Graph, a):0.0} s"));
            Row(o, "wall / sequential cost", runs, r => Inv($"{r.Wall.TotalSeconds / Math.Max(0.001, SequentialSeconds(r.Graph, a)):0.00}"));
        }

        Row(o, "CPU: ours / simulator / Azurite", runs, r => Inv($"{r.Cpu.Ours.TotalSeconds:0.0} / {r.Cpu.Simulator.TotalSeconds:0.0} / {r.Cpu.Azurite.TotalSeconds:0.0} s"));
        Row(o, "ours: JIT compiling / GC pauses", runs, r => Inv($"{r.Jit.TotalSeconds:0.0} / {r.GcPauses.TotalSeconds:0.0} s"));
        Row(o, "peak working set", runs, r => Inv($"{r.PeakWorkingSet / 1048576.0:0} MiB"));
        Row(o, "allocated", runs, r => Inv($"{r.Allocated / 1048576.0:0} MiB"));
        Row(o, "table transactions / floor", runs, r => Inv($"{r.Tables.Transactions:N0} / {r.Tables.Floor:N0}"));
        Row(o, "table rows written", runs, r => Inv($"{r.Tables.Rows:N0}"));
        Row(o, "partitions / most rows in one", runs, r => Inv($"{r.Tables.RowsByPartition.Count:N0} / {r.Tables.MaxRowsInAPartition:N0}"));
        o.WriteLine();
        o.WriteLine("Requests by kind (inner requests of a batch counted one by one):");
        o.WriteLine();
        o.WriteLine("| kind | " + string.Join(" | ", runs.Select(r => r.Name)) + " |");
        o.WriteLine("|---|" + string.Join("", runs.Select(_ => "---:|")));
        foreach (var kind in runs.SelectMany(r => r.Graph.ByKind.Keys).Distinct().Order(StringComparer.Ordinal))
            Row(o, $"`{kind}`", runs, r => r.Graph.ByKind.TryGetValue(kind, out var n) ? Inv($"{n:N0}") : "–");
        o.WriteLine();
        o.WriteLine("Table rows and transactions by table and partition:");
        o.WriteLine();
        o.WriteLine("| table/partition | " + string.Join(" | ", runs.Select(r => r.Name)) + " |");
        o.WriteLine("|---|" + string.Join("", runs.Select(_ => "---:|")));
        foreach (var partition in runs.SelectMany(r => r.Tables.RowsByPartition.Keys).Distinct().Order(StringComparer.Ordinal).Take(40))
            Row(o, $"`{partition}`", runs, r => r.Tables.RowsByPartition.TryGetValue(partition, out var rows)
                ? Inv($"{rows:N0} rows in {r.Tables.TransactionsByPartition.GetValueOrDefault(partition):N0}")
                : "–");
        o.WriteLine();
    }

    private static void Row(TextWriter o, string label, IReadOnlyList<RunResult> runs, Func<RunResult, string> cell) =>
        o.WriteLine($"| {label} | " + string.Join(" | ", runs.Select(cell)) + " |");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The checks the benchmark exits non-zero on (CI runs them on --quick), and the targets, printed.</summary>
internal static class Gates
{
    public static IReadOnlyList<string> Check(BenchArguments a, int devices, IReadOnlyList<RunResult> runs)
    {
        var failures = new List<string>();
        var report = runs.First(r => r.Name == SideBySide.Report);
        if (runs.FirstOrDefault(r => r.IsBaseline) is { } baseline)
        {
            var share = (double)report.Graph.Requests / Math.Max(1, baseline.Graph.Requests);
            if (share > 0.01)
                failures.Add(Inv($"{devices:N0} devices: report-mode requests {report.Graph.Requests:N0} are {share:P2} of the baseline's {baseline.Graph.Requests:N0} (at most 1 %)"));
        }

        // The report sweep's journal: ⌈rows / 100⌉ per partition, plus one for the run row, saved when the sweep opens (so a crash
        // leaves it "running") and again when it closes. Enforce sweeps are printed, not gated: every write's intent row goes to
        // the audit before the write (ARCHITECTURE.md), one transaction each.
        foreach (var run in runs.Where(r => r.Name is SideBySide.Report or SideBySide.ColdReport && r.Tables.Transactions > r.Tables.Floor + 1))
            failures.Add(Inv($"{devices:N0} devices, {run.Name}: {run.Tables.Transactions:N0} table transactions for {run.Tables.Rows:N0} rows, above the floor of {run.Tables.Floor:N0} (⌈rows / 100⌉ per partition) + 1 (the run row saved twice)"));

        return failures;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
