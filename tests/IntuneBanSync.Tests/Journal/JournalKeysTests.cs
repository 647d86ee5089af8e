namespace IntuneBanSync.Tests.Journal;

public sealed class JournalKeysTests
{
    [Fact]
    public void Run_is_keyed_by_tenant_then_run_id()
    {
        var key = JournalKeys.Run("contoso", "run-1");

        Assert.Equal(new TableKey("contoso", "run-1"), key);
    }

    [Fact]
    public void Finding_is_keyed_by_tenant_run_and_the_devices_shard_then_ban_and_device()
    {
        var key = JournalKeys.Finding("contoso", "run-1", "tiktok", "device-1");

        Assert.Equal(new TableKey($"contoso|run-1|{JournalKeys.FindingShard("device-1"):x2}", "tiktok|device-1"), key);
    }

    [Fact]
    public void A_devices_shard_is_the_same_in_any_case_and_spreads_devices_over_every_partition()
    {
        var shards = Enumerable.Range(0, 1_000).Select(i => JournalKeys.FindingShard($"d{i:x8}-0000-4000-8000-000000000000")).ToList();

        Assert.Equal(JournalKeys.FindingShard("ABC-def"), JournalKeys.FindingShard("abc-DEF"));
        Assert.Equal(Enumerable.Range(0, JournalKeys.FindingPartitions), shards.Distinct().Order());
        Assert.All(shards.GroupBy(s => s), g => Assert.InRange(g.Count(), 30, 100));
    }

    [Fact]
    public void Device_state_is_keyed_by_tenant_ban_and_the_devices_shard_then_device()
    {
        var key = JournalKeys.DeviceState("contoso", "tiktok", "device-1");

        Assert.Equal(new TableKey($"contoso|tiktok|{JournalKeys.FindingShard("device-1"):x2}", "device-1"), key);
        Assert.InRange(string.CompareOrdinal(key.PartitionKey, JournalKeys.DeviceStatesRange("contoso", "tiktok").FromInclusive), 0, int.MaxValue);
        Assert.True(string.CompareOrdinal(key.PartitionKey, JournalKeys.DeviceStatesRange("contoso", "tiktok").ToExclusive) < 0);
    }

    [Fact]
    public void Audit_intent_is_keyed_by_tenant_ban_and_the_writes_shard_then_write_id_and_intent()
    {
        var key = JournalKeys.AuditIntent("contoso", "tiktok", "w-0001");

        Assert.Equal(new TableKey($"contoso|tiktok|{JournalKeys.AuditShard("w-0001"):x2}", "w-0001|intent"), key);
    }

    [Fact]
    public void A_runs_writes_share_a_shard_a_thousand_at_a_time_and_the_next_thousand_moves_on()
    {
        var shards = Enumerable.Range(0, 16_000).Select(i => JournalKeys.AuditShard($"20261128T000000Z-5f15f7-{i:D6}")).ToList();

        Assert.All(shards.Chunk(1_000), thousand => Assert.Single(thousand.Distinct()));
        Assert.Equal(JournalKeys.FindingPartitions, shards.Distinct().Count());
        Assert.InRange(JournalKeys.AuditShard("not-a-sequence"), 0, JournalKeys.FindingPartitions - 1);
    }

    [Fact]
    public void Audit_outcome_shares_the_partition_of_its_intent_and_differs_only_in_kind()
    {
        var key = JournalKeys.AuditOutcome("contoso", "tiktok", "w-0001");

        Assert.Equal(new TableKey(JournalKeys.AuditIntent("contoso", "tiktok", "w-0001").PartitionKey, "w-0001|outcome"), key);
    }

    [Fact]
    public void Ban_resources_are_keyed_by_tenant_then_ban()
    {
        var key = JournalKeys.BanResources("contoso", "tiktok");

        Assert.Equal(new TableKey("contoso", "tiktok"), key);
    }

    [Theory]
    [InlineData("tenant", "con|toso", "tiktok", "w-1")]
    [InlineData("tenant", "con\\toso", "tiktok", "w-1")]
    [InlineData("banId", "contoso", "tik|tok", "w-1")]
    [InlineData("banId", "contoso", "tik#tok", "w-1")]
    [InlineData("writeId", "contoso", "tiktok", "w|1")]
    [InlineData("writeId", "contoso", "tiktok", "w?1")]
    [InlineData("writeId", "contoso", "tiktok", "w\u00001")]
    [InlineData("writeId", "contoso", "tiktok", "")]
    public void Audit_key_parts_that_are_not_allowed_are_rejected_naming_the_field(string field, string tenant, string banId, string writeId)
    {
        var intent = Assert.Throws<ArgumentException>(() => JournalKeys.AuditIntent(tenant, banId, writeId));
        var outcome = Assert.Throws<ArgumentException>(() => JournalKeys.AuditOutcome(tenant, banId, writeId));

        Assert.Equal(field, intent.ParamName);
        Assert.Equal(field, outcome.ParamName);
    }

    [Fact]
    public void Audit_row_of_a_write_id_too_long_for_a_key_is_rejected()
    {
        var writeId = new string('w', TableKeys.MaxLength - "|intent".Length + 1);

        var error = Assert.Throws<ArgumentException>(() => JournalKeys.AuditIntent("contoso", "tiktok", writeId));

        Assert.Equal("writeId", error.ParamName);
    }

    [Theory]
    [InlineData("tenant", "con/toso", "tiktok")]
    [InlineData("banId", "contoso", "tik?tok")]
    [InlineData("banId", "contoso", "tik|tok")]
    public void Ban_resources_key_parts_that_are_not_allowed_are_rejected_naming_the_field(string field, string tenant, string banId)
    {
        var error = Assert.Throws<ArgumentException>(() => JournalKeys.BanResources(tenant, banId));

        Assert.Equal(field, error.ParamName);
    }

    [Theory]
    [InlineData("tenant", "con|toso", "run-1", "tiktok", "device-1")]
    [InlineData("runId", "contoso", "run|1", "tiktok", "device-1")]
    [InlineData("banId", "contoso", "run-1", "tik|tok", "device-1")]
    [InlineData("deviceId", "contoso", "run-1", "tiktok", "device|1")]
    public void Parts_containing_the_separator_are_rejected_so_a_key_has_one_reading(string field, string tenant, string runId, string banId, string deviceId)
    {
        var error = Assert.Throws<ArgumentException>(() => JournalKeys.Finding(tenant, runId, banId, deviceId));

        Assert.Equal(field, error.ParamName);
    }

    [Theory]
    [InlineData("tenant", "con#toso", "tiktok", "device-1")]
    [InlineData("banId", "contoso", "tik/tok", "device-1")]
    [InlineData("deviceId", "contoso", "tiktok", "device?1")]
    public void Device_state_parts_with_forbidden_characters_are_rejected_naming_the_field(string field, string tenant, string banId, string deviceId)
    {
        var error = Assert.Throws<ArgumentException>(() => JournalKeys.DeviceState(tenant, banId, deviceId));

        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void Composite_key_longer_than_the_maximum_is_rejected_naming_both_parts()
    {
        var tenant = new string('t', 300);
        var runId = new string('r', 300);

        var error = Assert.Throws<ArgumentException>(() => JournalKeys.FindingsPartition(tenant, runId));

        Assert.Equal("tenant and runId", error.ParamName);
    }

    [Fact]
    public void Tenant_device_states_range_holds_every_ban_of_the_tenant_and_nothing_else()
    {
        var (from, to) = JournalKeys.TenantRange("contoso");
        string[] inside = [JournalKeys.DeviceStatesPartition("contoso", "tiktok"), JournalKeys.DeviceStatesPartition("contoso", "~~~"), JournalKeys.DeviceStatesPartition("contoso", "字节跳动")];
        string[] outside = [JournalKeys.DeviceStatesPartition("contoso2", "tiktok"), JournalKeys.DeviceStatesPartition("contos", "tiktok"), "contoso", JournalKeys.DeviceStatesPartition("contoso.evil", "tiktok")];

        bool InRange(string partition) => string.CompareOrdinal(partition, from) >= 0 && string.CompareOrdinal(partition, to) < 0;

        Assert.All(inside, partition => Assert.True(InRange(partition), partition));
        Assert.All(outside, partition => Assert.False(InRange(partition), partition));
    }

    [Theory]
    [InlineData("Ibs", "IbsRuns", "IbsFindings", "IbsDeviceStates", "IbsAudit", "IbsBanResources")]
    [InlineData("j2026", "j2026Runs", "j2026Findings", "j2026DeviceStates", "j2026Audit", "j2026BanResources")]
    public void Table_names_are_the_prefix_and_the_table(string prefix, string runs, string findings, string deviceStates, string audit, string banResources)
    {
        string[] names = [JournalKeys.RunsTable(prefix), JournalKeys.FindingsTable(prefix), JournalKeys.DeviceStatesTable(prefix), JournalKeys.AuditTable(prefix), JournalKeys.BanResourcesTable(prefix)];

        Assert.Equal([runs, findings, deviceStates, audit, banResources], names);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("2026journal")]
    [InlineData("journal_2026")]
    [InlineData("jöurnal")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12")]
    public void Table_prefix_that_cannot_name_a_table_is_rejected(string? prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => JournalKeys.ValidateTablePrefix(prefix));

        Assert.Equal("prefix", error.ParamName);
    }

    [Fact]
    public void Table_prefix_of_the_maximum_length_names_a_63_character_table()
    {
        var prefix = "j" + new string('0', JournalKeys.MaxTablePrefixLength - 1);

        string[] names = [JournalKeys.DeviceStatesTable(prefix), JournalKeys.BanResourcesTable(prefix)];

        Assert.All(names, name => Assert.Equal(63, name.Length));
    }
}
