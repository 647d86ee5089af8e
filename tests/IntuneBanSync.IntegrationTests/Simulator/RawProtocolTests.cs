namespace IntuneBanSync.IntegrationTests.Simulator;

/// <summary>Protocol details the SDK hides: checked over plain HTTP.</summary>
public sealed class RawProtocolTests : SimulatorTests
{
    [Fact]
    public async Task A_batch_of_more_than_20_requests_is_refused_whole()
    {
        var tenant = await StartAsync();
        var requests = Enumerable.Range(1, 21).Select(i => new JsonObject
        {
            ["id"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["method"] = "GET",
            ["url"] = $"/users/{tenant.State.Users[0].Id}",
        });

        using var response = await Http.PostAsync($"{tenant.GraphUrl}/$batch", Json(new JsonObject { ["requests"] = new JsonArray([.. requests]) }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, tenant.Requests.Reads);
    }

    [Fact]
    public async Task Injected_429s_can_omit_Retry_After()
    {
        var tenant = await StartThrottledAsync();
        tenant.Faults.ThrottleWithoutRetryAfterShare = 1;

        using var response = await Http.GetAsync($"{tenant.GraphUrl}/deviceManagement/managedDevices");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Injected_503s_follow_the_service_unavailable_rate()
    {
        var tenant = await StartAsync();
        tenant.Faults.ServiceUnavailableRate = 1;

        using var failed = await Http.GetAsync($"{tenant.GraphUrl}/groups");
        tenant.Faults.ServiceUnavailableRate = 0;
        using var served = await Http.GetAsync($"{tenant.GraphUrl}/groups");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(1, tenant.Requests.Faults);
    }

    [Fact]
    public async Task Errors_carry_graph_error_bodies()
    {
        var tenant = await StartAsync();

        using var response = await Http.GetAsync($"{tenant.GraphUrl}/deviceManagement/managedDevices/{Guid.NewGuid()}");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull(body["error"]?["code"]);
        Assert.NotNull(body["error"]?["innerError"]?["request-id"]);
    }

    [Fact]
    public async Task Top_is_capped_at_the_maximum_page_size()
    {
        var tenant = await StartAsync(devices: 60, new SimulatorOptions { MaxTop = 25 });

        var page = JsonNode.Parse(await Http.GetStringAsync($"{tenant.GraphUrl}/deviceManagement/managedDevices?$top=999"))!;

        Assert.Equal(25, page["value"]!.AsArray().Count);
        Assert.NotNull(page["@odata.nextLink"]);
    }

    [Fact]
    public async Task Control_endpoints_report_and_reset_stats_and_check_in_without_being_counted()
    {
        var tenant = await StartAsync();
        await Http.GetStringAsync($"{tenant.GraphUrl}/groups");

        var stats = JsonNode.Parse(await Http.GetStringAsync(new Uri(tenant.BaseUrl, "_sim/stats")))!;
        using var reset = await Http.PostAsync(new Uri(tenant.BaseUrl, "_sim/stats/reset"), null);
        using var checkIn = await Http.PostAsync(new Uri(tenant.BaseUrl, "_sim/checkin"), null);

        Assert.Equal(1, stats["reads"]!.GetValue<long>());
        Assert.Equal(1, stats["byKind"]!["GET groups"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, checkIn.StatusCode);
        Assert.Equal(0, tenant.Requests.Reads + tenant.Requests.Writes);
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
