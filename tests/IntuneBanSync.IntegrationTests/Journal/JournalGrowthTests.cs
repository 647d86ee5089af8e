namespace IntuneBanSync.IntegrationTests.Journal;

/// <summary>The journal grows with change, not with the tenant: what is unchanged is not written, and findings spread over partitions.</summary>
public sealed class JournalGrowthTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    [Fact]
    public async Task Second_sweep_with_nothing_changed_writes_no_device_state_and_no_unverified_finding()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(600, seed: 7));
        var journal = harness.Journal;
        var engine = SweepEngine.Over(harness.GraphOptions, journal, harness.Clock);
        await RunAsync(engine, harness);
        Assert.True(Rows(journal, journal.DeviceStatesTableName) > 0, "the first sweep must save the device states it found");
        journal.Stats.Reset();
        harness.Clock.Advance(TimeSpan.FromHours(4));

        var second = await RunAsync(engine, harness);

        Assert.True(second.UnverifiedDevices > 0, "the seed must have unverified devices");
        Assert.Equal(0, Rows(journal, journal.DeviceStatesTableName));
        var findings = await journal.GetFindingsAsync("contoso", second.RunId, CancellationToken.None).ToListAsync();
        Assert.Equal(second.OffendingDevices + second.GraceDevices + second.ExemptDevices, findings.Count);
        Assert.DoesNotContain(findings, f => f.Decision is DecisionKind.Unverified or DecisionKind.Clean or DecisionKind.OutOfScope or DecisionKind.BanNotActive);
    }

    [Fact]
    public async Task Unverified_devices_are_counted_by_reason_in_the_report_and_the_run()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(600, seed: 7));

        var report = await harness.SweepAsync(harness.TikTokBan());

        var ban = Assert.Single(report.Bans);
        Assert.True(ban.Unverified > 0, "the seed must have unverified devices");
        Assert.Equal(ban.Unverified, ban.UnverifiedReasons.Values.Sum());
        var run = await harness.Journal.GetRunAsync("contoso", report.RunId, CancellationToken.None);
        Assert.Contains("\"unverifiedReasons\"", run!.SummaryJson);
        var findings = await harness.Journal.GetFindingsAsync("contoso", report.RunId, CancellationToken.None).ToListAsync();
        Assert.DoesNotContain(findings, f => f.Decision == DecisionKind.Unverified);
    }

    [Fact]
    public async Task Findings_spread_over_partitions_in_transactions_of_at_most_a_hundred_at_the_floor()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(3000, seed: 11));
        var journal = harness.Journal;
        var flushingOften = new SweepSettings { FindingsFlushSize = 100 };

        var report = await SweepEngine.Over(harness.GraphOptions, journal, harness.Clock, flushingOften).RunAsync(
            new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant), null, CancellationToken.None);

        var findings = journal.Stats.Partitions.Where(p => p.Table == journal.FindingsTableName).ToList();
        Assert.True(findings.Sum(p => p.Rows) > JournalStore.MaxTransactionSize, "the seed must give more findings than one transaction holds");
        Assert.True(findings.Count > 1, "a run's findings must spread over several partitions");
        Assert.InRange(journal.Stats.LargestTransaction, 1, JournalStore.MaxTransactionSize);
        Assert.Equal(journal.Stats.TransactionFloor, journal.Stats.Partitions.Sum(p => p.Transactions));
        var read = await journal.GetFindingsAsync("contoso", report.RunId, CancellationToken.None).ToListAsync();
        Assert.Equal(report.OffendingDevices + report.GraceDevices + report.ExemptDevices, read.Count);
    }

    [Fact]
    public async Task Enforce_sweep_lists_each_finding_once_with_its_routes()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var journal = harness.Journal;

        var report = await SweepEngine.Over(harness.GraphOptions, journal, harness.Clock).RunAsync(
            new SweepRequest(harness.EnforceBan(), "contoso", "test", SweepTarget.WholeTenant, BanList.EnforcementMode.Enforce, OverrideBlastRadius: true),
            null, CancellationToken.None);

        var findings = await journal.GetFindingsAsync("contoso", report.RunId, CancellationToken.None).ToListAsync();
        Assert.Contains(findings, f => f.Routes is { Count: > 0 });
        Assert.Equal(report.OffendingDevices + report.GraceDevices + report.ExemptDevices, findings.Count);
        Assert.Equal(findings.Count, journal.Stats.Partitions.Where(p => p.Table == journal.FindingsTableName).Sum(p => p.Rows));
    }

    [Fact]
    public async Task Enforce_sweep_that_finds_nothing_new_writes_no_device_state()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var journal = harness.Journal;
        var engine = SweepEngine.Over(harness.GraphOptions, journal, harness.Clock);
        var enforce = new SweepRequest(harness.EnforceBan(), "contoso", "test", SweepTarget.WholeTenant, BanList.EnforcementMode.Enforce, OverrideBlastRadius: true);
        await engine.RunAsync(enforce, null, CancellationToken.None);
        await engine.RunAsync(enforce, null, CancellationToken.None);
        journal.Stats.Reset();

        var third = await engine.RunAsync(enforce, null, CancellationToken.None);

        Assert.True(third.OffendingDevices > 0, "the seed must have offenders still enforced");
        Assert.Equal(0, Rows(journal, journal.DeviceStatesTableName));
    }

    private static Task<Reports.SweepReport> RunAsync(SweepEngine engine, SweepHarness harness) =>
        engine.RunAsync(new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant), null, CancellationToken.None);

    private static long Rows(JournalStore journal, string table) => journal.Stats.Partitions.Where(p => p.Table == table).Sum(p => p.Rows);
}
