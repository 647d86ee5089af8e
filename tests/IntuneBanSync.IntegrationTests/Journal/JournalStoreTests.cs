namespace IntuneBanSync.IntegrationTests.Journal;

public sealed class JournalStoreTests(AzuriteFixture azurite) : JournalTests(azurite)
{
    [Fact]
    public async Task Saved_run_reads_back_unchanged()
    {
        var store = await NewStoreAsync();
        var run = new SweepRun("run-1", Tenant, "timer", EnforcementMode.Report, Start, Start.AddMinutes(7), SweepStatus.Incomplete,
            new SweepCounts(120, 7, 5, 2, 30, 3, 11), """{"bans":["tiktok"]}""", "2 pages unread");

        await store.SaveRunAsync(run, CancellationToken.None);
        var read = await store.GetRunAsync(Tenant, "run-1", CancellationToken.None);

        Assert.Equal(run, read);
    }

    [Fact]
    public async Task Missing_run_reads_as_null()
    {
        var store = await NewStoreAsync();

        var read = await store.GetRunAsync(Tenant, "never-ran", CancellationToken.None);

        Assert.Null(read);
    }

    [Fact]
    public async Task Saving_a_run_again_replaces_it()
    {
        var store = await NewStoreAsync();
        var running = NewRun("run-1") with { Status = SweepStatus.Running, SummaryJson = "{}", Error = "transient" };
        var completed = running with { Status = SweepStatus.Completed, EndedAt = Start.AddMinutes(3), SummaryJson = null, Error = null };

        await store.SaveRunAsync(running, CancellationToken.None);
        await store.SaveRunAsync(completed, CancellationToken.None);
        var runs = await store.ListRunsAsync(Tenant, CancellationToken.None).ToListAsync();

        Assert.Equal([completed], runs);
    }

    [Fact]
    public async Task Runs_are_listed_per_tenant()
    {
        var store = await NewStoreAsync();
        await store.SaveRunAsync(NewRun("run-1"), CancellationToken.None);
        await store.SaveRunAsync(NewRun("run-2"), CancellationToken.None);
        await store.SaveRunAsync(NewRun("run-1") with { Tenant = "fabrikam.com" }, CancellationToken.None);

        var runs = await store.ListRunsAsync(Tenant, CancellationToken.None).ToListAsync();

        Assert.Equal(["run-1", "run-2"], runs.Select(r => r.RunId));
        Assert.All(runs, r => Assert.Equal(Tenant, r.Tenant));
    }

    [Fact]
    public async Task Oversized_summary_is_stored_as_truncated_json()
    {
        var store = await NewStoreAsync();
        var huge = "[" + string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"device-{i}\"")) + "]";

        await store.SaveRunAsync(NewRun("run-1") with { SummaryJson = huge }, CancellationToken.None);
        var read = await store.GetRunAsync(Tenant, "run-1", CancellationToken.None);

        using var summary = System.Text.Json.JsonDocument.Parse(read!.SummaryJson!);
        Assert.True(read.SummaryJson!.Length <= 32_000);
        Assert.True(summary.RootElement.GetProperty("truncated").GetBoolean());
        Assert.Equal(huge.Length, summary.RootElement.GetProperty("originalLength").GetInt32());
        Assert.StartsWith(summary.RootElement.GetProperty("head").GetString()!, huge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(101)]
    [InlineData(257)]
    public async Task Findings_beyond_one_transaction_all_read_back(int count)
    {
        var store = await NewStoreAsync();
        var findings = Enumerable.Range(0, count).Select(i => NewFinding("tiktok", $"device-{i:D4}")).ToList();

        await store.AppendFindingsAsync(Tenant, "run-1", findings, CancellationToken.None);
        var read = await store.GetFindingsAsync(Tenant, "run-1", CancellationToken.None).ToListAsync();

        Assert.Equal(findings.OrderBy(f => f.DeviceId, StringComparer.Ordinal), read.OrderBy(f => f.DeviceId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Findings_are_spread_over_partitions_in_transactions_of_at_most_one_hundred()
    {
        var (store, requests) = await NewCountedStoreAsync();
        var findings = Enumerable.Range(0, 2_000).Select(i => NewFinding("tiktok", $"device-{i}")).ToList();
        var floor = findings.GroupBy(f => JournalKeys.FindingShard(f.DeviceId)).Sum(g => (g.Count() + 99) / 100);

        await store.AppendFindingsAsync(Tenant, "run-1", findings, CancellationToken.None);

        Assert.Equal(floor, requests.Count);
        Assert.Equal(JournalKeys.FindingPartitions, store.Stats.Partitions.Count);
        Assert.InRange(store.Stats.LargestTransaction, 1, JournalStore.MaxTransactionSize);
        Assert.Equal(2_000, await store.GetFindingsAsync(Tenant, "run-1", CancellationToken.None).CountAsync());
    }

    [Fact]
    public async Task Device_states_are_written_in_one_transaction_per_partition_of_at_most_one_hundred()
    {
        var (store, requests) = await NewCountedStoreAsync();
        var states = Enumerable.Range(0, 3_300).Select(i => NewState(i % 2 == 0 ? "tiktok" : "wechat", $"device-{i}")).ToList();

        await store.SaveDeviceStatesAsync(Tenant, states, CancellationToken.None);

        var perPartition = states.GroupBy(s => JournalKeys.DeviceState(Tenant, s.BanId, s.DeviceId).PartitionKey).Select(g => (g.Count() + 99) / 100).ToList();
        Assert.Equal(2 * JournalKeys.FindingPartitions, perPartition.Count);
        Assert.Equal(perPartition.Sum(), requests.Count);
    }

    [Fact]
    public async Task Findings_are_kept_per_run()
    {
        var store = await NewStoreAsync();
        await store.AppendFindingsAsync(Tenant, "run-1", [NewFinding("tiktok", "device-1")], CancellationToken.None);
        await store.AppendFindingsAsync(Tenant, "run-2", [NewFinding("tiktok", "device-2")], CancellationToken.None);

        var read = await store.GetFindingsAsync(Tenant, "run-2", CancellationToken.None).ToListAsync();

        Assert.Equal(["device-2"], read.Select(f => f.DeviceId));
    }

    [Fact]
    public async Task Appending_the_same_findings_twice_does_not_duplicate_them()
    {
        var store = await NewStoreAsync();
        var findings = Enumerable.Range(0, 150).Select(i => NewFinding("tiktok", $"device-{i}")).ToList();
        var retried = findings.Select(f => f with { Reason = "retried" }).ToList();

        await store.AppendFindingsAsync(Tenant, "run-1", findings, CancellationToken.None);
        await store.AppendFindingsAsync(Tenant, "run-1", retried, CancellationToken.None);
        var read = await store.GetFindingsAsync(Tenant, "run-1", CancellationToken.None).ToListAsync();

        Assert.Equal(150, read.Count);
        Assert.All(read, f => Assert.Equal("retried", f.Reason));
    }

    [Fact]
    public async Task The_same_device_twice_in_one_call_keeps_the_last_finding()
    {
        var store = await NewStoreAsync();

        await store.AppendFindingsAsync(Tenant, "run-1", [NewFinding("tiktok", "device-1"), NewFinding("tiktok", "device-1") with { Decision = DecisionKind.Grace }], CancellationToken.None);
        var read = await store.GetFindingsAsync(Tenant, "run-1", CancellationToken.None).ToListAsync();

        Assert.Equal(DecisionKind.Grace, Assert.Single(read).Decision);
    }

    [Fact]
    public async Task Device_states_of_several_bans_read_back_per_ban_keyed_by_device()
    {
        var store = await NewStoreAsync();
        var tiktok = Enumerable.Range(0, 230).Select(i => NewState("tiktok", $"device-{i}")).ToList();
        var wechat = Enumerable.Range(0, 3).Select(i => NewState("wechat", $"device-{i}")).ToList();

        await store.SaveDeviceStatesAsync(Tenant, [.. tiktok, .. wechat], CancellationToken.None);
        var read = await store.GetDeviceStatesAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Equal(230, read.Count);
        Assert.All(tiktok, state => Assert.Equal(state, read[state.DeviceId]));
    }

    [Fact]
    public async Task Saving_device_states_again_replaces_them()
    {
        var store = await NewStoreAsync();
        var first = NewState("tiktok", "device-1");
        var later = first with { LastSeen = Start.AddDays(1), LastDecision = DecisionKind.Clean, LastRunId = "run-2" };

        await store.SaveDeviceStatesAsync(Tenant, [first], CancellationToken.None);
        await store.SaveDeviceStatesAsync(Tenant, [later], CancellationToken.None);
        var read = await store.GetDeviceStatesAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Equal(later, Assert.Single(read).Value);
    }

    [Fact]
    public async Task States_of_one_device_are_found_across_bans_of_its_tenant_only()
    {
        var store = await NewStoreAsync();
        await store.SaveDeviceStatesAsync(Tenant, [NewState("tiktok", "device-1"), NewState("wechat", "device-1"), NewState("tiktok", "device-2")], CancellationToken.None);
        await store.SaveDeviceStatesAsync("contoso.onmicrosoft.com.evil", [NewState("tiktok", "device-1")], CancellationToken.None);
        await store.SaveDeviceStatesAsync("contoso", [NewState("tiktok", "device-1")], CancellationToken.None);

        var read = await store.GetDeviceStatesForDeviceAsync(Tenant, "device-1", CancellationToken.None).ToListAsync();

        Assert.Equal(["tiktok", "wechat"], read.Select(s => s.BanId).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("tenant", "bad/tenant", "run-1", "tiktok", "device-1")]
    [InlineData("runId", Tenant, "run#1", "tiktok", "device-1")]
    [InlineData("banId", Tenant, "run-1", "tik?tok", "device-1")]
    [InlineData("deviceId", Tenant, "run-1", "tiktok", "device\\1")]
    [InlineData("deviceId", Tenant, "run-1", "tiktok", "device\u00071")]
    public async Task Findings_with_a_forbidden_key_character_are_rejected_before_any_request(string field, string tenant, string runId, string banId, string deviceId)
    {
        var (store, requests) = await NewCountedStoreAsync();
        Finding[] findings = [NewFinding("tiktok", "device-ok"), NewFinding(banId, deviceId)];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendFindingsAsync(tenant, runId, findings, CancellationToken.None));

        Assert.Equal(field, error.ParamName);
        Assert.Equal(0, requests.Count);
    }

    [Fact]
    public async Task A_device_state_with_a_forbidden_key_character_is_rejected_before_any_request()
    {
        var (store, requests) = await NewCountedStoreAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.SaveDeviceStatesAsync(Tenant, [NewState("tiktok", "device-1"), NewState("tiktok", "device/2")], CancellationToken.None));

        Assert.Equal("deviceId", error.ParamName);
        Assert.Equal(0, requests.Count);
    }

    [Fact]
    public async Task A_run_with_a_forbidden_key_character_is_rejected_before_any_request()
    {
        var (store, requests) = await NewCountedStoreAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.SaveRunAsync(NewRun("run?1"), CancellationToken.None));

        Assert.Equal("runId", error.ParamName);
        Assert.Equal(0, requests.Count);
    }

    [Fact]
    public async Task A_rejected_write_leaves_the_tables_empty_and_uncreated_tables_absent()
    {
        var service = Azurite.CreateTableService();
        var store = new JournalStore(service, Azurite.NewTablePrefix());

        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendFindingsAsync(Tenant, "run/1", [NewFinding("tiktok", "device-1")], CancellationToken.None));

        var tables = await service.QueryAsync(TableClient.CreateQueryFilter($"TableName eq {store.FindingsTableName}")).ToListAsync();
        Assert.Empty(tables);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1journal")]
    [InlineData("journal-test")]
    [InlineData("jóurnal")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12")]
    public void A_table_prefix_that_cannot_name_a_table_is_rejected(string prefix)
    {
        var service = Azurite.CreateTableService();

        var error = Assert.Throws<ArgumentException>(() => new JournalStore(service, prefix));

        Assert.Equal("prefix", error.ParamName);
    }

    [Fact]
    public async Task The_longest_table_prefix_creates_its_tables()
    {
        var prefix = Azurite.NewTablePrefix() + new string('x', JournalKeys.MaxTablePrefixLength - 13);
        var store = new JournalStore(Azurite.CreateTableService(), prefix);

        await store.EnsureCreatedAsync(CancellationToken.None);
        await store.SaveDeviceStatesAsync(Tenant, [NewState("tiktok", "device-1")], CancellationToken.None);

        Assert.Equal(63, store.DeviceStatesTableName.Length);
        Assert.Single(await store.GetDeviceStatesAsync(Tenant, "tiktok", CancellationToken.None));
    }

    private static SweepRun NewRun(string runId) =>
        new(runId, Tenant, "manual", EnforcementMode.Report, Start, null, SweepStatus.Running, SweepCounts.Empty);

    private static Finding NewFinding(string banId, string deviceId) =>
        new(banId, deviceId, DecisionKind.Offending, "TikTok 32.1 seen after uninstallBy", "TikTok", "32.1", "ios", "company", "user-1", "iPhone of Ana", "ana@contoso.com");

    private static DeviceBanState NewState(string banId, string deviceId) =>
        new(banId, deviceId, Start, Start.AddHours(6), DecisionKind.Offending, "run-1");
}
