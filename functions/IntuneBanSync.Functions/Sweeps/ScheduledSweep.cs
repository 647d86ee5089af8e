using IntuneBanSync.Functions.Composition;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>
/// The scheduled sweep of every tenant, fanned out: one work item per tenant on the sweep queue, each with its run journaled
/// "queued", so the platform spreads the tenants over its instances (<see cref="QueuedSweeps"/>, one sweep per instance at a time,
/// host.json) under the same tenant lock and journal rules as every sweep. The timer itself sweeps nothing and ends in seconds,
/// whatever the plan's timeout. A tenant whose work item could not be queued does not stop the others: its run is journaled
/// failed, and once every tenant had its turn the function fails, naming each.
/// </summary>
/// <remarks>
/// Per tenant, not per ban × platform: a sweep's inventory is read once for all bans, its blast radius counts the new enforcements
/// of all bans together, bans that left the list are wound down by the same sweep, and the tenant's lock admits one sweep at a
/// time. Work items smaller than a tenant would each read the tenant again and could only wait on one another's lock.
/// </remarks>
public sealed class ScheduledSweep(TenantSweeps tenants, SweepQueue queue, JournalStore journal, TimeProvider time, ILogger<ScheduledSweep> logger)
{
    public const string Trigger = "timer";

    [Function(nameof(ScheduledSweep))]
    public async Task Run([TimerTrigger("%IntuneBanSync:Schedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken ct)
    {
        var failures = new List<Exception>();
        foreach (var tenant in tenants.Names)
        {
            var now = time.GetUtcNow();
            var runId = SweepEngine.NewRunId(now);
            try
            {
                await queue.QueueRunAsync(journal, new QueuedSweep(tenant, runId, null, Trigger, Trigger: Trigger), BanList.EnforcementMode.Report, now, ct);
                logger.LogInformation("Scheduled sweep {RunId} of {Tenant} queued", runId, tenant);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogError(e, "Scheduled sweep {RunId} of {Tenant} could not be queued", runId, tenant);
                failures.Add(new ScheduledSweepException(tenant, runId, e));
                await RecordFailureAsync(tenant, runId, e, failures);
            }
        }

        if (failures.Count > 0)
            throw new AggregateException($"The scheduled sweep could not queue {failures.Count} of {tenants.Names.Count} tenants; the others were queued.", failures);
    }

    private async Task RecordFailureAsync(string tenant, string runId, Exception failure, List<Exception> failures)
    {
        try
        {
            var now = time.GetUtcNow();
            await journal.SaveRunAsync(
                new SweepRun(runId, tenant, Trigger, BanList.EnforcementMode.Report, now, now, SweepStatus.Failed, SweepCounts.Empty, Error: failure.Message),
                CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "The failure of scheduled sweep {RunId} of {Tenant} could not be journaled", runId, tenant);
            failures.Add(e);
        }
    }
}

/// <summary>One tenant's failure in a scheduled sweep.</summary>
public sealed class ScheduledSweepException(string tenant, string runId, Exception inner)
    : Exception($"The scheduled sweep {runId} of tenant {tenant} failed: {inner.Message}", inner)
{
    public string Tenant { get; } = tenant;

    public string RunId { get; } = runId;
}
