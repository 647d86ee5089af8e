using IntuneBanSync.Enforcement;

namespace IntuneBanSync.Sweeps;

/// <summary>A sweep, or "locked" when another sweep of the tenant holds its lock. The answer to every trigger.</summary>
public sealed record SweepOutcome(SweepReport? Report, LockInfo? LockedBy)
{
    public bool Ran => Report is not null;
}

/// <summary>The sweep lost its tenant lock (taken over after expiry, or not renewable in time); it stopped before its next write.</summary>
public sealed class LockLostException(string message) : Exception(message);

/// <summary>
/// Runs a sweep under the tenant's lock: never two sweeps of one tenant at once, whatever started them (a timer whose
/// lease was lost, a second slot, the helpdesk). The lease is renewed while the sweep runs; if it is lost or cannot be renewed
/// before it expires, the sweep stops before its next write and fails, saying so. A cancelled sweep releases the lock.
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
        var watch = new LeaseWatch(lease, time, sweeping);
        var renewing = watch.RenewAsync();
        try
        {
            return new SweepOutcome(await engine.RunAsync(request, progress, sweeping.Token, watch), null);
        }
        finally
        {
            watch.Stop();
            await renewing;
        }
    }

    /// <summary>Renews the lease while the sweep runs, and answers the write log whether the sweep may still write.</summary>
    private sealed class LeaseWatch(TenantLease lease, TimeProvider time, CancellationTokenSource sweeping) : IWriteGuard
    {
        /// <summary>A write must not start this close to the lease's end: it might land after another sweep took over.</summary>
        private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

        private readonly CancellationTokenSource _stop = new();
        private volatile string? _lost;

        public string? LostReason => _lost;

        public void ThrowIfLost()
        {
            if (_lost is null && time.GetUtcNow() >= lease.ExpiresAt - Margin)
                Lose($"its lease on the tenant's lock ran out at {lease.ExpiresAt:u} without being renewed");
            if (_lost is { } reason)
                throw new LockLostException($"The sweep stopped: {reason}; nothing more was written.");
        }

        public void Stop() => _stop.Cancel();

        public async Task RenewAsync()
        {
            using var timer = new PeriodicTimer(TenantLocks.DefaultLease / 5, time);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    try
                    {
                        if (!await lease.RenewAsync(_stop.Token))
                        {
                            Lose("another sweep took the tenant's lock over after its lease expired");
                            return;
                        }
                    }
                    catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or TimeoutException)
                    {
                        // Storage may come back before the lease ends; past it, the sweep must not go on writing beside another.
                        if (time.GetUtcNow() >= lease.ExpiresAt - Margin)
                        {
                            Lose($"the tenant's lock could not be renewed before its lease ran out ({e.Message})");
                            return;
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The sweep ended.
            }
        }

        private void Lose(string reason)
        {
            _lost ??= reason;
            sweeping.Cancel();
        }
    }
}
