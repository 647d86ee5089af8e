using IntuneBanSync.Reports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>
/// Runs the whole-tenant sweeps on the queue, the helpdesk's and each tenant's turn of the scheduled sweep: as many at once as the
/// platform has instances (host.json lets each instance take one at a time), each under its tenant's lock. A sweep that fails
/// before its run was opened (its ban list unreadable) journals the run failed and fails the message, which the queue retries;
/// a message that keeps failing marks its run failed.
/// </summary>
public sealed class QueuedSweeps(SweepRunner runner, JournalStore journal, TimeProvider time, ILogger<QueuedSweeps> logger)
{
    [Function(nameof(RunQueuedSweep))]
    public async Task RunQueuedSweep([QueueTrigger(SweepQueue.Name)] string message, CancellationToken ct)
    {
        var sweep = SweepQueue.Parse(message);
        var choices = new SweepChoices(SweepTarget.WholeTenant, SweepInput.Mode(sweep.Mode), sweep.AsOf);
        SweepOutcome outcome;
        try
        {
            outcome = await runner.RunAsync(sweep.Tenant, sweep.JournaledTrigger, choices, $"queue: {sweep.RequestedBy}", sweep.RunId, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The engine journals a failure inside its run itself; one before the run was opened (the ban list) is journaled here.
            if (await journal.GetRunAsync(sweep.Tenant, sweep.RunId, CancellationToken.None) is { Status: SweepStatus.Queued } queued)
                await MarkAsync(sweep, SweepStatus.Failed, PlainText.Strip(e.Message), CancellationToken.None, queued);
            throw;
        }

        if (!outcome.Ran)
        {
            logger.LogInformation("Queued sweep {RunId} of {Tenant} not run: locked by {Holder}", sweep.RunId, sweep.Tenant, outcome.LockedBy?.Holder);
            await MarkAsync(sweep, SweepStatus.Locked, $"another sweep of the tenant held its lock ({outcome.LockedBy?.Holder}, until {outcome.LockedBy?.ExpiresAt:u})", ct);
        }
    }

    [Function(nameof(FailPoisonedSweep))]
    public Task FailPoisonedSweep([QueueTrigger(SweepQueue.PoisonName)] string message, CancellationToken ct) =>
        MarkAsync(SweepQueue.Parse(message), SweepStatus.Failed, "the sweep failed on every attempt; see the function's logs", ct);

    /// <summary>Ends the queued run with <paramref name="status"/>: the run as read (<paramref name="known"/> when the caller just read it), or a new row.</summary>
    private async Task MarkAsync(QueuedSweep sweep, SweepStatus status, string error, CancellationToken ct, SweepRun? known = null)
    {
        var run = known ?? await journal.GetRunAsync(sweep.Tenant, sweep.RunId, ct)
            ?? new SweepRun(sweep.RunId, sweep.Tenant, sweep.JournaledTrigger, SweepInput.Mode(sweep.Mode) ?? BanList.EnforcementMode.Report, time.GetUtcNow(), null, status, SweepCounts.Empty);
        await journal.SaveRunAsync(run with { Status = status, EndedAt = time.GetUtcNow(), Error = error }, ct);
    }
}
