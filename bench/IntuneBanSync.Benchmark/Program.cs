using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using IntuneBanSync.BanList;
using IntuneBanSync.Graph;
using IntuneBanSync.Journal;
using IntuneBanSync.Sweeps;
using IntuneBanSync.TenantSimulator.Azurite;

// A sweep of a large simulated tenant (report, or enforce with --enforce), measured: Graph requests, wall time, peak memory of this process.
// The simulator runs in its own process so its data does not count against the sweep's memory.
var devices = args.Length > 1 && args[0] == "--devices" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
var enforce = args.Contains("--enforce");

await using var azurite = await AzuriteServer.StartAsync();
using var simulator = StartSimulator(devices, out var graphUrl);
try
{
    var seedNow = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
    var banList = BanListParser.Parse($$"""
        {"version":1,"bans":[{"id":"tiktok","name":"TikTok","apps":{"displayNames":["TikTok","TikTok Lite"],"ios":["com.zhiliaoapp.musically"],"android":["com.zhiliaoapp.musically"],"windows":["9NH2GPH4JZS4"]},
          "scope":{"ownership":["company","personal"],"platforms":["ios","android","windows","macos"]},
          "effectiveFrom":"2026-10-01T00:00:00Z","uninstallBy":"2026-11-01T00:00:00Z","expiresOn":"2027-04-01T00:00:00Z",
          "blastRadius":{"maxDevices":1000000,"maxPercent":100} }]}
        """).Document!;
    var options = new GraphOptions { BaseUrl = graphUrl };
    var settings = new SweepSettings { MaxNewEnforcementsPerSweep = 1_000_000 };
    var engine = SweepEngine.Over(options, new JournalStore(TableServiceFactory.Create(azurite.ConnectionString), "bench"), new FixedClock(seedNow), settings);

    GC.Collect();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    var phases = new PhaseClock(clock);
    var report = await engine.RunAsync(new SweepRequest(banList, "bench", "benchmark", SweepTarget.WholeTenant, enforce ? EnforcementMode.Enforce : EnforcementMode.Report), phases, CancellationToken.None);
    clock.Stop();
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var peak = Process.GetCurrentProcess().PeakWorkingSet64;

    using var http = new HttpClient();
    var stats = JsonNode.Parse(await http.GetStringAsync(new Uri(new Uri(graphUrl), "/_sim/stats")))!;

    Console.WriteLine($"devices in tenant        {devices:N0}");
    Console.WriteLine($"mode / status            {report.Mode} / {report.Status}");
    Console.WriteLine($"newly enforced           {report.Enforcement.NewlyEnforced:N0} (writes journaled: {report.Writes.Count:N0})");
    Console.WriteLine($"devices evaluated        {report.DevicesEvaluated:N0}");
    Console.WriteLine($"offending / people       {report.OffendingDevices:N0} / {report.AffectedPeople:N0}");
    Console.WriteLine($"unverified / clean       {report.UnverifiedDevices:N0} / {report.CleanDevices:N0}");
    Console.WriteLine($"graph reads / writes     {stats["reads"]} / {stats["writes"]} (throttled {stats["throttled"]})");
    Console.WriteLine($"wall time                {clock.Elapsed.TotalSeconds:F1} s");
    foreach (var (phase, started) in phases.Starts)
        Console.WriteLine($"  phase from {started.TotalSeconds,6:F1} s  {phase}");
    Console.WriteLine($"peak working set         {peak / 1024.0 / 1024.0:F0} MiB (whole benchmark process)");
    Console.WriteLine($"allocated during sweep   {allocated / 1024.0 / 1024.0:F0} MiB");
    return report.Status == SweepStatus.Completed ? 0 : 3;
}
finally
{
    simulator.Kill(entireProcessTree: true);
    await simulator.WaitForExitAsync();
}

static Process StartSimulator(int devices, out string graphUrl)
{
    var dll = Path.Combine(AppContext.BaseDirectory, "IntuneBanSync.TenantSimulator.dll");
    var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "--devices", devices.ToString(CultureInfo.InvariantCulture)])
    {
        RedirectStandardOutput = true,
        UseShellExecute = false,
    })!;
    var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The simulator exited before it listened.");
    graphUrl = line.StartsWith("Graph: ", StringComparison.Ordinal) ? line["Graph: ".Length..] : throw new InvalidOperationException(line);
    return process;
}

internal sealed class PhaseClock(Stopwatch clock) : IProgress<SweepProgress>
{
    public List<(SweepPhase Phase, TimeSpan Started)> Starts { get; } = [];

    public void Report(SweepProgress value)
    {
        if (Starts.Count == 0 || Starts[^1].Phase != value.Phase)
            Starts.Add((value.Phase, clock.Elapsed));
    }
}

internal sealed class FixedClock(DateTimeOffset start) : TimeProvider
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => start + Stopwatch.GetElapsedTime(_started);
}
