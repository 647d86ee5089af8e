using Azure.Data.Tables;
using IntuneBanSync.Planning;

namespace IntuneBanSync.IntegrationTests.Journal;

/// <summary>Device states and the audit spread over partitions per ban (as findings are), and the rows written before they were spread.</summary>
[Collection("Azurite")]
public sealed class SpreadPartitionsTests(AzuriteFixture azurite)
{
    private const string Tenant = "contoso.onmicrosoft.com";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_bans_states_are_spread_over_sixteen_partitions_and_read_back_whole()
    {
        var store = await NewStoreAsync();
        var states = Enumerable.Range(0, 400).Select(i => State($"device-{i}", "run-1")).ToList();

        await store.SaveDeviceStatesAsync(Tenant, states, CancellationToken.None);
        var read = await store.GetDeviceStatesAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Equal(JournalKeys.FindingPartitions, states.Select(s => JournalKeys.DeviceState(Tenant, "tiktok", s.DeviceId).PartitionKey).Distinct().Count());
        Assert.Equal(states.OrderBy(s => s.DeviceId, StringComparer.Ordinal), read.Values.OrderBy(s => s.DeviceId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_state_written_before_states_were_spread_is_still_read_and_a_newer_spread_row_replaces_it()
    {
        var store = await NewStoreAsync();
        var table = azurite.CreateTableService().GetTableClient(store.DeviceStatesTableName);
        var legacy = JournalKeys.DeviceStatesPartition(Tenant, "tiktok");
        foreach (var device in (string[])["device-1", "device-2"])
            await table.AddEntityAsync(TableRows.ToEntity(new TableKey(legacy, device), State(device, "run-1")));

        await store.SaveDeviceStatesAsync(Tenant, [State("device-1", "run-2")], CancellationToken.None);
        var read = await store.GetDeviceStatesAsync(Tenant, "tiktok", CancellationToken.None);
        var ofDevice = new List<DeviceBanState>();
        await foreach (var state in store.GetDeviceStatesForDeviceAsync(Tenant, "device-1", CancellationToken.None))
            ofDevice.Add(state);

        Assert.Equal("run-2", read["device-1"].LastRunId);
        Assert.Equal("run-1", read["device-2"].LastRunId);
        Assert.Equal(["run-2"], ofDevice.Select(s => s.LastRunId));
    }

    [Fact]
    public async Task An_audit_written_before_it_was_spread_still_reads_in_write_order_with_outcomes_from_either_partition()
    {
        var store = await NewStoreAsync();
        var table = azurite.CreateTableService().GetTableClient(store.AuditTableName);
        var legacy = JournalKeys.AuditPartition(Tenant, "tiktok");
        var old = new WriteIntent("run-1-000001", "tiktok", "device-1", new WriteAction("sync-device"), "managedDevices/device-1/syncDevice", "run-1", Start);
        var entity = TableRows.ToEntity(new TableKey(legacy, "run-1-000001|intent"), old);
        entity["Kind"] = JournalKeys.IntentKind;
        await table.AddEntityAsync(entity);
        var newer = Enumerable.Range(1, 40).Select(i => old with { WriteId = $"run-2-{i * 1_000:D6}", RunId = "run-2", At = Start.AddDays(1) }).ToList();

        await store.RecordIntentsAsync(Tenant, newer, CancellationToken.None);
        await store.RecordOutcomesAsync(Tenant, [new WriteOutcome("run-1-000001", "tiktok", WriteResult.Unknown, "reconciled", Start.AddDays(1))], CancellationToken.None);
        var audit = await store.GetAuditAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Equal(["run-1-000001", .. newer.Select(i => i.WriteId)], audit.Select(e => e.Intent.WriteId));
        Assert.Equal(WriteResult.Unknown, audit[0].Outcome?.Result);
        Assert.True(newer.Select(i => JournalKeys.AuditIntent(Tenant, "tiktok", i.WriteId).PartitionKey).Distinct().Count() == JournalKeys.FindingPartitions);
    }

    private static DeviceBanState State(string deviceId, string runId) =>
        new("tiktok", deviceId, Start, Start.AddHours(1), DecisionKind.Offending, runId, LifecycleState.Detected);

    private async Task<JournalStore> NewStoreAsync()
    {
        var store = new JournalStore(azurite.CreateTableService(), azurite.NewTablePrefix());
        await store.EnsureCreatedAsync(CancellationToken.None);
        return store;
    }
}
