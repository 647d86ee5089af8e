namespace IntuneBanSync.IntegrationTests.Sweeps;

/// <summary>How many people a ban affects, at any date: counted before the deadline too, by department, and as of a chosen day.</summary>
public sealed class PeopleReportTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    [Fact]
    public async Task Before_the_deadline_affected_people_are_the_users_of_in_scope_devices_showing_the_app()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(600, seed: 7));
        var expected = People(harness.Tenant.State);

        var report = await harness.SweepAsync(BanWithDeadlineIn(harness, days: 20));

        Assert.True(expected.Count > 0, "the seed must have affected people");
        Assert.Equal((expected.Count, expected.Count, 0), (report.People.Affected, report.People.BeforeDeadline, report.People.PastDeadline));
        Assert.Equal(expected.Count, report.AffectedPeople);
        Assert.Equal(0, report.OffendingDevices);
    }

    [Fact]
    public async Task Affected_people_are_counted_by_department_read_for_them_alone_in_batches()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(600, seed: 7));
        var state = harness.Tenant.State;
        var expected = People(state).GroupBy(u => state.Users.Single(x => x.Id == u).Department ?? "(none)")
            .ToDictionary(g => g.Key, g => g.Count());
        harness.Tenant.Requests.Reset();

        var report = await harness.SweepAsync(BanWithDeadlineIn(harness, days: 20));

        Assert.Equal(expected.OrderBy(e => e.Key), report.People.ByDepartment.OrderBy(e => e.Key));
        var userReads = harness.Tenant.Requests.ByKind.GetValueOrDefault("GET users");
        Assert.Equal((People(state).Count + 14) / 15, userReads);
        Assert.Equal(0, harness.Tenant.Requests.ByKind.GetValueOrDefault("GET users/{id}"));
        Assert.True(harness.Tenant.Requests.Snapshot().Batches <= (userReads + 19) / 20 + 1, "users are read 15 a request (id in …), 20 requests a batch");
    }

    [Fact]
    public async Task As_of_the_deadline_the_same_people_are_past_it()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(600, seed: 7));
        var banList = BanWithDeadlineIn(harness, days: 20);
        var deadline = banList.Bans[0].UninstallBy;

        var before = await harness.SweepAsync(banList);
        var atDeadline = await harness.Engine().RunAsync(
            new SweepRequest(banList, "contoso", "test", SweepTarget.WholeTenant, AsOf: deadline), null, CancellationToken.None);

        Assert.Equal(before.People.Affected, atDeadline.People.Affected);
        Assert.Equal((0, before.People.Affected), (atDeadline.People.BeforeDeadline, atDeadline.People.PastDeadline));
        Assert.Equal(SweepStatus.Completed, atDeadline.Status);
    }

    private static BanListDocument BanWithDeadlineIn(SweepHarness harness, int days)
    {
        var json = JsonNode.Parse(harness.TikTokBanJson())!;
        json["bans"]![0]!["uninstallBy"] = harness.Seed.Now.AddDays(days).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var parsed = BanListParser.Parse(json.ToJsonString());
        return parsed.Document ?? throw new InvalidOperationException(string.Join("; ", parsed.Errors));
    }

    /// <summary>The oracle: distinct users of the devices the ban would find offending, from the generator's truth.</summary>
    private static HashSet<string> People(TenantState state) =>
        [.. ExpectedReport.OffendingDevices(state).Select(d => d.UserId).OfType<string>()];
}
