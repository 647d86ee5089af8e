using IntuneBanSync.Functions.Composition;
using IntuneBanSync.Journal;
using IntuneBanSync.Sweeps;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>
/// The scheduled sweep of every tenant, each ban in its own mode. A past-due run is an ordinary sweep; a locked tenant is skipped,
/// not an error. A tenant that fails does not stop the others: its failure is journaled as a failed run, and once every tenant
/// had its turn the function fails, naming each failure.
/// </summary>
public sealed class ScheduledSweep(SweepRunner runner, TenantSweeps tenants, JournalStore journal, TimeProvider time, ILogger<ScheduledSweep> logger)
{
    [Function(nameof(ScheduledSweep))]
    public async Task Run([TimerTrigger("%IntuneBanSync:Schedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken ct)
    {
        var failures = new List<Exception>();
        foreach (var tenant in tenants.Names)
        {
            var runId = SweepEngine.NewRunId(time.GetUtcNow());
            try
            {
                var outcome = await runner.RunAsync(tenant, "timer", SweepChoices.WholeTenant(), "timer", runId, ct);
                if (!outcome.Ran)
                    logger.LogInformation("Scheduled sweep of {Tenant} skipped: locked by {Holder} until {Until}", tenant, outcome.LockedBy?.Holder, outcome.LockedBy?.ExpiresAt);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogError(e, "Scheduled sweep {RunId} of {Tenant} failed", runId, tenant);
                failures.Add(new ScheduledSweepException(tenant, runId, e));
                await RecordFailureAsync(tenant, runId, e, failures);
            }
        }

        if (failures.Count > 0)
            throw new AggregateException($"The scheduled sweep failed for {failures.Count} of {tenants.Names.Count} tenants; the others were swept.", failures);
    }

    /// <summary>The engine journals a failure inside its run itself; one before the run was opened (the ban list, the lock) gets a failed run here.</summary>
    private async Task RecordFailureAsync(string tenant, string runId, Exception failure, List<Exception> failures)
    {
        try
        {
            if (await journal.GetRunAsync(tenant, runId, CancellationToken.None) is not null)
                return;
            var now = time.GetUtcNow();
            await journal.SaveRunAsync(
                new SweepRun(runId, tenant, "timer", BanList.EnforcementMode.Report, now, now, SweepStatus.Failed, SweepCounts.Empty, Error: failure.Message),
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
