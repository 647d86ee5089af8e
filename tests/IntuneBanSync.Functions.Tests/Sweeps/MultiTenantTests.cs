using Microsoft.Azure.Functions.Worker;

namespace IntuneBanSync.Functions.Tests.Sweeps;

/// <summary>One deployment sweeping two tenants (both the simulator here), each journaled in its own partition.</summary>
public sealed class MultiTenantTests(AzuriteFixture azurite, TenantFixture fixture) : SweepHostTests(azurite, fixture)
{
    [Fact]
    public async Task Scheduled_sweep_journals_one_completed_run_per_tenant()
    {
        await Host.Create<ScheduledSweep>().Run(new TimerInfo(), CancellationToken.None);

        foreach (var tenant in new[] { "federal", "regional" })
        {
            var queued = Assert.Single(await Host.Journal.ListRunsAsync(tenant, CancellationToken.None).ToListAsync());
            await Host.Create<QueuedSweeps>().RunQueuedSweep((await Host.ReceiveQueuedAsync(queued.RunId)).Body.ToString(), CancellationToken.None);
        }

        foreach (var tenant in new[] { "federal", "regional" })
        {
            var run = Assert.Single(await Host.Journal.ListRunsAsync(tenant, CancellationToken.None).ToListAsync());
            Assert.Equal((tenant, "timer", SweepStatus.Completed), (run.Tenant, run.Trigger, run.Status));
            Assert.Equal(Tenant.State.ManagedDevices.Count, run.Counts.DevicesEvaluated);
        }

        Assert.Empty(await Host.Journal.ListRunsAsync(FunctionHost.Tenant, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Sweep_asked_for_a_tenant_goes_to_that_tenant_and_without_one_to_the_default()
    {
        var regional = await PostAsync(Host, HttpCalls.JsonPost("{}").WithQuery("?tenant=regional"));
        var byDefault = await PostAsync(Host, HttpCalls.JsonPost("{}"));

        Assert.Equal(StatusCodes.Status202Accepted, regional.Status);
        Assert.Equal("regional", regional.String("tenant"));
        Assert.NotNull(await Host.Journal.GetRunAsync("regional", regional.String("runId")!, CancellationToken.None));
        Assert.Equal("federal", byDefault.String("tenant"));
        Assert.NotNull(await Host.Journal.GetRunAsync("federal", byDefault.String("runId")!, CancellationToken.None));
        await Host.ReceiveQueuedAsync(regional.String("runId")!);
        await Host.ReceiveQueuedAsync(byDefault.String("runId")!);
    }

    [Fact]
    public async Task Sweep_asked_for_an_unknown_tenant_is_refused_naming_tenant()
    {
        var answer = await PostAsync(Host, HttpCalls.JsonPost("{}").WithQuery("?tenant=unknown"));

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("tenant"), $"expected an error on tenant in {answer.Body}");
        await Host.Journal.EnsureCreatedAsync(CancellationToken.None);
        Assert.Empty(await Host.Journal.ListRunsAsync("unknown", CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Sweep_asked_for_a_tenant_in_another_case_is_locked_by_that_tenants_lock()
    {
        var locks = Host.Services.GetRequiredService<TenantLocks>();
        await using var lease = await locks.TryAcquireAsync("federal", "another sweep", TimeSpan.FromMinutes(10), CancellationToken.None);
        var request = HttpCalls.JsonPost($$"""{ "device": "{{Tenant.State.ManagedDevices[0].Id}}" }""").WithQuery("?tenant=FEDERAL");

        var answer = await PostAsync(Host, request);

        Assert.NotNull(lease);
        Assert.Equal(StatusCodes.Status409Conflict, answer.Status);
        Assert.Equal("another sweep", answer.String("lockedBy"));
    }

    [Fact]
    public async Task Sweep_asked_for_a_tenant_in_another_case_is_journaled_under_its_canonical_name()
    {
        var answer = await PostAsync(Host, HttpCalls.JsonPost("{}").WithQuery("?tenant=Regional"));

        Assert.Equal(StatusCodes.Status202Accepted, answer.Status);
        Assert.Equal("regional", answer.String("tenant"));
        Assert.NotNull(await Host.Journal.GetRunAsync("regional", answer.String("runId")!, CancellationToken.None));
        var queued = SweepQueue.Parse((await Host.ReceiveQueuedAsync(answer.String("runId")!)).Body.ToString());
        Assert.Equal("regional", queued.Tenant);
    }

    [Fact]
    public async Task Ban_list_stored_through_a_tenant_name_in_another_case_is_the_one_that_tenant_reads()
    {
        var stored = await PutBanListAsFederalAdminAsync("?tenant=FEDERAL");

        Assert.Equal(StatusCodes.Status200OK, stored.Status);
        Assert.Equal("federal", stored.String("tenant"));
        Assert.Equal(stored.ETag, (await Host.BanLists.GetAsync("federal", CancellationToken.None))?.ETag);
        Assert.Null(await Host.BanLists.GetAsync("FEDERAL", CancellationToken.None));
    }

    [Fact]
    public async Task Admin_of_one_tenant_may_not_change_the_other_tenants_ban_list()
    {
        var answer = await PutBanListAsFederalAdminAsync("?tenant=regional");

        Assert.Equal(StatusCodes.Status403Forbidden, answer.Status);
        Assert.Null(await Host.BanLists.GetAsync("regional", CancellationToken.None));
    }

    protected override void ConfigureHost(Dictionary<string, string?> settings)
    {
        settings["IntuneBanSync:Tenant"] = "federal";
        settings["IntuneBanSync:Tenants:0:Name"] = "federal";
        settings["IntuneBanSync:Tenants:1:Name"] = "regional";
        settings["IntuneBanSync:Tenants:1:GraphBaseUrl"] = Tenant.GraphUrl;
    }

    /// <summary>PUT /api/banlist of the sample list, asking about the tenant in <paramref name="query"/>, by an Admin of federal alone.</summary>
    private async Task<HttpAnswer> PutBanListAsFederalAdminAsync(string query)
    {
        var put = HttpCalls.Request(HttpMethods.Put, SampleBanList.TikTok(Tenant.State, TenantFixture.Seed.Now), query).As(AppRoles.ForTenant(AppRoles.Admin, "federal"));
        return await HttpCalls.ExecuteAsync(await Host.Create<BanListApi>().PutBanList(put, CancellationToken.None), put);
    }

    private static async Task<HttpAnswer> PostAsync(SweepHost host, HttpRequest request)
    {
        // With two tenants the deployment-wide roles act on neither: this helpdesk holds the role of each.
        request.As(AppRoles.ForTenant(AppRoles.Helpdesk, "federal"), AppRoles.ForTenant(AppRoles.Helpdesk, "regional"));
        return await HttpCalls.ExecuteAsync(await host.Create<SweepNow>().Run(request, CancellationToken.None), request);
    }
}
