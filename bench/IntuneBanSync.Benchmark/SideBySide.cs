using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime;
using System.Text.Json;
using Azure.Data.Tables;
using IntuneBanSync.BanList;
using IntuneBanSync.Graph;
using IntuneBanSync.Inventory;
using IntuneBanSync.Journal;
using IntuneBanSync.Sweeps;
using IntuneBanSync.TenantSimulator;

namespace IntuneBanSync.Benchmark;

/// <summary>What one measured run cost.</summary>
internal sealed record RunResult(
    string Name, TimeSpan Wall, RequestLogSnapshot Graph, long PeakWorkingSet, long Allocated, TableCounts Tables, string Outcome, int Offending, ProcessorTimes Cpu,
    TimeSpan Jit, TimeSpan GcPauses)
{
    public bool IsBaseline => Name.StartsWith("baseline", StringComparison.Ordinal);
}

/// <summary>CPU time during a run, by process: the sweep's, and the stand-ins' for Graph and Table Storage, which share its cores here.</summary>
internal readonly record struct ProcessorTimes(TimeSpan Ours, TimeSpan Simulator, TimeSpan Azurite)
{
    public static ProcessorTimes operator -(ProcessorTimes after, ProcessorTimes before) =>
        new(after.Ours - before.Ours, after.Simulator - before.Simulator, after.Azurite - before.Azurite);
}

/// <summary>One tenant size: the simulator in its own process, then our sweeps and the baseline one after the other, each with fresh counters.</summary>
internal static class SideBySide
{
    public const string ColdReport = "ours report, cold process";
    public const string Report = "ours report";

    private static readonly DateTimeOffset SeedNow = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    public static async Task<IReadOnlyList<RunResult>> RunAsync(BenchArguments arguments, int devices, string storage, Func<TimeSpan> azuriteCpu)
    {
        using var simulator = Simulator.Start(arguments, devices);
        try
        {
            ProcessorTimes Cpu() => new(Process.GetCurrentProcess().TotalProcessorTime, simulator.ProcessorTime, azuriteCpu());
            using var http = new HttpClient();
            var sim = new SimClient(http, simulator.GraphUrl);
            var banList = BanListParser.Parse("""
                {"version":1,"bans":[{"id":"tiktok","name":"TikTok","apps":{"displayNames":["TikTok","TikTok Lite"],"ios":["com.zhiliaoapp.musically"],"android":["com.zhiliaoapp.musically"],"windows":["9NH2GPH4JZS4"]},
                  "scope":{"ownership":["company","personal"],"platforms":["ios","android","windows","macos"]},
                  "effectiveFrom":"2026-10-01T00:00:00Z","uninstallBy":"2026-11-01T00:00:00Z","expiresOn":"2027-04-01T00:00:00Z",
                  "blastRadius":{"maxDevices":1000000,"maxPercent":100} }]}
                """).Document!;
            var prefix = $"b{devices.ToString(CultureInfo.InvariantCulture)}x{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
            // The first sweep of a fresh process pays for compiling the code it runs (seconds of JIT on two shared cores, whatever the
            // tenant's size); an instance that has swept before does not. Both are printed: the cold one in its own journal, then the
            // warm one, which the targets and gates read, in the journal the enforce sweeps continue.
            var results = new List<RunResult>
            {
                await MeasureAsync(ColdReport, arguments, sim, Cpu, storage, prefix + "cold", SweepAsync(arguments, simulator.GraphUrl, banList, EnforcementMode.Report)),
                await MeasureAsync(Report, arguments, sim, Cpu, storage, prefix, SweepAsync(arguments, simulator.GraphUrl, banList, EnforcementMode.Report)),
            };
            if (arguments.Enforce)
            {
                results.Add(await MeasureAsync("ours enforce", arguments, sim, Cpu, storage, prefix, SweepAsync(arguments, simulator.GraphUrl, banList, EnforcementMode.Enforce)));
                results.Add(await MeasureAsync("ours enforce again", arguments, sim, Cpu, storage, prefix, SweepAsync(arguments, simulator.GraphUrl, banList, EnforcementMode.Enforce)));
            }

            if (arguments.Baseline)
                results.Add(await MeasureAsync("baseline report", arguments, sim, Cpu, storage, prefix, BaselineAsync(arguments, simulator.GraphUrl, banList)));
            return results;
        }
        finally
        {
            simulator.Stop();
        }
    }

    private delegate Task<(string Outcome, int Offending)> Run(JournalStore journal);

    private static async Task<RunResult> MeasureAsync(string name, BenchArguments arguments, SimClient sim, Func<ProcessorTimes> cpu, string storage, string prefix, Run run)
    {
        // Each run starts in fresh throttling windows, as a sweep an hour after the last would.
        await Task.Delay(arguments.Window + TimeSpan.FromMilliseconds(200));
        var tables = new TableCounter();
        var journal = new JournalStore(tables.Client(storage), prefix);
        await sim.ResetAsync();
        // The heap the last run left is returned to the system before this one starts, as hours between two sweeps would: a plain
        // collection frees it but keeps it resident, and this run's peak would count the last run's high-water mark.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        PeakMemory.Reset();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = cpu();
        var jitBefore = JitInfo.GetCompilationTime();
        var pausesBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        var (outcome, offending) = await run(journal);
        clock.Stop();
        var cpuUsed = cpu() - cpuBefore;
        var jit = JitInfo.GetCompilationTime() - jitBefore;
        var pauses = GC.GetTotalPauseDuration() - pausesBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var peak = PeakMemory.Read();
        var stats = await sim.StatsAsync();
        return new RunResult(name, clock.Elapsed, stats, peak, allocated, tables.Counts(), outcome, offending, cpuUsed, jit, pauses);
    }

    private static GraphOptions OursOptions(BenchArguments arguments, string graphUrl) =>
        new() { BaseUrl = graphUrl, PacingWindowSeconds = arguments.Window.TotalSeconds };

    private static Run SweepAsync(BenchArguments arguments, string graphUrl, BanListDocument banList, EnforcementMode mode) =>
        async journal =>
        {
            var settings = new SweepSettings { MaxNewEnforcementsPerSweep = 1_000_000 };
            var engine = SweepEngine.Over(OursOptions(arguments, graphUrl), journal, new RunningClock(SeedNow), settings, arguments.Timings ? new StepLogger() : null);
            var report = await engine.RunAsync(new SweepRequest(banList, "bench", "benchmark", SweepTarget.WholeTenant, mode), null, CancellationToken.None);
            return ($"{report.Status.ToString().ToLowerInvariant()}, {report.OffendingDevices:N0} offending, {report.Enforcement.NewlyEnforced:N0} newly enforced, {report.Writes.Count:N0} writes", report.OffendingDevices);
        };

    /// <summary>
    /// The per-device approach of community scripts: list the managed devices, then each device's beta detectedApps, four at a time,
    /// through the SDK's request adapter over GraphClientFactory's handlers (its retry handler honours Retry-After); no pacing.
    /// A device counts as carrying the ban when one of its apps matches by name (no scope, no coverage rules).
    /// </summary>
    private static Run BaselineAsync(BenchArguments arguments, string graphUrl, BanListDocument banList) =>
        async _ =>
        {
            var options = new GraphOptions { BaseUrl = graphUrl, Pacing = false };
            var graph = new GraphIntune(GraphClientBuilder.Create(options), options);
            var matcher = new AppNameMatcher(banList);
            var carrying = 0;
            var failed = 0;
            await Parallel.ForEachAsync(graph.ManagedDevicesAsync(CancellationToken.None), new ParallelOptions { MaxDegreeOfParallelism = arguments.BaselineConcurrency }, async (device, ct) =>
            {
                try
                {
                    var hit = false;
                    await foreach (var app in graph.DetectedAppsOfDeviceAsync(device.Id, ct))
                        hit |= matcher.BansMatching(app.DisplayName).Count > 0;
                    if (hit)
                        Interlocked.Increment(ref carrying);
                }
                catch (GraphReadException)
                {
                    Interlocked.Increment(ref failed);
                }
            });
            return ($"{carrying:N0} devices carry a banned app, {failed:N0} device lists unread", carrying);
        };

    /// <summary>The engine's Debug lines (each step and how long it took) on standard error, for <c>--timings</c>.</summary>
    private sealed class StepLogger : Microsoft.Extensions.Logging.ILogger<SweepEngine>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(
            Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Console.Error.WriteLine($"  [{logLevel}] {formatter(state, exception)}");
    }

    /// <summary>The tenant's clock: the seed's date, moving at wall speed.</summary>
    private sealed class RunningClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => start + Stopwatch.GetElapsedTime(_started);
    }
}

/// <summary>The simulator's process.</summary>
internal sealed class Simulator(Process process, string graphUrl) : IDisposable
{
    public string GraphUrl { get; } = graphUrl;

    public static Simulator Start(BenchArguments arguments, int devices)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "IntuneBanSync.TenantSimulator.dll");
        string[] args =
        [
            dll, "--devices", devices.ToString(CultureInfo.InvariantCulture),
            "--time-factor", arguments.TimeFactor.ToString(CultureInfo.InvariantCulture),
            "--latency-ms", arguments.Latency.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
            "--latency-per-item-ms", arguments.LatencyPerItem.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
            "--offender-share", arguments.OffenderShare.ToString(CultureInfo.InvariantCulture),
        ];
        var process = Process.Start(new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The simulator exited before it listened.");
        var url = line.StartsWith("Graph: ", StringComparison.Ordinal) ? line["Graph: ".Length..] : throw new InvalidOperationException(line);
        return new Simulator(process, url);
    }

    public TimeSpan ProcessorTime
    {
        get
        {
            process.Refresh();
            return process.HasExited ? TimeSpan.Zero : process.TotalProcessorTime;
        }
    }

    public void Stop()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose() => process.Dispose();
}

/// <summary>The simulator's request log, over its /_sim endpoints.</summary>
internal sealed class SimClient(HttpClient http, string graphUrl)
{
    private readonly Uri _root = new(new Uri(graphUrl), "/");

    public async Task ResetAsync() => (await http.PostAsync(new Uri(_root, "_sim/stats/reset"), null)).EnsureSuccessStatusCode();

    public async Task<RequestLogSnapshot> StatsAsync() =>
        (await http.GetFromJsonAsync<RequestLogSnapshot>(new Uri(_root, "_sim/stats"), JsonSerializerOptions.Web))!;
}

/// <summary>Graph requests as the simulator counted them: a batch's inner requests one by one (as throttling counts them), and the envelopes.</summary>
internal static class RequestCounts
{
    extension(RequestLogSnapshot stats)
    {
        public long Requests => stats.Reads + stats.Writes;

        public long RoundTrips => stats.Reads + stats.Writes - stats.Batched + stats.Batches;

        public long WritesOf(string service) => stats.ByService.GetValueOrDefault(service)?.Writes ?? 0;
    }
}

/// <summary>Peak resident memory of this process since the last reset (Linux: VmHWM, reset through clear_refs).</summary>
internal static class PeakMemory
{
    public static void Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static long Read()
    {
        foreach (var line in File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status") : [])
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }

        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
