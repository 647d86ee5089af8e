using IntuneBanSync.Journal;
using IntuneBanSync.Sweeps;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>Runs the whole-tenant sweeps the HTTP API queued; a message that keeps failing marks its run failed.</summary>
public sealed class QueuedSweeps(SweepRunner runner, JournalStore journal, TimeProvider time, ILogger<QueuedSweeps> logger)
{
    [Function(nameof(RunQueuedSweep))]
    public async Task RunQueuedSweep([QueueTrigger(SweepQueue.Name)] string message, CancellationToken ct)
    {
        var sweep = SweepQueue.Parse(message);
        var choices = new SweepChoices(SweepTarget.WholeTenant, SweepInput.Mode(sweep.Mode), sweep.AsOf);
        var outcome = await runner.RunAsync(sweep.Tenant, "helpdesk", choices, $"queue: {sweep.RequestedBy}", sweep.RunId, ct);
        if (!outcome.Ran)
        {
            logger.LogInformation("Queued sweep {RunId} of {Tenant} not run: locked by {Holder}", sweep.RunId, sweep.Tenant, outcome.LockedBy?.Holder);
            await MarkAsync(sweep, SweepStatus.Locked, $"another sweep of the tenant held its lock ({outcome.LockedBy?.Holder}, until {outcome.LockedBy?.ExpiresAt:u})", ct);
        }
    }

    [Function(nameof(FailPoisonedSweep))]
    public Task FailPoisonedSweep([QueueTrigger(SweepQueue.PoisonName)] string message, CancellationToken ct) =>
        MarkAsync(SweepQueue.Parse(message), SweepStatus.Failed, "the sweep failed on every attempt; see the function's logs", ct);

    private async Task MarkAsync(QueuedSweep sweep, SweepStatus status, string error, CancellationToken ct)
    {
        var run = await journal.GetRunAsync(sweep.Tenant, sweep.RunId, ct)
            ?? new SweepRun(sweep.RunId, sweep.Tenant, "helpdesk", SweepInput.Mode(sweep.Mode) ?? BanList.EnforcementMode.Report, time.GetUtcNow(), null, status, SweepCounts.Empty);
        await journal.SaveRunAsync(run with { Status = status, EndedAt = time.GetUtcNow(), Error = error }, ct);
    }
}
