using IntuneBanSync.Functions.Sweeps;
using IntuneBanSync.Functions.Tests.Infrastructure;
using IntuneBanSync.Journal;
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
}
