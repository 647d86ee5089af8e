namespace IntuneBanSync.IntegrationTests.Sweeps;

public sealed class ReportSweepTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    [Fact]
    public async Task Report_of_a_seeded_tenant_equals_the_counts_computed_from_the_generator()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(600, seed: 7));
        var expected = ExpectedReport.For(harness.Tenant.State, harness.Seed.Now);

        var report = await harness.SweepAsync(harness.TikTokBan());

        Assert.Equal(SweepStatus.Completed, report.Status);
        Assert.True(expected.Offending > 0 && expected.Exempt > 0 && expected.Unverified > 0, "the seed must exercise every category");
        Assert.Equal(expected, ExpectedReport.Of(report));
    }

    [Fact]
    public async Task Report_sweep_sends_no_write_to_the_tenant()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);

        await harness.SweepAsync(harness.TikTokBan());

        var requests = harness.Tenant.Requests.Snapshot();
        Assert.True(requests.Reads > 0);
        Assert.Equal(0, requests.Writes);
    }

    [Fact]
    public async Task Thirty_percent_throttled_requests_give_the_same_report()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var clean = await harness.SweepAsync(harness.TikTokBan());
        harness.Tenant.Faults.RetryAfterSeconds = 0;
        harness.Tenant.Faults.ThrottleRate = 0.3;

        var throttled = await harness.SweepAsync(harness.TikTokBan());

        Assert.True(harness.Tenant.Requests.Snapshot().Throttled > 0, "the simulator must actually have throttled");
        Assert.Equal(SweepStatus.Completed, throttled.Status);
        Assert.Equal(clean.Counts, throttled.Counts);
        Assert.Equal(clean.ByPlatformAndOwnership, throttled.ByPlatformAndOwnership);
    }

    [Fact]
    public async Task Sweep_journals_the_run_its_findings_and_device_states()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);

        var report = await harness.SweepAsync(harness.TikTokBan());

        var run = await harness.Journal.GetRunAsync("contoso", report.RunId, CancellationToken.None);
        Assert.NotNull(run);
        Assert.Equal(SweepStatus.Completed, run.Status);
        Assert.Equal(report.Counts, run.Counts);
        var findings = await harness.Journal.GetFindingsAsync("contoso", report.RunId, CancellationToken.None).ToListAsync();
        Assert.Equal(report.OffendingDevices, findings.Count(f => f.Decision == DecisionKind.Offending));
        Assert.All(findings.Where(f => f.Decision == DecisionKind.Offending), f => Assert.Contains(f.AppName?.Trim().ToLowerInvariant(), new[] { "tiktok", "tiktok lite" }));
        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.Superset(findings.Where(f => f.Decision == DecisionKind.Offending).Select(f => f.DeviceId).ToHashSet(), states.Keys.ToHashSet());
    }

    [Fact]
    public async Task A_second_sweep_that_changes_nothing_leaves_the_states_as_the_first_wrote_them()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var first = await harness.SweepAsync(harness.TikTokBan());
        harness.Clock.Advance(TimeSpan.FromHours(4));

        var second = await harness.SweepAsync(harness.TikTokBan());

        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.NotEmpty(states);
        Assert.All(states.Values, s => Assert.Equal((first.StartedAt, first.StartedAt, first.RunId), (s.FirstSeen, s.LastSeen, s.LastRunId)));
        Assert.Equal(new LatestSweep(second.RunId, second.StartedAt), await harness.Journal.GetLatestSweepAsync("contoso", CancellationToken.None));
    }

    [Fact]
    public async Task One_apps_device_listing_failing_makes_the_sweep_incomplete_and_nothing_behind_it_clean()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var healthy = await harness.SweepAsync(harness.TikTokBan());
        harness.Tenant.Faults.FailPath(@"deviceManagement/detectedApps/[^/]+/managedDevices");

        var report = await harness.SweepAsync(harness.TikTokBan());

        Assert.Equal(SweepStatus.Incomplete, report.Status);
        Assert.NotEmpty(report.Problems);
        Assert.True(report.CleanDevices < healthy.CleanDevices, "devices whose inventory was unread must not be reported clean");
        Assert.Equal(0, report.OffendingDevices);
        var run = await harness.Journal.GetRunAsync("contoso", report.RunId, CancellationToken.None);
        Assert.Equal(SweepStatus.Incomplete, run!.Status);
    }

    [Fact]
    public async Task Sweep_of_one_user_evaluates_only_that_users_devices()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var owner = harness.Tenant.State.ManagedDevices.GroupBy(d => d.UserId).First(g => g.Key is not null && g.Count() >= 2);

        var byUpn = await harness.SweepAsync(harness.TikTokBan(), new SweepTarget(User: owner.First().UserPrincipalName));

        Assert.Equal(owner.Count(), byUpn.DevicesEvaluated);
        Assert.Equal(SweepStatus.Completed, byUpn.Status);
    }

    [Fact]
    public async Task Sweep_of_one_device_sees_its_banned_app()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var expected = await harness.SweepAsync(harness.TikTokBan());
        var findings = await harness.Journal.GetFindingsAsync("contoso", expected.RunId, CancellationToken.None).ToListAsync();
        var offender = findings.First(f => f.Decision == DecisionKind.Offending);

        var report = await harness.SweepAsync(harness.TikTokBan(), new SweepTarget(Device: offender.DeviceId));

        Assert.Equal(1, report.DevicesEvaluated);
        Assert.Equal(1, report.OffendingDevices);
    }
}
