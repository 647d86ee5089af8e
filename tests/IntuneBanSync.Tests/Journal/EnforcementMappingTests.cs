using IntuneBanSync.Journal;

namespace IntuneBanSync.Tests.Journal;

public sealed class EnforcementMappingTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Intent_and_outcome_of_one_write_map_to_neighbouring_rows_of_the_ban()
    {
        var intent = new WriteIntent("w-1", "tiktok", "device-1", "addGroupMember", "group IBS tiktok", "run-1", Start);
        var outcome = new WriteOutcome("w-1", "tiktok", "done", null, Start.AddSeconds(1));

        var (intentRow, outcomeRow) = (JournalMapping.ToEntity("contoso", intent), JournalMapping.ToEntity("contoso", outcome));

        Assert.Equal(intentRow.PartitionKey, outcomeRow.PartitionKey);
        Assert.Equal((JournalKeys.IntentKind, JournalKeys.OutcomeKind), (intentRow.Kind, outcomeRow.Kind));
        Assert.Equal(intent, JournalMapping.ToIntent(intentRow));
        Assert.Equal(outcome, JournalMapping.ToOutcome(outcomeRow));
    }

    [Fact]
    public void Device_state_keeps_every_lifecycle_field_through_its_entity()
    {
        var state = new DeviceBanState("tiktok", "device-1", Start, Start.AddHours(1), "Offending", "run-1",
            "failed", "assignment rejected", Start.AddHours(2), Start.AddHours(3), "entra-1", "none: user-installed", "user-1", "Pixel of Bo");

        var read = JournalMapping.ToRecord(JournalMapping.ToEntity("contoso", state));

        Assert.Equal(state, read);
    }

    [Fact]
    public void Ban_resources_keep_their_apps_through_the_json_column()
    {
        var resources = new BanResources("tiktok", "IBS tiktok", "group-1", true,
            [new("uninstall:iosStoreApp", "app-1", true, "assignment-1", true), new("uninstall:androidManagedStoreApp", "app-2", false, null, false)]);

        var read = JournalMapping.ToRecord(JournalMapping.ToEntity("contoso", resources));

        Assert.Equal(resources with { Apps = [] }, read with { Apps = [] });
        Assert.Equal(resources.Apps, read.Apps);
    }

    [Fact]
    public void Ban_resources_whose_apps_do_not_fit_one_column_are_refused_rather_than_cut()
    {
        var apps = Enumerable.Range(0, 400).Select(i => new BanAppResource("uninstall:iosStoreApp", $"app-{i:D4}-{new string('x', 60)}", true, $"assignment-{i}", true)).ToList();
        var resources = new BanResources("tiktok", "IBS tiktok", "group-1", true, apps);

        var error = Assert.Throws<ArgumentException>(() => JournalMapping.ToEntity("contoso", resources));

        Assert.Equal("resources", error.ParamName);
    }
}
