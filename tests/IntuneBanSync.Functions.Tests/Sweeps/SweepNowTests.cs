namespace IntuneBanSync.Functions.Tests.Sweeps;

/// <summary>POST /api/sweeps called as a method over a simulated tenant and Azurite, by a helpdesk caller unless said otherwise.</summary>
public sealed class SweepNowTests(AzuriteFixture azurite, TenantFixture fixture) : SweepHostTests(azurite, fixture)
{
    [Fact]
    public async Task Sweep_of_one_user_writes_nothing_to_the_tenant()
    {
        var before = Tenant.Requests.Snapshot();

        var answer = await CallAsync(Host, $$"""{ "user": "{{Tenant.State.ManagedDevices.First(d => d.UserPrincipalName is not null).UserPrincipalName}}" }""");

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(before.Writes, Tenant.Requests.Snapshot().Writes);
        Assert.True(Tenant.Requests.Snapshot().Reads > before.Reads);
        Assert.Empty(answer.Body.GetProperty("writes").EnumerateArray());
    }

    [Fact]
    public async Task Sweep_now_evaluates_deadlines_at_the_host_clock()
    {
        var answer = await CallAsync(Host, $$"""{ "device": "{{Tenant.State.ManagedDevices[0].Id}}" }""");

        Assert.Equal(TenantFixture.Seed.Now, answer.Body.GetProperty("asOf").GetDateTimeOffset());
    }

    [Fact]
    public async Task Sweep_of_one_user_evaluates_only_that_users_devices()
    {
        var (upn, devices) = Tenant.State.ManagedDevices
            .Where(d => d.UserPrincipalName is not null)
            .GroupBy(d => d.UserPrincipalName!)
            .Select(g => (Upn: g.Key, Devices: g.Count()))
            .MaxBy(u => u.Devices);

        var answer = await CallAsync(Host, $$"""{ "user": "{{upn}}" }""");

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.True(devices > 1, "the seed should give some user more than one device");
        Assert.Equal(devices, answer.Int("devicesEvaluated"));
    }

    [Fact]
    public async Task Sweep_of_a_device_that_is_not_a_guid_is_refused_naming_device_without_calling_graph()
    {
        var before = Tenant.Requests.Snapshot();

        var answer = await CallAsync(Host, """{ "device": "not-a-guid" }""");

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("device"), $"expected an error on device in {answer.Body}");
        Assert.Equal((before.Reads, before.Writes), (Tenant.Requests.Snapshot().Reads, Tenant.Requests.Snapshot().Writes));
    }

    [Fact]
    public async Task Sweep_with_a_body_that_is_not_json_is_refused_naming_body()
    {
        var answer = await CallAsync(Host, """{ "device": """);

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("body"), $"expected an error on body in {answer.Body}");
    }

    [Fact]
    public async Task Sweep_in_enforce_mode_of_one_device_is_refused_naming_mode()
    {
        var answer = await CallAsync(Host, HttpCalls.JsonPost($$"""{ "mode": "enforce", "device": "{{Tenant.State.ManagedDevices[0].Id}}" }""").As(AppRoles.Admin));

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("mode"), $"expected an error on mode in {answer.Body}");
    }

    [Fact]
    public async Task Sweep_in_enforce_mode_is_forbidden_to_helpdesk()
    {
        var answer = await CallAsync(Host, """{ "mode": "enforce" }""");

        Assert.Equal(StatusCodes.Status403Forbidden, answer.Status);
        Assert.Contains(AppRoles.Admin, answer.Body.GetProperty("detail").GetString());
        await Host.Journal.EnsureCreatedAsync(CancellationToken.None);
        Assert.Empty(await Host.Journal.ListRunsAsync(FunctionHost.Tenant, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Sweep_in_enforce_mode_of_the_whole_tenant_by_an_admin_is_queued_as_enforce()
    {
        var before = Tenant.Requests.Snapshot();

        var answer = await CallAsync(Host, HttpCalls.JsonPost("""{ "mode": "enforce" }""").As(AppRoles.Admin));

        Assert.Equal(StatusCodes.Status202Accepted, answer.Status);
        var run = await Host.Journal.GetRunAsync(FunctionHost.Tenant, answer.String("runId")!, CancellationToken.None);
        Assert.Equal((EnforcementMode.Enforce, SweepStatus.Queued), (run!.Mode, run.Status));
        Assert.Equal(before.Writes, Tenant.Requests.Snapshot().Writes);
        var message = SweepQueue.Parse((await Host.ReceiveQueuedAsync(run.RunId)).Body.ToString());
        Assert.Equal(new QueuedSweep(FunctionHost.Tenant, run.RunId, "enforce", HttpCalls.CallerName), message);
    }

    [Fact]
    public async Task Sweep_of_an_unknown_device_is_not_found()
    {
        var answer = await CallAsync(Host, $$"""{ "device": "{{Guid.NewGuid()}}" }""");

        Assert.Equal(StatusCodes.Status404NotFound, answer.Status);
    }

    [Fact]
    public async Task Sweep_of_one_device_evaluates_that_device()
    {
        var device = Tenant.State.ManagedDevices[0];

        var answer = await CallAsync(Host, $$"""{ "device": "{{device.Id}}" }""");

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(1, answer.Int("devicesEvaluated"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    public async Task Sweep_without_a_body_queues_a_report_sweep_of_the_whole_tenant(string? contentType)
    {
        var before = Tenant.Requests.Snapshot();

        var answer = await CallAsync(Host, HttpCalls.EmptyPost(contentType).As(AppRoles.Helpdesk));

        Assert.Equal(StatusCodes.Status202Accepted, answer.Status);
        Assert.Equal("queued", answer.String("status"));
        var run = await Host.Journal.GetRunAsync(FunctionHost.Tenant, answer.String("runId")!, CancellationToken.None);
        Assert.Equal((EnforcementMode.Report, SweepStatus.Queued, "helpdesk"), (run!.Mode, run.Status, run.Trigger));
        Assert.Equal(before.Reads, Tenant.Requests.Snapshot().Reads);
        await Host.ReceiveQueuedAsync(run.RunId);
    }

    [Fact]
    public async Task Sweep_of_a_user_id_in_braces_sweeps_that_user()
    {
        var userId = Tenant.State.ManagedDevices.First(d => d.UserId is not null).UserId!;
        var devices = Tenant.State.ManagedDevices.Count(d => d.UserId == userId);

        var answer = await CallAsync(Host, $$"""{ "user": "{{{userId.ToUpperInvariant()}}}" }""");

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(devices, answer.Int("devicesEvaluated"));
    }

    [Fact]
    public async Task Sweep_of_a_user_that_is_neither_an_id_nor_a_upn_is_refused_naming_user_without_calling_graph()
    {
        var before = Tenant.Requests.Snapshot();

        var answer = await CallAsync(Host, """{ "user": "{6b1d2c3e-4f50}" }""");

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("user"), $"expected an error on user in {answer.Body}");
        Assert.Equal(before.Reads, Tenant.Requests.Snapshot().Reads);
    }

    [Fact]
    public async Task Sweep_of_one_device_as_of_another_time_evaluates_deadlines_then()
    {
        var answer = await CallAsync(Host, $$"""{ "device": "{{Tenant.State.ManagedDevices[0].Id}}", "asOf": "2027-02-01T10:00:00+01:00" }""");

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(new DateTimeOffset(2027, 2, 1, 9, 0, 0, TimeSpan.Zero), answer.Body.GetProperty("asOf").GetDateTimeOffset());
    }

    [Fact]
    public async Task Sweep_as_of_another_time_in_enforce_mode_is_refused_naming_asOf_and_queues_nothing()
    {
        var answer = await CallAsync(Host, HttpCalls.JsonPost("""{ "mode": "enforce", "asOf": "2027-02-01T00:00:00Z" }""").As(AppRoles.Admin));

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("asOf"), $"expected an error on asOf in {answer.Body}");
        Assert.Empty(await Host.Journal.ListRunsAsync(FunctionHost.Tenant, CancellationToken.None).ToListAsync());
    }

    [Theory]
    [InlineData("12/01/2026 10:00 +01:00")]
    [InlineData("2027-02-01")]
    [InlineData("2027-02-01T00:00:00")]
    public async Task Sweep_as_of_a_time_that_is_not_iso_8601_with_a_zone_is_refused_naming_asOf(string asOf)
    {
        var answer = await CallAsync(Host, $$"""{ "device": "{{Tenant.State.ManagedDevices[0].Id}}", "asOf": "{{asOf}}" }""");

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("asOf"), $"expected an error on asOf in {answer.Body}");
    }

    [Fact]
    public async Task Sweep_with_a_lone_surrogate_is_refused_naming_its_path()
    {
        var answer = await CallAsync(Host, """{ "user": "\ud800" }""");

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("$.user"), $"expected an error on $.user in {answer.Body}");
    }

    [Fact]
    public async Task Enforcement_of_a_tenant_asks_for_admin_of_that_tenant()
    {
        await using var host = await StartHostAsync(settings =>
        {
            settings["IntuneBanSync:Tenants:0:Name"] = FunctionHost.Tenant;
            settings["IntuneBanSync:Tenants:1:Name"] = "regional";
        });
        var request = HttpCalls.JsonPost("""{ "mode": "enforce" }""")
            .As(AppRoles.ForTenant(AppRoles.Helpdesk, FunctionHost.Tenant), AppRoles.ForTenant(AppRoles.Admin, "regional"));

        var answer = await CallAsync(host, request);

        Assert.Equal(StatusCodes.Status403Forbidden, answer.Status);
        Assert.Contains(AppRoles.ForTenant(AppRoles.Admin, FunctionHost.Tenant), answer.Body.GetProperty("detail").GetString());
        Assert.Empty(await host.Journal.ListRunsAsync(FunctionHost.Tenant, CancellationToken.None).ToListAsync());
    }

    private static Task<HttpAnswer> CallAsync(SweepHost host, string json) => CallAsync(host, HttpCalls.JsonPost(json).As(AppRoles.Helpdesk));

    private static async Task<HttpAnswer> CallAsync(SweepHost host, HttpRequest request)
    {
        var function = host.Create<SweepNow>();
        var result = await function.Run(request, CancellationToken.None);
        return await HttpCalls.ExecuteAsync(result, request);
    }
}
