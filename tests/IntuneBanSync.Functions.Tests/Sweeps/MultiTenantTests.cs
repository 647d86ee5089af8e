using IntuneBanSync.Functions.Security;
using IntuneBanSync.Functions.Sweeps;
using IntuneBanSync.Functions.Tests.Infrastructure;
using IntuneBanSync.Journal;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace IntuneBanSync.Functions.Tests.Sweeps;

/// <summary>One deployment sweeping two tenants (both the simulator here), each journaled in its own partition.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MultiTenantTests(AzuriteFixture azurite, TenantFixture fixture) : IClassFixture<TenantFixture>
{
    [Fact]
    public async Task Scheduled_sweep_journals_one_completed_run_per_tenant()
    {
        await using var host = await StartAsync();

        await host.Create<ScheduledSweep>().Run(new TimerInfo(), CancellationToken.None);

        foreach (var tenant in new[] { "federal", "regional" })
        {
            var run = Assert.Single(await host.Journal.ListRunsAsync(tenant, CancellationToken.None).ToListAsync());
            Assert.Equal((tenant, "timer", SweepStatus.Completed), (run.Tenant, run.Trigger, run.Status));
            Assert.Equal(fixture.Tenant.State.ManagedDevices.Count, run.Counts.DevicesEvaluated);
        }

        Assert.Empty(await host.Journal.ListRunsAsync(FunctionHost.Tenant, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Sweep_asked_for_a_tenant_goes_to_that_tenant_and_without_one_to_the_default()
    {
        await using var host = await StartAsync();

        var regional = await PostAsync(host, HttpCalls.JsonPost("{}").WithQuery("?tenant=regional"));
        var byDefault = await PostAsync(host, HttpCalls.JsonPost("{}"));

        Assert.Equal(StatusCodes.Status202Accepted, regional.Status);
        Assert.Equal("regional", regional.String("tenant"));
        Assert.NotNull(await host.Journal.GetRunAsync("regional", regional.String("runId")!, CancellationToken.None));
        Assert.Equal("federal", byDefault.String("tenant"));
        Assert.NotNull(await host.Journal.GetRunAsync("federal", byDefault.String("runId")!, CancellationToken.None));
        await host.ReceiveQueuedAsync(regional.String("runId")!);
        await host.ReceiveQueuedAsync(byDefault.String("runId")!);
    }

    [Fact]
    public async Task Sweep_asked_for_an_unknown_tenant_is_refused_naming_tenant()
    {
        await using var host = await StartAsync();

        var answer = await PostAsync(host, HttpCalls.JsonPost("{}").WithQuery("?tenant=unknown"));

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("tenant"), $"expected an error on tenant in {answer.Body}");
        await host.Journal.EnsureCreatedAsync(CancellationToken.None);
        Assert.Empty(await host.Journal.ListRunsAsync("unknown", CancellationToken.None).ToListAsync());
    }

    private Task<SweepHost> StartAsync() =>
        SweepHost.StartAsync(fixture.Tenant, azurite, TenantFixture.Seed, settings =>
        {
            settings["IntuneBanSync:Tenant"] = "federal";
            settings["IntuneBanSync:Tenants:0:Name"] = "federal";
            settings["IntuneBanSync:Tenants:1:Name"] = "regional";
            settings["IntuneBanSync:Tenants:1:GraphBaseUrl"] = fixture.Tenant.GraphUrl;
        });

    private static async Task<HttpAnswer> PostAsync(SweepHost host, HttpRequest request)
    {
        // With two tenants the deployment-wide roles act on neither: this helpdesk holds the role of each.
        request.As(AppRoles.ForTenant(AppRoles.Helpdesk, "federal"), AppRoles.ForTenant(AppRoles.Helpdesk, "regional"));
        return await HttpCalls.ExecuteAsync(await host.Create<SweepNow>().Run(request, CancellationToken.None), request);
    }
}
