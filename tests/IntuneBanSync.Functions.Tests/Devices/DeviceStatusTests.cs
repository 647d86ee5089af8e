using IntuneBanSync.Functions.Devices;
using IntuneBanSync.Functions.Security;
using IntuneBanSync.Functions.Tests.Infrastructure;
using IntuneBanSync.Journal;
using Microsoft.AspNetCore.Http;

namespace IntuneBanSync.Functions.Tests.Devices;

/// <summary>GET /api/devices/{id}: what the journal knows of one device, after a sweep saw the banned app on it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeviceStatusTests(AzuriteFixture azurite, TenantFixture fixture) : IClassFixture<TenantFixture>
{
    [Fact]
    public async Task Device_the_banned_app_was_seen_on_answers_its_ban_states()
    {
        await using var host = await SweepHost.StartAsync(fixture.Tenant, azurite, TenantFixture.Seed);
        var run = await host.RunReportSweepAsync();
        var (deviceId, state) = (await host.Journal.GetDeviceStatesAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None)).First();

        var answer = await GetAsync(host, deviceId);

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(deviceId, answer.String("deviceId"));
        var ban = Assert.Single(answer.Body.GetProperty("bans").EnumerateArray());
        Assert.Equal("tiktok", ban.GetProperty("banId").GetString());
        Assert.Equal(WireName.Of(state.LastDecision), ban.GetProperty("lastDecision").GetString());
        Assert.Equal(run.StartedAt, ban.GetProperty("lastSeen").GetDateTimeOffset());
        Assert.Empty(answer.Body.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task Device_the_journal_never_saw_is_not_found()
    {
        await using var host = await SweepHost.StartAsync(fixture.Tenant, azurite, TenantFixture.Seed);
        await host.RunReportSweepAsync();

        var answer = await GetAsync(host, Guid.NewGuid().ToString());

        Assert.Equal(StatusCodes.Status404NotFound, answer.Status);
    }

    [Fact]
    public async Task Device_id_that_is_not_a_guid_is_refused_naming_id()
    {
        await using var host = await SweepHost.StartAsync(fixture.Tenant, azurite, TenantFixture.Seed);

        var answer = await GetAsync(host, "' or PartitionKey ne '");

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("id"), $"expected an error on id in {answer.Body}");
    }

    private static async Task<HttpAnswer> GetAsync(SweepHost host, string id)
    {
        var request = HttpCalls.Get().As(AppRoles.Helpdesk);
        return await HttpCalls.ExecuteAsync(await host.Create<GetDevice>().Run(request, id, CancellationToken.None), request);
    }
}
