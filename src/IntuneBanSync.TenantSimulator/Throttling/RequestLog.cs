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
    private long batched;
    private long itemsReturned;
    private readonly ConcurrentDictionary<string, byte> required = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServiceCounter> byService = new(StringComparer.Ordinal);

    public long Reads => Interlocked.Read(ref reads);
    public long Writes => Interlocked.Read(ref writes);
    public long Throttled => Interlocked.Read(ref throttled);
    public long Faults => Interlocked.Read(ref faults);
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Requests that came inside a batch (counted among reads and writes too): HTTP round trips are reads + writes − batched + batches.</summary>
    public long Batched => Interlocked.Read(ref batched);

    /// <summary>Items the responses returned (a collection's values, 1 for anything else; a batch its inner responses'), as the latency model charges them.</summary>
    public long ItemsReturned => Interlocked.Read(ref itemsReturned);

    /// <summary>Requests per "METHOD path" with ids replaced by {id}.</summary>
    public IReadOnlyDictionary<string, long> ByKind => byKind.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>The least privileged permissions of every route requested since the last reset: what a client of these routes must hold.</summary>
    public IReadOnlySet<string> PermissionsRequired => required.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Reads, writes and 429s per throttling bucket (devices, apps, directory, none).</summary>
    public IReadOnlyDictionary<string, ServiceCount> ByService =>
        byService.ToImmutableSortedDictionary(p => p.Key, p => p.Value.Count, StringComparer.Ordinal);

    public RequestLogSnapshot Snapshot() =>
        new(Reads, Writes, Throttled, Faults, Batches, byKind.ToImmutableSortedDictionary(StringComparer.Ordinal)) { ByService = ByService, Batched = Batched, ItemsReturned = ItemsReturned };

    public void Reset()
    {
        Interlocked.Exchange(ref reads, 0);
        Interlocked.Exchange(ref writes, 0);
        Interlocked.Exchange(ref throttled, 0);
        Interlocked.Exchange(ref faults, 0);
        Interlocked.Exchange(ref batches, 0);
        Interlocked.Exchange(ref batched, 0);
        Interlocked.Exchange(ref itemsReturned, 0);
        byKind.Clear();
        required.Clear();
        byService.Clear();
    }

    internal void Required(IEnumerable<string> permissions)
    {
        foreach (var permission in permissions)
            required.TryAdd(permission, 0);
    }

    internal void Request(string kind, bool isWrite, ThrottleCategory category = ThrottleCategory.None)
    {
        Interlocked.Increment(ref isWrite ? ref writes : ref reads);
        byKind.AddOrUpdate(kind, 1, static (_, n) => n + 1);
        var counter = Service(category);
        Interlocked.Increment(ref isWrite ? ref counter.Writes : ref counter.Reads);
    }

    internal void Throttle(ThrottleCategory category = ThrottleCategory.None)
    {
        Interlocked.Increment(ref throttled);
        Interlocked.Increment(ref Service(category).Throttled);
    }

    private ServiceCounter Service(ThrottleCategory category) =>
        byService.GetOrAdd(category.ToString().ToLowerInvariant(), static _ => new ServiceCounter());

    private sealed class ServiceCounter
    {
        public long Reads;
        public long Writes;
        public long Throttled;

        public ServiceCount Count => new(Interlocked.Read(ref Reads), Interlocked.Read(ref Writes), Interlocked.Read(ref Throttled));
    }

    internal void Fault() => Interlocked.Increment(ref faults);

    internal void Batch(int inner)
    {
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref batched, inner);
    }

    internal void Returned(int items) => Interlocked.Add(ref itemsReturned, items);
}

public sealed record RequestLogSnapshot(
    long Reads,
    long Writes,
    long Throttled,
    long Faults,
    long Batches,
    IReadOnlyDictionary<string, long> ByKind)
{
    public IReadOnlyDictionary<string, ServiceCount> ByService { get; init; } = new Dictionary<string, ServiceCount>();

    public long Batched { get; init; }

    public long ItemsReturned { get; init; }
}

/// <summary>One throttling bucket's requests: reads, writes, and those answered 429.</summary>
public sealed record ServiceCount(long Reads, long Writes, long Throttled);
