namespace IntuneBanSync.Functions.Tests.Devices;

/// <summary>GET /api/devices/{id}: what the journal knows of one device, after a sweep saw the banned app on it.</summary>
public sealed class DeviceStatusTests(AzuriteFixture azurite, TenantFixture fixture) : SweepHostTests(azurite, fixture)
{
    [Fact]
    public async Task Device_the_banned_app_was_seen_on_answers_its_ban_states()
    {
        var run = await Host.RunReportSweepAsync();
        var (deviceId, state) = (await Host.Journal.GetDeviceStatesAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None)).First();

        var answer = await GetAsync(Host, deviceId);

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(deviceId, answer.String("deviceId"));
        var ban = Assert.Single(answer.Body.GetProperty("bans").EnumerateArray());
        Assert.Equal("tiktok", ban.GetProperty("banId").GetString());
        Assert.Equal(WireName.Of(state.LastDecision), ban.GetProperty("lastDecision").GetString());
        Assert.Equal(run.StartedAt, ban.GetProperty("lastSeen").GetDateTimeOffset());
        Assert.Empty(answer.Body.GetProperty("history").EnumerateArray());
        Assert.Empty(answer.Body.GetProperty("notifications").EnumerateArray());
        Assert.Empty(answer.Body.GetProperty("attestations").EnumerateArray());
    }

    [Fact]
    public async Task Device_still_seen_by_a_later_sweep_that_rewrote_nothing_answers_that_sweep_as_last_seen()
    {
        var first = await Host.RunReportSweepAsync();
        ((FakeTimeProvider)Host.Services.GetRequiredService<TimeProvider>()).Advance(TimeSpan.FromHours(4));
        var second = await Host.RunReportSweepAsync();
        var (deviceId, state) = (await Host.Journal.GetDeviceStatesAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None))
            .First(s => s.Value.LastDecision == Planning.DecisionKind.Offending);

        var answer = await GetAsync(Host, deviceId);

        Assert.Equal(first.StartedAt, state.LastSeen);
        var ban = Assert.Single(answer.Body.GetProperty("bans").EnumerateArray());
        Assert.Equal(second.StartedAt, ban.GetProperty("lastSeen").GetDateTimeOffset());
        Assert.Equal(first.StartedAt, ban.GetProperty("firstSeen").GetDateTimeOffset());
    }

    [Fact]
    public async Task Device_view_lists_the_attestations_of_its_user()
    {
        await Host.RunReportSweepAsync();
        var deviceId = (await Host.Journal.GetDeviceStatesAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None)).Keys.First();
        var attested = new Attestation("tiktok", deviceId, "a0000000-0000-4000-8000-000000000001", "alex@contoso.example", TenantFixture.Seed.Now, "iPhone of Alex");
        await Host.Attestations.RecordAsync(FunctionHost.Tenant, attested, CancellationToken.None);

        var answer = await GetAsync(Host, deviceId);

        var attestation = Assert.Single(answer.Body.GetProperty("attestations").EnumerateArray());
        Assert.Equal("tiktok", attestation.GetProperty("banId").GetString());
        Assert.Equal("a0000000-0000-4000-8000-000000000001", attestation.GetProperty("userId").GetString());
        Assert.Equal("alex@contoso.example", attestation.GetProperty("userPrincipalName").GetString());
        Assert.Equal(TenantFixture.Seed.Now, attestation.GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Device_known_only_by_an_attestation_is_found()
    {
        var deviceId = Guid.NewGuid().ToString();
        await Host.Attestations.RecordAsync(
            FunctionHost.Tenant, new Attestation("tiktok", deviceId, "a0000000-0000-4000-8000-000000000001", "alex@contoso.example", TenantFixture.Seed.Now), CancellationToken.None);

        var answer = await GetAsync(Host, deviceId);

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Single(answer.Body.GetProperty("attestations").EnumerateArray());
    }

    [Fact]
    public async Task Device_view_lists_the_notifications_sent_to_it_apart_from_its_other_writes()
    {
        await Host.RunReportSweepAsync();
        var deviceId = (await Host.Journal.GetDeviceStatesAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None)).Keys.First();
        var at = TenantFixture.Seed.Now;
        WriteIntent[] intents =
        [
            new("w-0001", "tiktok", deviceId, new WriteAction("add-member"), "group", "run-1", at),
            new("w-0002", "tiktok", deviceId, IntuneBanSync.Enforcement.Notifications.CompanyPortalNotifications.SendNotification, "reminder-14", "run-1", at.AddMinutes(1)),
            new("w-0003", "tiktok", Guid.NewGuid().ToString(), IntuneBanSync.Enforcement.Notifications.CompanyPortalNotifications.SendNotification, "reminder-14", "run-1", at.AddMinutes(2)),
        ];
        await Host.Journal.RecordIntentsAsync(FunctionHost.Tenant, intents, CancellationToken.None);
        await Host.Journal.RecordOutcomesAsync(FunctionHost.Tenant, [new("w-0002", "tiktok", WriteResult.Done, null, at.AddMinutes(1))], CancellationToken.None);

        var answer = await GetAsync(Host, deviceId);

        Assert.Equal(2, answer.Body.GetProperty("history").GetArrayLength());
        var notification = Assert.Single(answer.Body.GetProperty("notifications").EnumerateArray());
        Assert.Equal("send-notification", notification.GetProperty("action").GetString());
        Assert.Equal("reminder-14", notification.GetProperty("target").GetString());
        Assert.Equal("done", notification.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Device_the_journal_never_saw_is_not_found()
    {
        await Host.RunReportSweepAsync();

        var answer = await GetAsync(Host, Guid.NewGuid().ToString());

        Assert.Equal(StatusCodes.Status404NotFound, answer.Status);
    }

    [Fact]
    public async Task Device_id_that_is_not_a_guid_is_refused_naming_id()
    {
        var answer = await GetAsync(Host, "' or PartitionKey ne '");

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("id"), $"expected an error on id in {answer.Body}");
    }

    private static async Task<HttpAnswer> GetAsync(SweepHost host, string id)
    {
        var request = HttpCalls.Get().As(AppRoles.Helpdesk);
        return await HttpCalls.ExecuteAsync(await host.Create<GetDevice>().Run(request, id, CancellationToken.None), request);
    }
}
