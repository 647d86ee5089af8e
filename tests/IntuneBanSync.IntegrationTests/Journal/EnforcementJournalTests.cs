namespace IntuneBanSync.IntegrationTests.Journal;

public sealed class EnforcementJournalTests(AzuriteFixture azurite) : JournalTests(azurite)
{
    [Fact]
    public async Task Audit_returns_every_intent_in_write_id_order_with_its_outcome_or_null()
    {
        var store = await NewStoreAsync();
        var intents = Enumerable.Range(0, 250).Select(i => NewIntent("tiktok", $"w-{i:D4}", deviceId: i % 10 == 0 ? null : $"device-{i}")).ToList();
        var outcomes = Enumerable.Range(0, 120).Select(i => NewOutcome("tiktok", $"w-{i * 2:D4}", i % 3 == 0 ? WriteResult.Failed : WriteResult.Done)).ToList();

        await store.RecordIntentsAsync(Tenant, [.. intents.OrderByDescending(intent => intent.WriteId, StringComparer.Ordinal)], CancellationToken.None);
        await store.RecordOutcomesAsync(Tenant, outcomes, CancellationToken.None);
        var audit = await store.GetAuditAsync(Tenant, "tiktok", CancellationToken.None);

        var byWriteId = outcomes.ToDictionary(outcome => outcome.WriteId);
        Assert.Equal(intents, audit.Select(entry => entry.Intent));
        Assert.All(audit, entry => Assert.Equal(byWriteId.GetValueOrDefault(entry.Intent.WriteId), entry.Outcome));
        Assert.Equal(130, audit.Count(entry => entry.Outcome is null));
    }

    [Fact]
    public async Task Audit_orders_by_write_id_even_when_one_id_is_a_prefix_of_another()
    {
        var store = await NewStoreAsync();

        await store.RecordIntentsAsync(Tenant, [NewIntent("tiktok", "w2"), NewIntent("tiktok", "w10"), NewIntent("tiktok", "w1")], CancellationToken.None);
        var audit = await store.GetAuditAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Equal(["w1", "w10", "w2"], audit.Select(entry => entry.Intent.WriteId));
    }

    [Fact]
    public async Task A_second_outcome_for_the_same_write_replaces_the_first()
    {
        var store = await NewStoreAsync();
        await store.RecordIntentsAsync(Tenant, [NewIntent("tiktok", "w-1")], CancellationToken.None);
        await store.RecordOutcomesAsync(Tenant, [NewOutcome("tiktok", "w-1", WriteResult.Unknown)], CancellationToken.None);
        var reconciled = NewOutcome("tiktok", "w-1", WriteResult.Done) with { Detail = "reconciled by run-2", At = Start.AddDays(1) };

        await store.RecordOutcomesAsync(Tenant, [reconciled], CancellationToken.None);
        var audit = await store.GetAuditAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Equal(reconciled, Assert.Single(audit).Outcome);
        Assert.Equal(2, await CountRowsAsync(store.AuditTableName));
    }

    [Fact]
    public async Task Recording_the_same_intents_again_does_not_duplicate_them()
    {
        var store = await NewStoreAsync();
        var intents = Enumerable.Range(0, 150).Select(i => NewIntent("tiktok", $"w-{i:D4}")).ToList();

        await store.RecordIntentsAsync(Tenant, intents, CancellationToken.None);
        await store.RecordIntentsAsync(Tenant, intents, CancellationToken.None);
        var audit = await store.GetAuditAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Equal(150, audit.Count);
    }

    [Fact]
    public async Task Audit_is_kept_per_ban_and_tenant()
    {
        var store = await NewStoreAsync();
        await store.RecordIntentsAsync(Tenant, [NewIntent("tiktok", "w-1"), NewIntent("wechat", "w-2")], CancellationToken.None);
        await store.RecordIntentsAsync("fabrikam.com", [NewIntent("tiktok", "w-3")], CancellationToken.None);

        var audit = await store.GetAuditAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Equal(["w-1"], audit.Select(entry => entry.Intent.WriteId));
    }

    [Fact]
    public async Task Audit_rows_are_written_in_one_transaction_per_partition_of_at_most_one_hundred()
    {
        var (store, requests) = await NewCountedStoreAsync();
        var intents = Enumerable.Range(0, 2_500).Select(i => NewIntent(i < 1_500 ? "tiktok" : "wechat", $"w-{i:D4}")).ToList();
        var outcomes = Enumerable.Range(0, 1_200).Select(i => NewOutcome("tiktok", $"w-{i:D4}", WriteResult.Done)).ToList();

        await store.RecordIntentsAsync(Tenant, intents, CancellationToken.None);
        await store.RecordOutcomesAsync(Tenant, outcomes, CancellationToken.None);

        static int Transactions(IEnumerable<string> partitions) => partitions.GroupBy(p => p).Sum(g => (g.Count() + 99) / 100);
        Assert.Equal(
            Transactions(intents.Select(i => JournalKeys.AuditIntent(Tenant, i.BanId, i.WriteId).PartitionKey))
            + Transactions(outcomes.Select(o => JournalKeys.AuditOutcome(Tenant, o.BanId, o.WriteId).PartitionKey)),
            requests.Count);
        Assert.True(requests.Count < 2 * (2_500 + 1_200) / 100, "full transactions, not one per partition and row");
    }

    [Fact]
    public async Task Audit_free_text_is_capped()
    {
        var store = await NewStoreAsync();
        var target = new string('t', 50_000);
        var detail = new string('d', 50_000);

        await store.RecordIntentsAsync(Tenant, [NewIntent("tiktok", "w-1") with { Target = target }], CancellationToken.None);
        await store.RecordOutcomesAsync(Tenant, [NewOutcome("tiktok", "w-1", WriteResult.Failed) with { Detail = detail }], CancellationToken.None);
        var entry = Assert.Single(await store.GetAuditAsync(Tenant, "tiktok", CancellationToken.None));

        Assert.InRange(entry.Intent.Target.Length, 1, TableText.MaxShortText);
        Assert.InRange(entry.Outcome!.Detail!.Length, 1, TableText.MaxShortText);
        Assert.StartsWith("tttt", entry.Intent.Target, StringComparison.Ordinal);
        Assert.EndsWith("[truncated]", entry.Outcome.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenant", "bad/tenant", "tiktok", "w-1")]
    [InlineData("banId", Tenant, "tik#tok", "w-1")]
    [InlineData("writeId", Tenant, "tiktok", "w?1")]
    [InlineData("writeId", Tenant, "tiktok", "w|1")]
    [InlineData("writeId", Tenant, "tiktok", "")]
    public async Task Intents_with_a_forbidden_key_are_rejected_before_any_request(string field, string tenant, string banId, string writeId)
    {
        var (store, requests) = await NewCountedStoreAsync();
        WriteIntent[] intents = [NewIntent("tiktok", "w-ok"), NewIntent(banId, writeId)];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.RecordIntentsAsync(tenant, intents, CancellationToken.None));

        Assert.Equal(field, error.ParamName);
        Assert.Equal(0, requests.Count);
    }

    [Fact]
    public async Task Outcomes_with_a_forbidden_key_are_rejected_before_any_request()
    {
        var (store, requests) = await NewCountedStoreAsync();
        WriteOutcome[] outcomes = [NewOutcome("tiktok", "w-ok", WriteResult.Done), NewOutcome("tiktok", "w\\2", WriteResult.Done)];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.RecordOutcomesAsync(Tenant, outcomes, CancellationToken.None));

        Assert.Equal("writeId", error.ParamName);
        Assert.Equal(0, requests.Count);
    }

    [Fact]
    public async Task Ban_resources_read_back_unchanged_with_their_apps()
    {
        var store = await NewStoreAsync();
        var resources = NewResources("tiktok");

        await store.SaveBanResourcesAsync(Tenant, resources, CancellationToken.None);
        var read = await store.GetBanResourcesAsync(Tenant, "tiktok", CancellationToken.None);

        AssertSameResources(resources, read);
    }

    [Fact]
    public async Task Missing_ban_resources_read_as_null()
    {
        var store = await NewStoreAsync();

        var read = await store.GetBanResourcesAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Null(read);
    }

    [Fact]
    public async Task Saving_ban_resources_again_replaces_them()
    {
        var store = await NewStoreAsync();
        var created = NewResources("tiktok");
        var woundDown = created with { Resources = [created.Resources[0] with { RetiredAt = Start.AddDays(1) }], WoundDown = true };

        await store.SaveBanResourcesAsync(Tenant, created, CancellationToken.None);
        await store.SaveBanResourcesAsync(Tenant, woundDown, CancellationToken.None);
        var read = await store.GetBanResourcesAsync(Tenant, "tiktok", CancellationToken.None);

        AssertSameResources(woundDown, read);
    }

    [Fact]
    public async Task Ban_resources_are_listed_per_tenant_in_ban_id_order()
    {
        var store = await NewStoreAsync();
        var wechat = NewResources("wechat");
        var tiktok = NewResources("tiktok") with { WoundDown = true };
        await store.SaveBanResourcesAsync(Tenant, wechat, CancellationToken.None);
        await store.SaveBanResourcesAsync(Tenant, tiktok, CancellationToken.None);
        await store.SaveBanResourcesAsync("fabrikam.com", NewResources("deepseek"), CancellationToken.None);

        var listed = await store.ListBanResourcesAsync(Tenant, CancellationToken.None);

        Assert.Equal(2, listed.Count);
        AssertSameResources(tiktok, listed[0]);
        AssertSameResources(wechat, listed[1]);
    }

    [Fact]
    public async Task Ban_resources_with_a_forbidden_ban_id_are_rejected_before_any_request()
    {
        var (store, requests) = await NewCountedStoreAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.SaveBanResourcesAsync(Tenant, NewResources("tik/tok"), CancellationToken.None));

        Assert.Equal("banId", error.ParamName);
        Assert.Equal(0, requests.Count);
    }

    [Fact]
    public async Task Device_state_with_every_lifecycle_field_reads_back_unchanged()
    {
        var store = await NewStoreAsync();
        var state = new DeviceBanState("tiktok", "device-1", Start, Start.AddHours(6), DecisionKind.Offending, "run-3",
            State: LifecycleState.Enforcing, StateReason: "uninstall assigned", EnforcedAt: Start.AddHours(5), ResolvedAt: Start.AddHours(6),
            EntraObjectId: "8f1c2a9e-0000-4000-8000-000000000001", Route: "uninstall:iosStoreApp", UserId: "user-1", DeviceName: "iPhone of Ana");

        await store.SaveDeviceStatesAsync(Tenant, [state], CancellationToken.None);
        var read = await store.GetDeviceStatesAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Equal(state, read["device-1"]);
    }

    [Fact]
    public async Task Device_state_written_before_the_lifecycle_fields_existed_reads_them_as_null()
    {
        var store = await NewStoreAsync();
        var key = JournalKeys.DeviceState(Tenant, "tiktok", "device-1");
        var old = new TableEntity(key.PartitionKey, key.RowKey)
        {
            ["BanId"] = "tiktok",
            ["DeviceId"] = "device-1",
            ["FirstSeen"] = Start,
            ["LastSeen"] = Start.AddHours(6),
            ["LastDecision"] = "Offending",
            ["LastRunId"] = "run-1",
        };
        await Azurite.CreateTableService().GetTableClient(store.DeviceStatesTableName).AddEntityAsync(old);

        var read = await store.GetDeviceStatesAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Equal(new DeviceBanState("tiktok", "device-1", Start, Start.AddHours(6), DecisionKind.Offending, "run-1"), read["device-1"]);
    }

    [Fact]
    public async Task The_longest_table_prefix_creates_the_enforcement_tables()
    {
        var prefix = Azurite.NewTablePrefix() + new string('x', JournalKeys.MaxTablePrefixLength - 13);
        var store = new JournalStore(Azurite.CreateTableService(), prefix);

        await store.EnsureCreatedAsync(CancellationToken.None);
        await store.SaveBanResourcesAsync(Tenant, NewResources("tiktok"), CancellationToken.None);
        await store.RecordIntentsAsync(Tenant, [NewIntent("tiktok", "w-1")], CancellationToken.None);

        Assert.Equal(63, store.BanResourcesTableName.Length);
        Assert.NotNull(await store.GetBanResourcesAsync(Tenant, "tiktok", CancellationToken.None));
        Assert.Single(await store.GetAuditAsync(Tenant, "tiktok", CancellationToken.None));
    }

    [Fact]
    public async Task Ban_resources_written_before_mechanisms_existed_read_as_typed_resources_of_the_uninstall_assignment()
    {
        var store = await NewStoreAsync();
        var key = JournalKeys.BanResources(Tenant, "tiktok");
        var old = new TableEntity(key.PartitionKey, key.RowKey)
        {
            ["GroupName"] = "IntuneBanSync – TikTok – uninstall",
            ["GroupId"] = "3b0c6a52-0000-4000-8000-00000000000a",
            ["GroupCreatedByUs"] = true,
            ["WoundDown"] = false,
            ["AppsJson"] = """[{"route":"ios","appId":"app-ios-1","appCreatedByUs":true,"assignmentId":"assignment-ios-1","assignmentCreatedByUs":true},""" +
                """{"route":"windows","appId":"app-win-1","appCreatedByUs":false,"assignmentId":"assignment-win-1","assignmentCreatedByUs":false}]""",
        };
        await Azurite.CreateTableService().GetTableClient(store.BanResourcesTableName).AddEntityAsync(old);

        var read = await store.GetBanResourcesAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(
            [("group", "3b0c6a52-0000-4000-8000-00000000000a", null), ("catalog-app", "app-ios-1", null), ("app-assignment", "assignment-ios-1", "app-ios-1")],
            read.Resources.Select(r => (r.Kind.Name, r.GraphId, r.ParentId)));
        Assert.All(read.Resources, r => Assert.Equal("uninstall-assignment", r.Mechanism.Name));
    }

    private static void AssertSameResources(BanResources expected, BanResources? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.BanId, expected.WoundDown), (actual.BanId, actual.WoundDown));
        Assert.Equal(expected.Resources, actual.Resources);
    }

    private async Task<int> CountRowsAsync(string table)
    {
        var count = 0;
        await foreach (var _ in Azurite.CreateTableService().GetTableClient(table).QueryAsync<TableEntity>())
        {
            count++;
        }

        return count;
    }

    private static WriteIntent NewIntent(string banId, string writeId, string? deviceId = "device-1") =>
        new(writeId, banId, deviceId, new WriteAction("add-member"), $"group 'IBS {banId}' ← {deviceId ?? "none"}", "run-1", Start, new MechanismName("uninstall-assignment"));

    private static WriteOutcome NewOutcome(string banId, string writeId, WriteResult result) =>
        new(writeId, banId, result, result == WriteResult.Failed ? "429 after 5 retries" : null, Start.AddSeconds(2));

    private static readonly MechanismName Uninstall = new("uninstall-assignment");

    private static BanResources NewResources(string banId) =>
        new(banId,
        [
            new CreatedResource(new ResourceKind("group"), "3b0c6a52-0000-4000-8000-00000000000a", Uninstall, Start, $"IntuneBanSync - {banId}"),
            new CreatedResource(new ResourceKind("catalog-app"), "app-ios-1", Uninstall, Start, "ios"),
            new CreatedResource(new ResourceKind("app-assignment"), "assignment-ios-1", Uninstall, Start, "ios", "app-ios-1"),
        ]);
}
