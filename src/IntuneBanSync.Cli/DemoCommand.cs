using System.CommandLine;
using Azure.Data.Tables;
using IntuneBanSync.BanList;
using IntuneBanSync.Graph;
using IntuneBanSync.Journal;
using IntuneBanSync.Reports;
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
        console.Write(new Rule("[bold]IntuneBanSync demo[/]: a simulated tenant, swept in report mode"));

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
        var journal = new JournalStore(new TableServiceClient(azurite.ConnectionString), "demo");
        var engine = SweepEngine.Over(graphOptions, journal, TimeProvider.System);

        SweepReport? report = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Sweeping (report mode)").IsIndeterminate();
                var progress = new Progress<SweepProgress>(p => task.Description = $"{p.Phase}: {p.Done:N0}");
                report = await engine.RunAsync(new SweepRequest(banList, "demo", "demo", SweepTarget.WholeTenant), progress, ct);
                task.Description = "Sweep done";
                task.StopTask();
            });

        ReportRenderer.Render(report!, console);
        var findings = new List<Finding>();
        await foreach (var finding in journal.GetFindingsAsync("demo", report!.RunId, ct))
            findings.Add(finding);
        ReportRenderer.RenderOffenders(findings, console);
        console.MarkupLine($"Graph requests: {tenant.Requests.Snapshot().Reads:N0} reads, {tenant.Requests.Snapshot().Writes:N0} writes.");
        return ExitCodes.Of(report!.Status);
    }
}
