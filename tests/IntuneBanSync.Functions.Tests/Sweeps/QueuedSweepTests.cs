namespace IntuneBanSync.Functions.Tests.Sweeps;

/// <summary>
/// A whole-tenant sweep asked for over HTTP, end to end: 202 with the run's URL, the message on Azurite's real queue,
/// the queue trigger running it over the simulated tenant, and GET /api/sweeps/{runId} telling how it went.
/// </summary>
public sealed class QueuedSweepTests(AzuriteFixture azurite, TenantFixture fixture) : SweepHostTests(azurite, fixture)
{
    [Fact]
    public async Task Whole_tenant_sweep_is_accepted_then_run_from_the_queue_and_reported_at_its_location()
    {
        var accepted = await PostAsync(Host, "{}");
        var message = await Host.ReceiveQueuedAsync(accepted.String("runId")!);
        await Host.Create<QueuedSweeps>().RunQueuedSweep(message.Body.ToString(), CancellationToken.None);
        var status = await GetLocationAsync(Host, accepted.Location!);

        Assert.Equal(StatusCodes.Status202Accepted, accepted.Status);
        Assert.Equal($"/api/sweeps/{accepted.String("runId")}?tenant={FunctionHost.Tenant}", accepted.Location);
        Assert.Equal(StatusCodes.Status200OK, status.Status);
        Assert.Equal("completed", status.String("status"));
        Assert.Equal(accepted.String("runId"), status.String("runId"));
        var report = status.Body.GetProperty("report");
        Assert.Equal(Tenant.State.ManagedDevices.Count, report.GetProperty("devicesEvaluated").GetInt32());
        Assert.True(report.GetProperty("offendingDevices").GetInt32() > 0, $"expected offending devices in {report}");
    }

    [Fact]
    public async Task Queued_sweep_is_reported_queued_until_the_queue_runs_it()
    {
        var before = Tenant.Requests.Snapshot();

        var accepted = await PostAsync(Host, "{}");
        var status = await GetLocationAsync(Host, accepted.Location!);

        Assert.Equal(StatusCodes.Status200OK, status.Status);
        Assert.Equal("queued", status.String("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.Body.GetProperty("report").ValueKind);
        Assert.Equal(before.Reads, Tenant.Requests.Snapshot().Reads);
        await Host.ReceiveQueuedAsync(accepted.String("runId")!);
    }

    [Fact]
    public async Task Poisoned_sweep_marks_its_run_failed()
    {
        var accepted = await PostAsync(Host, "{}");
        var message = await Host.ReceiveQueuedAsync(accepted.String("runId")!);

        await Host.Create<QueuedSweeps>().FailPoisonedSweep(message.Body.ToString(), CancellationToken.None);

        var status = await GetLocationAsync(Host, accepted.Location!);
        Assert.Equal("failed", status.String("status"));
        Assert.False(string.IsNullOrEmpty(status.String("error")));
        Assert.Equal(TenantFixture.Seed.Now, status.Body.GetProperty("endedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Status_of_an_unknown_run_is_not_found()
    {
        var request = HttpCalls.Get().As(AppRoles.Helpdesk);

        var answer = await HttpCalls.ExecuteAsync(await Host.Create<GetSweep>().Run(request, "20990101T000000Z-unknown", CancellationToken.None), request);

        Assert.Equal(StatusCodes.Status404NotFound, answer.Status);
    }

    [Fact]
    public async Task Status_of_a_run_id_with_forbidden_characters_is_refused_naming_runId()
    {
        var request = HttpCalls.Get().As(AppRoles.Helpdesk);

        var answer = await HttpCalls.ExecuteAsync(await Host.Create<GetSweep>().Run(request, "run' or 1 eq 1", CancellationToken.None), request);

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("runId"), $"expected an error on runId in {answer.Body}");
    }

    private static async Task<HttpAnswer> PostAsync(SweepHost host, string json)
    {
        var request = HttpCalls.JsonPost(json).As(AppRoles.Helpdesk);
        return await HttpCalls.ExecuteAsync(await host.Create<SweepNow>().Run(request, CancellationToken.None), request);
    }

    /// <summary>GET on the Location a 202 answered: its last path segment is the run id, its query the tenant.</summary>
    private static async Task<HttpAnswer> GetLocationAsync(SweepHost host, string location)
    {
        var url = new Uri(new Uri("http://localhost"), location);
        var request = HttpCalls.Get(url.Query).As(AppRoles.Helpdesk);
        var result = await host.Create<GetSweep>().Run(request, url.Segments[^1], CancellationToken.None);
        return await HttpCalls.ExecuteAsync(result, request);
    }
}
