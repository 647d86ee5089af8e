using IntuneBanSync.Sweeps;

namespace IntuneBanSync.Inventory;

/// <summary>
/// Where a sweep's devices and the banned apps on them come from: the whole tenant (app → devices) or one user's or one
/// device's own lists. A read that fails is recorded in the sweep's coverage and never shows as absence. Disposing it stops
/// whatever it still has in flight.
/// </summary>
public interface IInventorySource : IAsyncDisposable
{
    /// <summary>Throws <see cref="TargetNotFoundException"/> when the sweep names a device the tenant does not have; nothing is journaled before.</summary>
    Task CheckTargetAsync(CancellationToken ct);

    /// <summary>
    /// Reads what must be known before devices are decided. Returns the devices the sweep covers when they are few (a user's,
    /// a device), or null for the whole tenant, whose devices are streamed by <see cref="DevicesAsync"/>.
    /// </summary>
    Task<IReadOnlyList<DeviceRecord>?> ReadAsync(IProgress<SweepProgress>? progress, CancellationToken ct);

    /// <summary>Each device with the banned apps seen on it, streamed. A page that fails ends the stream and is recorded as unread.</summary>
    IAsyncEnumerable<ObservedDevice> DevicesAsync(CancellationToken ct);
}

/// <summary>One device with every banned app seen on it, each with the ban that names it.</summary>
public sealed record ObservedDevice(DeviceRecord Device, IReadOnlyList<Sighting> Sightings)
{
    public IReadOnlyList<DetectedAppRecord> AppsOf(Ban ban) => [.. Sightings.Where(s => s.Ban.Id == ban.Id).Select(s => s.App)];
}

public sealed record Sighting(Ban Ban, DetectedAppRecord App);

/// <summary>The sweep's target is not in the tenant: the caller's mistake, not a failed run.</summary>
public sealed class TargetNotFoundException(string message) : Exception(message);
