using IntuneBanSync.Functions.Sweeps;
using IntuneBanSync.Functions.Tests.Infrastructure;
using IntuneBanSync.Journal;
using IntuneBanSync.TenantSimulator;
using Microsoft.Azure.Functions.Worker;

namespace IntuneBanSync.Functions.Tests.Sweeps;

/// <summary>The timer trigger called as a method over a simulated tenant and Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScheduledSweepTests(AzuriteFixture azurite, TenantFixture fixture) : IClassFixture<TenantFixture>
{
    [Fact]
    public async Task Scheduled_sweep_journals_a_completed_timer_run_of_the_whole_tenant()
    {
        await using var host = await SweepHost.StartAsync(fixture.Tenant, azurite, TenantFixture.Seed);
        var function = host.Create<ScheduledSweep>();

        await function.Run(new TimerInfo(), CancellationToken.None);

        var runs = await host.Journal.ListRunsAsync(FunctionHost.Tenant, CancellationToken.None).ToListAsync();
        var run = Assert.Single(runs);
        Assert.Equal("timer", run.Trigger);
        Assert.Equal(SweepStatus.Completed, run.Status);
        Assert.Equal(fixture.Tenant.State.ManagedDevices.Count, run.Counts.DevicesEvaluated);
        Assert.Equal(run, await host.Journal.GetRunAsync(FunctionHost.Tenant, run.RunId, CancellationToken.None));
    }

    [Fact]
    public async Task Tenant_that_fails_is_journaled_as_failed_the_next_is_still_swept_and_the_function_fails()
    {
        // federal, swept first, has no stored ban list and the file to import is missing; regional has its ban list.
        await using var host = await SweepHost.StartAsync(fixture.Tenant, azurite, TenantFixture.Seed, settings =>
        {
            settings["IntuneBanSync:Tenant"] = "federal";
            settings["IntuneBanSync:Tenants:0:Name"] = "federal";
            settings["IntuneBanSync:Tenants:1:Name"] = "regional";
            settings["IntuneBanSync:Tenants:1:GraphBaseUrl"] = fixture.Tenant.GraphUrl;
            settings["IntuneBanSync:BanListPath"] = Path.Combine(Path.GetTempPath(), $"ibs-missing-{Guid.NewGuid():N}.json");
        });
        await host.BanLists.PutAsync("regional", SampleBanList.TikTok(fixture.Tenant.State, TenantFixture.Seed.Now), null, "test", CancellationToken.None);

        var failure = await Assert.ThrowsAsync<AggregateException>(() => host.Create<ScheduledSweep>().Run(new TimerInfo(), CancellationToken.None));

        var regional = Assert.Single(await host.Journal.ListRunsAsync("regional", CancellationToken.None).ToListAsync());
        Assert.Equal(("timer", SweepStatus.Completed), (regional.Trigger, regional.Status));
        var federal = Assert.Single(await host.Journal.ListRunsAsync("federal", CancellationToken.None).ToListAsync());
        Assert.Equal(("timer", SweepStatus.Failed), (federal.Trigger, federal.Status));
        Assert.Contains("ban list", federal.Error);
        var tenantFailure = Assert.IsType<ScheduledSweepException>(Assert.Single(failure.InnerExceptions));
        Assert.Equal(("federal", federal.RunId), (tenantFailure.Tenant, tenantFailure.RunId));
    }
}
