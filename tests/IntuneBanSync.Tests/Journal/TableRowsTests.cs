using Azure.Data.Tables;

namespace IntuneBanSync.Tests.Journal;

public sealed class TableRowsTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);
    private static readonly TableKey Key = new("contoso|tiktok", "row-1");

    [Fact]
    public void Intent_and_outcome_of_one_write_keep_every_field_through_their_entities()
    {
        var intent = new WriteIntent("w-1", "tiktok", "device-1", new WriteAction("add-member"), "groups/g/members/m", "run-1", Start, new MechanismName("uninstall-assignment"));
        var outcome = new WriteOutcome("w-1", "tiktok", WriteResult.AlreadyDone, null, Start.AddSeconds(1));

        var (intentRead, outcomeRead) = (RoundTrip(intent), RoundTrip(outcome));

        Assert.Equal(intent, intentRead);
        Assert.Equal(outcome, outcomeRead);
    }

    [Fact]
    public void Device_state_keeps_every_lifecycle_field_through_its_entity()
    {
        var state = new DeviceBanState("tiktok", "device-1", Start, Start.AddHours(1), DecisionKind.Offending, "run-1",
            LifecycleState.Failed, "assignment rejected", Start.AddHours(2), Start.AddHours(3), "entra-1", "none: user-installed", "user-1", "Pixel of Bo");

        var read = RoundTrip(state);

        Assert.Equal(state, read);
    }

    [Fact]
    public void Device_state_keeps_what_each_mechanism_reached_and_compares_by_value()
    {
        var reaches = new ValueList<RouteReach>([new(new MechanismName("uninstall-assignment"), "uninstall (ios)", Reach.Assigned), new(new MechanismName("compliance"), "compliance (ios)", Reach.Unreachable, "why")]);
        var state = new DeviceBanState("tiktok", "device-1", Start, Start, DecisionKind.Offending, "run-1", LifecycleState.Enforcing, Reaches: reaches, DeviceClass: "ios-supervised");

        var read = RoundTrip(state);

        Assert.Equal(state, read);
        Assert.NotSame(state.Reaches, read.Reaches);
    }

    [Fact]
    public void Enums_are_stored_by_their_kebab_case_name_and_read_back_whatever_the_case()
    {
        var state = new DeviceBanState("tiktok", "device-1", Start, Start, DecisionKind.OutOfScope, "run-1", LifecycleState.BanInactive);

        var entity = TableRows.ToEntity(Key, state);
        entity["LastDecision"] = "OutOfScope";

        Assert.Equal("ban-inactive", entity.GetString("State"));
        Assert.Equal(DecisionKind.OutOfScope, TableRows.ToRow<DeviceBanState>(entity).LastDecision);
    }

    [Fact]
    public void A_stored_value_that_is_not_of_the_enum_is_refused_naming_the_row()
    {
        var entity = TableRows.ToEntity(Key, new DeviceBanState("tiktok", "device-1", Start, Start, DecisionKind.Offending, "run-1"));
        entity["LastDecision"] = "Clean-ish";

        var error = Assert.Throws<InvalidDataException>(() => TableRows.ToRow<DeviceBanState>(entity));

        Assert.Contains("row-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ban_resources_keep_their_typed_resources_through_the_json_column()
    {
        var resources = new BanResources("tiktok",
        [
            new(new ResourceKind("group"), "group-1", new MechanismName("uninstall-assignment"), Start, "IntuneBanSync – TikTok – uninstall"),
            new(new ResourceKind("app-assignment"), "assignment-1", new MechanismName("uninstall-assignment"), Start, "ios", "app-1", Start.AddDays(1)),
        ]);

        var read = TableRows.ToRow<BanResources>(TableRows.ToEntity(new TableKey("contoso", "tiktok"), resources));

        Assert.Equal(resources.Resources, read.Resources);
        Assert.Equal((resources.BanId, resources.WoundDown), (read.BanId, read.WoundDown));
    }

    [Fact]
    public void Ban_resources_that_do_not_fit_one_column_are_refused_rather_than_cut()
    {
        var many = Enumerable.Range(0, 400)
            .Select(i => new CreatedResource(new ResourceKind("app-assignment"), $"assignment-{i:D4}-{new string('x', 60)}", new MechanismName("uninstall-assignment"), Start))
            .ToList();

        var error = Assert.Throws<ArgumentException>(() => TableRows.ToEntity(Key, new BanResources("tiktok", many)));

        Assert.Contains("Resources", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_seen_in_the_tenant_is_cut_to_the_column_limit_with_a_marker()
    {
        var finding = new Finding("tiktok", "device-1", DecisionKind.Offending, "detected", "TikTok", "1.0", "ios", "company", null, new string('n', 5000), null);

        var stored = TableRows.ToEntity(Key, finding).GetString("DeviceName");

        Assert.Equal(TableText.MaxShortText, stored.Length);
        Assert.EndsWith("…[truncated]", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_takes_its_tenant_and_id_from_its_keys_and_its_counts_from_its_own_columns()
    {
        var run = new SweepRun("run-1", "contoso", "cli", EnforcementMode.Enforce, Start, Start.AddMinutes(3), SweepStatus.Held, new SweepCounts(10, 2, 2, 1, 3, 0, 4));

        var entity = TableRows.ToEntity(new TableKey("contoso", "run-1"), run);

        Assert.False(entity.ContainsKey("RunId"));
        Assert.Equal(2, entity.GetInt32("OffendingDevices"));
        Assert.Equal(run, TableRows.ToRow<SweepRun>(entity));
    }

    [Fact]
    public void A_row_without_a_column_its_record_requires_is_refused()
    {
        var entity = new TableEntity("contoso", "run-1") { ["Trigger"] = "cli" };

        Assert.Throws<InvalidDataException>(() => TableRows.ToRow<SweepRun>(entity));
    }

    private static T RoundTrip<T>(T row) where T : notnull => TableRows.ToRow<T>(TableRows.ToEntity(Key, row));
}
