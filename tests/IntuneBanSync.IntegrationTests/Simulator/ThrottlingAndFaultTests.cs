using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;

namespace IntuneBanSync.IntegrationTests.Simulator;

public sealed class ThrottlingAndFaultTests : SimulatorTests
{
    [Fact]
    public async Task Requests_beyond_the_category_limit_get_429_with_Retry_After_until_the_window_resets()
    {
        var (tenant, clock) = await StartLimitedAsync(new ThrottleLimit(3, 1));
        using var client = SimulatorGraph.Client(tenant, retries: false);
        var id = tenant.State.ManagedDevices[0].Id;
        for (var i = 0; i < 3; i++)
        {
            await client.DeviceManagement.ManagedDevices[id].GetAsync();
        }

        var throttled = await Assert.ThrowsAsync<ODataError>(() => client.DeviceManagement.ManagedDevices[id].GetAsync());
        var otherCategory = await client.Groups.GetAsync();
        clock.Advance(TimeSpan.FromSeconds(21));
        var afterReset = await client.DeviceManagement.ManagedDevices[id].GetAsync();

        Assert.Equal(429, throttled.ResponseStatusCode);
        Assert.Equal("TooManyRequests", throttled.Error!.Code);
        Assert.Equal(["20"], throttled.ResponseHeaders["Retry-After"]);
        Assert.NotNull(otherCategory);
        Assert.Equal(id, afterReset!.Id);
        Assert.Equal(1, tenant.Requests.Throttled);
    }

    [Fact]
    public async Task Writes_have_their_own_lower_limit()
    {
        var (tenant, _) = await StartLimitedAsync(new ThrottleLimit(100, 1));
        using var client = SimulatorGraph.Client(tenant, retries: false);
        var id = tenant.State.ManagedDevices[0].Id;
        await client.DeviceManagement.ManagedDevices[id].SyncDevice.PostAsync();

        var error = await Assert.ThrowsAsync<ODataError>(() => client.DeviceManagement.ManagedDevices[id].SyncDevice.PostAsync());
        var read = await client.DeviceManagement.ManagedDevices[id].GetAsync();

        Assert.Equal(429, error.ResponseStatusCode);
        Assert.NotNull(read);
    }

    [Fact]
    public async Task The_sdk_retry_handler_rides_out_a_short_throttling_window()
    {
        var tenant = await StartAsync(options: new SimulatorOptions { TimeFactor = 0.01, DevicesLimit = new(2, 2) });
        var id = tenant.State.ManagedDevices[0].Id;

        for (var i = 0; i < 3; i++)
        {
            await Client.DeviceManagement.ManagedDevices[id].GetAsync();
        }

        Assert.Equal(1, tenant.Requests.Throttled);
        Assert.Equal(4, tenant.Requests.Reads);
    }

    [Fact]
    public async Task Inner_batch_429s_are_visible_per_item_while_the_batch_answers_200()
    {
        var tenant = await StartThrottledAsync();
        tenant.Faults.RetryAfterSeconds = 2;
        var batch = new BatchRequestContentCollection(Client);
        var first = await batch.AddBatchRequestStepAsync(Client.Users[tenant.State.Users[0].Id].ToGetRequestInformation());
        var second = await batch.AddBatchRequestStepAsync(Client.DeviceManagement.ManagedDevices[tenant.State.ManagedDevices[0].Id].ToGetRequestInformation());

        var response = await Client.Batch.PostAsync(batch);
        var statuses = await response.GetResponsesStatusCodesAsync();
        using var firstResponse = await response.GetResponseByIdAsync(first);

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[first]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[second]);
        Assert.Equal(TimeSpan.FromSeconds(2), firstResponse.Headers.RetryAfter?.Delta);
        Assert.Equal(1, tenant.Requests.Batches);
        Assert.Equal(2, tenant.Requests.Throttled);
    }

    [Fact]
    public async Task Batch_items_are_routed_one_by_one()
    {
        var tenant = await StartAsync();
        var user = tenant.State.Users[0];
        var batch = new BatchRequestContentCollection(Client);
        var found = await batch.AddBatchRequestStepAsync(Client.Users[user.Id].ToGetRequestInformation());
        var missing = await batch.AddBatchRequestStepAsync(Client.Users[Guid.NewGuid().ToString()].ToGetRequestInformation());

        var response = await Client.Batch.PostAsync(batch);
        var statuses = await response.GetResponsesStatusCodesAsync();
        var parsed = await response.GetResponseByIdAsync<Microsoft.Graph.Models.User>(found);

        Assert.Equal(HttpStatusCode.OK, statuses[found]);
        Assert.Equal(HttpStatusCode.NotFound, statuses[missing]);
        Assert.Equal(user.UserPrincipalName, parsed.UserPrincipalName);
    }

    [Fact]
    public async Task A_failed_path_fails_every_time_until_cleared()
    {
        var tenant = await StartAsync();
        using var client = SimulatorGraph.Client(tenant, retries: false);
        tenant.Faults.FailPath("deviceManagement/detectedApps", 500);

        var failures = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var error = await Assert.ThrowsAsync<ODataError>(() => client.DeviceManagement.DetectedApps.GetAsync());
            failures.Add(error.ResponseStatusCode);
        }

        var unaffected = await client.DeviceManagement.ManagedDevices.GetAsync();
        tenant.Faults.ClearFailures();
        var recovered = await client.DeviceManagement.DetectedApps.GetAsync();

        Assert.Equal([500, 500, 500, 500, 500], failures);
        Assert.NotEmpty(unaffected!.Value!);
        Assert.NotEmpty(recovered!.Value!);
        Assert.Equal(5, tenant.Requests.Faults);
    }

    [Fact]
    public async Task A_failed_path_can_be_a_regular_expression()
    {
        var tenant = await StartAsync();
        using var client = SimulatorGraph.Client(tenant, retries: false);
        var app = tenant.State.MobileApps[0].Id;
        tenant.Faults.FailPath(@"^deviceAppManagement/mobileApps/[^/]+/assignments$", 403);

        var error = await Assert.ThrowsAsync<ODataError>(() => client.DeviceAppManagement.MobileApps[app].Assignments.GetAsync());
        var catalog = await client.DeviceAppManagement.MobileApps[app].GetAsync();

        Assert.Equal(403, error.ResponseStatusCode);
        Assert.Equal(app, catalog!.Id);
    }

    [Fact]
    public async Task Request_log_counts_reads_and_writes_by_kind()
    {
        var tenant = await StartAsync();
        var device = tenant.State.ManagedDevices[0];
        var user = tenant.State.Users[0];
        var police = tenant.State.GroupByName("IBS Police").Id;

        await Client.DeviceManagement.ManagedDevices.GetAsync();
        await Client.DeviceManagement.ManagedDevices[device.Id].GetAsync();
        await Client.DeviceManagement.ManagedDevices[device.Id].SyncDevice.PostAsync();
        await Client.Users[user.Id].CheckMemberGroups.PostAsCheckMemberGroupsPostResponseAsync(new() { GroupIds = [police] });
        var snapshot = tenant.Requests.Snapshot();
        tenant.Requests.Reset();

        Assert.Equal(3, snapshot.Reads);
        Assert.Equal(1, snapshot.Writes);
        Assert.Equal(1, snapshot.ByKind["GET deviceManagement/managedDevices/{id}"]);
        Assert.Equal(1, snapshot.ByKind["POST deviceManagement/managedDevices/{id}/syncDevice"]);
        Assert.Equal(1, snapshot.ByKind["POST users/{id}/checkMemberGroups"]);
        Assert.Equal(0, tenant.Requests.Reads);
    }

    /// <summary>A tenant whose throttling runs on a fake clock, its device requests limited as given.</summary>
    private async Task<(SimulatedTenant Tenant, FakeTimeProvider Clock)> StartLimitedAsync(ThrottleLimit devicesLimit)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        var tenant = await StartAsync(options: new SimulatorOptions { TimeProvider = clock, ThrottleClock = clock, DevicesLimit = devicesLimit });
        return (tenant, clock);
    }
}
