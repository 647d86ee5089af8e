using IntuneBanSync.Sweeps;

namespace IntuneBanSync.Inventory;

/// <summary>
/// One user's devices or one device, each with its own app list (beta per-device detectedApps): the cost does not grow with the
/// tenant, so a helpdesk answer takes a handful of requests.
/// </summary>
public sealed class TargetedInventory(IIntuneGraph graph, BanListDocument banList, SweepTarget target, InventoryCoverage coverage, SweepTrace trace)
    : IInventorySource
{
    private readonly AppNameMatcher _matcher = new(banList);
    private DeviceRecord? _device;
    private IReadOnlyList<DeviceRecord> _devices = [];

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public async Task CheckTargetAsync(CancellationToken ct)
    {
        if (target.Device is { } deviceId)
            _device = await graph.DeviceAsync(deviceId, ct) ?? throw new TargetNotFoundException($"No managed device has id {deviceId}.");
    }

    public async Task<IReadOnlyList<DeviceRecord>?> ReadAsync(IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        try
        {
            _devices = _device is not null ? [_device] : await graph.DevicesOfUserAsync(target.User!, ct).ToListAsync(ct);
        }
        catch (GraphReadException e)
        {
            trace.ReadFailed(e);
            coverage.DeviceListFailed(e.Message);
        }

        return _devices;
    }

    public async IAsyncEnumerable<ObservedDevice> DevicesAsync([EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var device in _devices)
            yield return new ObservedDevice(device, await SightingsOfAsync(device, ct));
    }

    private async Task<IReadOnlyList<Sighting>> SightingsOfAsync(DeviceRecord device, CancellationToken ct)
    {
        var sightings = new List<Sighting>();
        try
        {
            await foreach (var app in graph.DetectedAppsOfDeviceAsync(device.Id, ct))
                sightings.AddRange(_matcher.BansMatching(app.DisplayName).Select(b => new Sighting(b, app)));
        }
        catch (GraphReadException e)
        {
            trace.ReadFailed(e);
            if (device.Platform is { } platform)
                foreach (var ban in banList.Bans)
                    coverage.AppListingFailed(ban.Id, platform, e.Message);
        }

        return sightings;
    }
}
