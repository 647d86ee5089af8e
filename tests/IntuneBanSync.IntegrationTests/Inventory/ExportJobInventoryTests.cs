using IntuneBanSync.IntegrationTests.Enforcement.Uninstall;

namespace IntuneBanSync.IntegrationTests.Inventory;

/// <summary>The inventory read from Intune's AppInvRawData export job, over HTTP against the simulated tenant's exportJobs.</summary>
public sealed class ExportJobInventoryTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    private static readonly SweepSettings ExportJob = new() { InventorySource = InventorySourceKind.ExportJob };

    [Fact]
    public async Task Export_job_inventory_gives_the_same_report_as_app_to_devices()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(600, seed: 7));
        var clock = new SkippingClock(harness.Clock);
        var appDevices = await SweepAsync(harness, clock, new SweepSettings());

        var exported = await SweepAsync(harness, clock, ExportJob);

        Assert.Equal(1, harness.Tenant.ExportJobs.Downloads);
        Assert.Equal(SweepStatus.Completed, exported.Status);
        Assert.True(exported.OffendingDevices > 0 && exported.UnverifiedDevices > 0, "the seed must exercise the categories");
        Assert.Equal(appDevices.Counts, exported.Counts);
        Assert.Equal(appDevices.ByPlatformAndOwnership, exported.ByPlatformAndOwnership);
        Assert.Equal(Reasons(appDevices), Reasons(exported));
        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Writes);
    }

    [Fact]
    public async Task Export_job_still_in_progress_is_polled_until_it_completes()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, simulator: o => o with { ExportJobGeneration = TimeSpan.FromHours(1) });
        var clock = new SkippingClock(harness.Clock);

        var report = await SweepAsync(harness, clock, ExportJob);

        Assert.Equal(SweepStatus.Completed, report.Status);
        Assert.True(clock.Waits.Count > 1, "a job generating for 36 s of the tenant's clock must be read back more than once");
        Assert.All(clock.Waits, w => Assert.Equal(TimeSpan.FromSeconds(ExportJob.ExportJobPollSeconds), w));
        Assert.InRange(clock.Waited, TimeSpan.FromSeconds(36), TimeSpan.FromSeconds(36 + ExportJob.ExportJobPollSeconds));
    }

    [Fact]
    public async Task Export_job_not_done_within_patience_leaves_the_inventory_unread_and_nothing_clean()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, simulator: o => o with { ExportJobGeneration = TimeSpan.FromHours(10) });
        var clock = new SkippingClock(harness.Clock);
        var patient = new SweepSettings { InventorySource = InventorySourceKind.ExportJob, ExportJobPatienceMinutes = 2, ExportJobPollSeconds = 30 };

        var report = await SweepAsync(harness, clock, patient);

        Assert.Equal(SweepStatus.Incomplete, report.Status);
        Assert.Equal(TimeSpan.FromMinutes(2), clock.Waited);
        Assert.Equal((0, 0), (report.CleanDevices, report.OffendingDevices));
        Assert.Contains(report.Problems, p => p.Contains("still in progress after 2 minutes", StringComparison.Ordinal));
        Assert.Equal(0, harness.Tenant.ExportJobs.Downloads);
    }

    [Fact]
    public async Task Failed_export_job_makes_the_inventory_unread_never_clean()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        harness.Tenant.ExportJobs.Fail = true;
        var clock = new SkippingClock(harness.Clock);

        var report = await SweepAsync(harness, clock, ExportJob);

        Assert.Equal(SweepStatus.Incomplete, report.Status);
        Assert.Equal(0, report.CleanDevices);
        Assert.True(report.UnverifiedDevices > 0, "devices whose apps were not read are unverified");
        Assert.Contains(report.Problems, p => p.Contains("failed", StringComparison.Ordinal));
        var findings = await harness.Journal.GetFindingsAsync("contoso", report.RunId, CancellationToken.None).ToListAsync();
        Assert.DoesNotContain(findings, f => f.Decision == global::IntuneBanSync.Planning.DecisionKind.Clean);
    }

    private static Task<SweepReport> SweepAsync(SweepHarness harness, TimeProvider clock, SweepSettings settings) =>
        SweepEngine.Over(harness.GraphOptions, harness.Journal, clock, settings)
            .RunAsync(new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant), null, CancellationToken.None);

    private static string Reasons(SweepReport report) =>
        string.Join("; ", report.Bans.Select(b => $"{b.BanId}: {string.Join(",", b.UnverifiedReasons.Select(r => $"{r.Key}={r.Value}"))} / {string.Join(",", b.OutOfScopeReasons.Select(r => $"{r.Key}={r.Value}"))}"));
}
