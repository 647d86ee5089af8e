using Azure;
using Azure.Data.Tables;

namespace IntuneBanSync.Sweeps;

/// <summary>
/// One lock per tenant in {prefix}Locks (PK "locks", RK tenant), so two sweeps of a tenant never run at once: the Functions
/// timer singleton is a blob lease that can be lost (azure-functions-host #2968), and a second slot or a helpdesk request can
/// start a sweep too. The row is taken with Add, and only its ETag lets a holder renew, release or take over an expired lease.
/// </summary>
public sealed class TenantLocks(TableServiceClient service, string tablePrefix, TimeProvider time)
{
    /// <summary>Every lock row lives in this partition.</summary>
    public const string Partition = "locks";

    /// <summary>Long enough for a renewal to survive a slow page of inventory, short enough that a crashed sweep frees the tenant soon.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(10);

    /// <summary>Each attempt only repeats because another taker changed the row in between; past this many, someone else is active.</summary>
    private const int MaxAttempts = 5;

    private readonly TableClient _table = service.GetTableClient(JournalKeys.ValidateTablePrefix(tablePrefix) + "Locks");

    public string TableName => _table.Name;

    /// <summary>Creates the lock table once per instance: later calls cost no request.</summary>
    public Task EnsureCreatedAsync(CancellationToken ct) => (_created ??= new CreateOnce(async c => await _table.CreateIfNotExistsAsync(c))).RunAsync(ct);

    private CreateOnce? _created;

    /// <summary>
    /// Takes the tenant's lock for <paramref name="duration"/>, or returns null when it is held and its lease has not expired,
    /// also when the holder is <paramref name="holder"/> itself: the lock is not re-entrant. Of two takers exactly one wins.
    /// </summary>
    public async Task<TenantLease?> TryAcquireAsync(string tenant, string holder, TimeSpan duration, CancellationToken ct)
    {
        TableKeys.Validate(tenant, nameof(tenant));
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var entity = new LockRow(tenant, holder, now, now + duration);

            var taken = await TryAddAsync(entity, ct);
            if (taken is { } addedTag)
            {
                return new TenantLease(_table, time, entity, duration, addedTag);
            }

            var current = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, tenant, cancellationToken: ct);
            if (!current.HasValue)
            {
                continue;
            }

            if (TableRows.ToRow<LockRow>(current.Value!).ExpiresAt > now)
            {
                return null;
            }

            var takenOver = await TryTakeOverAsync(entity, current.Value!.ETag, ct);
            if (takenOver is { } updatedTag)
            {
                return new TenantLease(_table, time, entity, duration, updatedTag);
            }
        }

        return null;
    }

    /// <summary>What the lock row says now, expired or not, or null when the tenant has no lock row.</summary>
    public async Task<LockInfo?> PeekAsync(string tenant, CancellationToken ct)
    {
        TableKeys.Validate(tenant, nameof(tenant));

        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, tenant, cancellationToken: ct);

        return response.HasValue && TableRows.ToRow<LockRow>(response.Value!) is var row ? new LockInfo(tenant, row.Holder, row.AcquiredAt, row.ExpiresAt) : null;
    }

    private async Task<ETag?> TryAddAsync(LockRow entity, CancellationToken ct)
    {
        try
        {
            var response = await _table.AddEntityAsync(entity.ToEntity(), ct);
            return RequireETag(response);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>412: another taker replaced the expired row first; 404: its holder released it. Either way, look again.</summary>
    private async Task<ETag?> TryTakeOverAsync(LockRow entity, ETag expired, CancellationToken ct)
    {
        try
        {
            var response = await _table.UpdateEntityAsync(entity.ToEntity(), expired, TableUpdateMode.Replace, ct);
            return RequireETag(response);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
    }

    internal static ETag RequireETag(Response response) =>
        response.Headers.ETag ?? throw new InvalidOperationException("The Table service answered a lock write without an ETag.");
}

/// <summary>What a tenant's lock row says: who holds it, since when, and until when its lease lasts unless renewed.</summary>
public sealed record LockInfo(string Tenant, string Holder, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);

/// <summary>A held tenant lock. Renew it before <see cref="ExpiresAt"/>; when renewal fails, another sweep may own the tenant and this one must stop.</summary>
public sealed class TenantLease : IAsyncDisposable
{
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private readonly DateTimeOffset _acquiredAt;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ETag _etag;
    private bool _done;

    internal TenantLease(TableClient table, TimeProvider time, LockRow taken, TimeSpan duration, ETag etag)
    {
        _table = table;
        _time = time;
        _duration = duration;
        _acquiredAt = taken.AcquiredAt;
        _etag = etag;
        Tenant = taken.Tenant;
        Holder = taken.Holder;
        ExpiresAt = taken.ExpiresAt;
    }

    public string Tenant { get; }

    public string Holder { get; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>
    /// Extends the lease to now plus the original duration, only if the row is still the one this lease wrote; false when it
    /// was taken over after expiry or released, and then the holder must stop.
    /// </summary>
    public async Task<bool> RenewAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_done)
            {
                return false;
            }

            var expiresAt = _time.GetUtcNow() + _duration;
            var entity = new LockRow(Tenant, Holder, _acquiredAt, expiresAt);
            try
            {
                var response = await _table.UpdateEntityAsync(entity.ToEntity(), _etag, TableUpdateMode.Replace, ct);
                _etag = TenantLocks.RequireETag(response);
                ExpiresAt = expiresAt;
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                _done = true;
                return false;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes the lock row if it is still this lease's; a row taken over by another holder is left alone.</summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_done)
            {
                return;
            }

            try
            {
                await _table.DeleteEntityAsync(TenantLocks.Partition, Tenant, _etag, ct);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Taken over or already gone: not ours to delete.
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or TimeoutException)
            {
                // Storage is unreachable: the lease expires by itself, and the sweep's own outcome must not be hidden by this one.
            }

            _done = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync(CancellationToken.None);
}

/// <summary>A tenant's lock row: PK "locks", RK the tenant.</summary>
internal sealed record LockRow([RowKey] string Tenant, string Holder, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt)
{
    public TableEntity ToEntity() => TableRows.ToEntity(new TableKey(TenantLocks.Partition, Tenant), this);
}
