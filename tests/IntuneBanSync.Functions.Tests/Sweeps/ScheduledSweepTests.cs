using Microsoft.Azure.Functions.Worker;

namespace IntuneBanSync.Functions.Tests.Sweeps;

/// <summary>The timer trigger called as a method: it fans the tenants out as work items on Azurite's queue, which the queue trigger runs over a simulated tenant.</summary>
public sealed class ScheduledSweepTests(AzuriteFixture azurite, TenantFixture fixture) : SweepHostTests(azurite, fixture)
{
    [Fact]
    public async Task Scheduled_sweep_queues_the_tenant_as_a_work_item_and_sweeps_nothing_itself()
    {
        var before = Tenant.Requests.Snapshot();

        await Host.Create<ScheduledSweep>().Run(new TimerInfo(), CancellationToken.None);

        Assert.Equal(before.Reads, Tenant.Requests.Snapshot().Reads);
        var run = Assert.Single(await Host.Journal.ListRunsAsync(FunctionHost.Tenant, CancellationToken.None).ToListAsync());
        Assert.Equal(("timer", SweepStatus.Queued), (run.Trigger, run.Status));
        var message = SweepQueue.Parse((await Host.ReceiveQueuedAsync(run.RunId)).Body.ToString());
        Assert.Equal(new QueuedSweep(FunctionHost.Tenant, run.RunId, null, "timer", null, "timer"), message);
    }

    [Fact]
    public async Task Queued_turn_of_the_scheduled_sweep_journals_a_completed_timer_run_of_the_whole_tenant()
    {
        await Host.Create<ScheduledSweep>().Run(new TimerInfo(), CancellationToken.None);
        var queued = Assert.Single(await Host.Journal.ListRunsAsync(FunctionHost.Tenant, CancellationToken.None).ToListAsync());

        await Host.Create<QueuedSweeps>().RunQueuedSweep((await Host.ReceiveQueuedAsync(queued.RunId)).Body.ToString(), CancellationToken.None);

        var run = Assert.Single(await Host.Journal.ListRunsAsync(FunctionHost.Tenant, CancellationToken.None).ToListAsync());
        Assert.Equal((queued.RunId, "timer", SweepStatus.Completed), (run.RunId, run.Trigger, run.Status));
        Assert.Equal(Tenant.State.ManagedDevices.Count, run.Counts.DevicesEvaluated);
    }

    [Fact]
    public async Task Tenant_whose_turn_fails_is_journaled_as_failed_and_the_next_is_still_swept()
    {
        // federal has no stored ban list and the file to import is missing; regional has its ban list.
        await using var host = await StartHostAsync(settings =>
        {
            settings["IntuneBanSync:Tenant"] = "federal";
            settings["IntuneBanSync:Tenants:0:Name"] = "federal";
            settings["IntuneBanSync:Tenants:1:Name"] = "regional";
            settings["IntuneBanSync:Tenants:1:GraphBaseUrl"] = Tenant.GraphUrl;
            settings["IntuneBanSync:BanListPath"] = Path.Combine(Path.GetTempPath(), $"ibs-missing-{Guid.NewGuid():N}.json");
        });
        await host.BanLists.PutAsync("regional", SampleBanList.TikTok(Tenant.State, TenantFixture.Seed.Now), null, "test", CancellationToken.None);
        await host.Create<ScheduledSweep>().Run(new TimerInfo(), CancellationToken.None);
        var queuedFederal = Assert.Single(await host.Journal.ListRunsAsync("federal", CancellationToken.None).ToListAsync());
        var queuedRegional = Assert.Single(await host.Journal.ListRunsAsync("regional", CancellationToken.None).ToListAsync());
        var queue = host.Create<QueuedSweeps>();

        await Assert.ThrowsAnyAsync<Exception>(async () => await queue.RunQueuedSweep((await host.ReceiveQueuedAsync(queuedFederal.RunId)).Body.ToString(), CancellationToken.None));
        await queue.RunQueuedSweep((await host.ReceiveQueuedAsync(queuedRegional.RunId)).Body.ToString(), CancellationToken.None);

        var federal = (await host.Journal.GetRunAsync("federal", queuedFederal.RunId, CancellationToken.None))!;
        Assert.Equal(("timer", SweepStatus.Failed), (federal.Trigger, federal.Status));
        Assert.Contains("ban list", federal.Error);
        var regional = (await host.Journal.GetRunAsync("regional", queuedRegional.RunId, CancellationToken.None))!;
        Assert.Equal(("timer", SweepStatus.Completed), (regional.Trigger, regional.Status));
    }

    [Fact]
    public async Task Two_instances_taking_the_same_tenants_turns_sweep_it_once_under_its_lock()
    {
        var first = Host.Create<ScheduledSweep>();
        await first.Run(new TimerInfo(), CancellationToken.None);
        await first.Run(new TimerInfo(), CancellationToken.None);
        var queued = await Host.Journal.ListRunsAsync(FunctionHost.Tenant, CancellationToken.None).ToListAsync();
        var messages = new List<string>();
        foreach (var run in queued)
            messages.Add((await Host.ReceiveQueuedAsync(run.RunId)).Body.ToString());
        var otherInstance = await Host.Services.GetRequiredService<TenantLocks>()
            .TryAcquireAsync(FunctionHost.Tenant, "the other instance", TimeSpan.FromMinutes(5), CancellationToken.None);

        await Host.Create<QueuedSweeps>().RunQueuedSweep(messages[0], CancellationToken.None);
        await otherInstance!.DisposeAsync();
        await Host.Create<QueuedSweeps>().RunQueuedSweep(messages[1], CancellationToken.None);

        var runs = await Host.Journal.ListRunsAsync(FunctionHost.Tenant, CancellationToken.None).ToListAsync();
        Assert.Equal([SweepStatus.Completed, SweepStatus.Locked], runs.Select(r => r.Status).Order());
    }
}
