using IntuneBanSync.Reports;

namespace IntuneBanSync.Sweeps;

/// <summary>A sweep, or "locked" when another sweep of the tenant holds its lock. The answer to every trigger.</summary>
public sealed record SweepOutcome(SweepReport? Report, LockInfo? LockedBy)
{
    public bool Ran => Report is not null;
}

/// <summary>
/// Runs a sweep under the tenant's lock: never two sweeps of one tenant at once, whatever started them (a timer whose
/// lease was lost, a second slot, the helpdesk). The lease is renewed while the sweep runs; if it is lost, the sweep stops.
/// </summary>
public sealed class LockedSweeps(SweepEngine engine, TenantLocks locks, TimeProvider time)
{
    public async Task<SweepOutcome> RunAsync(SweepRequest request, string holder, IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        await locks.EnsureCreatedAsync(ct);
        await using var lease = await locks.TryAcquireAsync(request.Tenant, holder, TenantLocks.DefaultLease, ct);
        if (lease is null)
            return new SweepOutcome(null, await locks.PeekAsync(request.Tenant, ct));

        using var sweeping = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewing = RenewAsync(lease, sweeping);
        try
        {
            return new SweepOutcome(await engine.RunAsync(request, progress, sweeping.Token), null);
        }
        finally
        {
            await sweeping.CancelAsync();
            await renewing;
        }
    }

    private async Task RenewAsync(TenantLease lease, CancellationTokenSource sweeping)
    {
        using var timer = new PeriodicTimer(TenantLocks.DefaultLease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(sweeping.Token))
            {
                if (!await lease.RenewAsync(sweeping.Token))
                {
                    // Someone took the lock over after it expired: this sweep must not go on writing beside theirs.
                    await sweeping.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The sweep ended.
        }
    }
}
