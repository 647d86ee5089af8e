using IntuneBanSync.BanList;
using IntuneBanSync.Sweeps;
using IntuneBanSync.TenantSimulator;
using IntuneBanSync.TenantSimulator.Azurite;
using Spectre.Console;

namespace IntuneBanSync.Cli;

/// <summary>`ibs demo`: a simulated tenant and Azurite, started here, swept in report mode. No Azure account needed.</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var devices = new Option<int>("--devices") { Description = "Devices in the simulated tenant", DefaultValueFactory = _ => 2000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated tenant", DefaultValueFactory = _ => 42 };
        var command = new Command("demo", "Start a simulated Intune tenant and Azurite, sweep it, and print the report.") { devices, seed };
        command.SetAction(async (parsed, ct) =>
        {
            var count = parsed.GetValue(devices);
            if (count is < 10 or > 100_000)
            {
                await stderr.WriteLineAsync("error: --devices: must be between 10 and 100000.");
                return ExitCodes.InvalidInput;
            }

            return await RunAsync(count, parsed.GetValue(seed), stdout, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(int deviceCount, int seed, TextWriter stdout, CancellationToken ct)
    {
        var console = ReportRenderer.ConsoleFor(stdout);
        console.Write(new Rule("[bold]IntuneBanSync demo[/]: a simulated tenant, from report to enforcement"));

        await using var azurite = await console.Status().StartAsync("Starting Azurite (Table Storage emulator)…", _ => AzuriteServer.StartAsync(ct));
        var tenantSeed = TenantSeed.Sized(deviceCount, seed) with { Now = TimeProvider.System.GetUtcNow() };
        await using var tenant = await console.Status().StartAsync(
            $"Starting a simulated Intune tenant with {deviceCount:N0} devices…",
            _ => SimulatedTenant.StartAsync(tenantSeed, null, ct));
        console.MarkupLine($"Simulated Graph at [link]{tenant.GraphUrl}[/], Azurite tables on port {azurite.TablePort}.");

        var banListJson = SampleBanList.TikTok(tenant.State, tenantSeed.Now);
        var banListPath = Path.Combine(Path.GetTempPath(), $"ibs-demo-banlist-{seed}.json");
        await File.WriteAllTextAsync(banListPath, banListJson, ct);
        var banList = BanListParser.Parse(banListJson).Document ?? throw new InvalidOperationException("The demo ban list is invalid.");
        console.MarkupLine($"Ban list: [bold]{banListPath}[/] (TikTok, police excluded, one exemption group, uninstall deadline passed).");

        var graphOptions = new GraphOptions { BaseUrl = tenant.GraphUrl };
        var journal = new JournalStore(TableServiceFactory.Create(azurite.ConnectionString), "demo");
        var engine = SweepEngine.Over(graphOptions, journal, TimeProvider.System);

        // 1. Report: what the ban affects, before anything is written.
        console.Write(new Rule("[bold]1. Report sweep[/]: nothing is written to the tenant"));
        var report = await SweepWithProgressAsync(console, engine, new SweepRequest(banList, "demo", "demo", SweepTarget.WholeTenant), "report", ct);
        ReportRenderer.Render(report, console);
        var findings = new List<Finding>();
        await foreach (var finding in journal.GetFindingsAsync("demo", report.RunId, ct))
            findings.Add(finding);
        ReportRenderer.RenderOffenders(findings, console);
        var steps = new List<(string Step, SweepReport Report, long Writes)> { ("1. report", report, tenant.Requests.Snapshot().Writes) };

        // 2. Enforce: offending devices into the uninstall group, the app's uninstall assignment added.
        console.Write(new Rule("[bold]2. Enforce sweep[/]: offending devices past the deadline join the uninstall group"));
        var enforce = new SweepRequest(banList, "demo", "demo", SweepTarget.WholeTenant, EnforcementMode.Enforce);
        var enforced = await SweepWithProgressAsync(console, engine, enforce, "enforce", ct);
        ReportRenderer.Render(enforced, console);
        steps.Add(("2. enforce", enforced, tenant.Requests.Snapshot().Writes - steps.Sum(s => s.Writes)));

        // 3. Devices check in: Intune uninstalls what it installed; user-installed copies stay.
        console.Write(new Rule("[bold]3. Devices check in[/] (simulated): Intune removes the copies it installed"));
        var removed = tenant.CheckInAll();
        console.MarkupLine($"{removed.RemovedApps.Count:N0} managed TikTok installs removed by the uninstall assignment.");
        var before = tenant.Requests.Snapshot().Writes;

        // 4. Sweep again: managed installs resolved; what uninstall cannot reach is named, with its route.
        console.Write(new Rule("[bold]4. Sweep after check-in[/]: resolved devices, and copies uninstall cannot reach"));
        var after = await SweepWithProgressAsync(console, engine, enforce, "enforce", ct);
        ReportRenderer.Render(after, console);
        steps.Add(("4. after check-in", after, tenant.Requests.Snapshot().Writes - before));
        ReportRenderer.RenderLifecycle(steps, console);
        ReportRenderer.RenderReach(after, console);
        return ExitCodes.Of(after.Status);
    }

    private static async Task<SweepReport> SweepWithProgressAsync(IAnsiConsole console, SweepEngine engine, SweepRequest request, string mode, CancellationToken ct)
    {
        // Spectre's non-interactive renderer prints a percentage whatever the columns; a sweep has no total to take one of.
        if (!console.Profile.Capabilities.Interactive)
        {
            var lines = new PhaseLines(console);
            console.MarkupLine($"Sweeping ({mode} mode)…");
            var swept = await engine.RunAsync(request, lines, ct);
            lines.Finish();
            return swept;
        }

        SweepReport? report = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"Sweeping ({mode} mode)").IsIndeterminate();
                var progress = new Counts(p => task.Description = Markup.Escape(Describe(p)));
                report = await engine.RunAsync(request, progress, ct);
                task.Description = "Sweep done";
                task.StopTask();
            });
        return report!;
    }

    private static string Describe(SweepProgress progress) => $"{progress.Phase}: {progress.Done:N0}";

    /// <summary>Reported on the sweep's own thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Counts(Action<SweepProgress> show) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => show(value);
    }

    /// <summary>Redirected output: one line per phase, with its count, once the phase is over.</summary>
    private sealed class PhaseLines(IAnsiConsole console) : IProgress<SweepProgress>
    {
        private SweepProgress? _last;

        public void Report(SweepProgress value)
        {
            if (_last is { } last && last.Phase != value.Phase)
                console.WriteLine("  " + Describe(last));
            _last = value;
        }

        public void Finish()
        {
            if (_last is { } last)
                console.WriteLine("  " + Describe(last));
            _last = null;
        }
    }
}
