using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// Counts every Graph request the tenant received, answered or refused. Batch envelopes count as batches,
/// their inner requests one by one.
/// </summary>
public sealed class RequestLog
{
    private readonly ConcurrentDictionary<string, long> byKind = new(StringComparer.Ordinal);
    private long reads;
    private long writes;
    private long throttled;
    private long faults;
    private long batches;
    private readonly ConcurrentDictionary<string, byte> required = new(StringComparer.Ordinal);

    public long Reads => Interlocked.Read(ref reads);
    public long Writes => Interlocked.Read(ref writes);
    public long Throttled => Interlocked.Read(ref throttled);
    public long Faults => Interlocked.Read(ref faults);
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Requests per "METHOD path" with ids replaced by {id}.</summary>
    public IReadOnlyDictionary<string, long> ByKind => byKind.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>The least privileged permissions of every route requested since the last reset: what a client of these routes must hold.</summary>
    public IReadOnlySet<string> PermissionsRequired => required.Keys.ToHashSet(StringComparer.Ordinal);

    public RequestLogSnapshot Snapshot() =>
        new(Reads, Writes, Throttled, Faults, Batches, byKind.ToImmutableSortedDictionary(StringComparer.Ordinal));

    public void Reset()
    {
        Interlocked.Exchange(ref reads, 0);
        Interlocked.Exchange(ref writes, 0);
        Interlocked.Exchange(ref throttled, 0);
        Interlocked.Exchange(ref faults, 0);
        Interlocked.Exchange(ref batches, 0);
        byKind.Clear();
        required.Clear();
    }

    internal void Required(IEnumerable<string> permissions)
    {
        foreach (var permission in permissions)
            required.TryAdd(permission, 0);
    }

    internal void Request(string kind, bool isWrite)
    {
        Interlocked.Increment(ref isWrite ? ref writes : ref reads);
        byKind.AddOrUpdate(kind, 1, static (_, n) => n + 1);
    }

    internal void Throttle() => Interlocked.Increment(ref throttled);

    internal void Fault() => Interlocked.Increment(ref faults);

    internal void Batch() => Interlocked.Increment(ref batches);
}

public sealed record RequestLogSnapshot(
    long Reads,
    long Writes,
    long Throttled,
    long Faults,
    long Batches,
    IReadOnlyDictionary<string, long> ByKind);
