using IntuneBanSync.Sweeps;

namespace IntuneBanSync.Inventory;

/// <summary>
/// The whole tenant, app → devices: detectedApps paged and matched by name here (Graph has no bundle id on it and ignores
/// $filter), then the devices of each matched app. Only matches and their devices are held; the tenant's devices stream past,
/// listed from the start of <see cref="ReadAsync"/> on, beside the apps.
/// </summary>
public sealed class TenantInventory(IIntuneGraph graph, BanListDocument banList, InventoryCoverage coverage, SweepTrace trace, TimeProvider time) : IInventorySource
{
    private readonly DeviceSightings _seen = new();
    private readonly ManagedDeviceStream _devices = new(graph, time, trace);

    public Task CheckTargetAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task<IReadOnlyList<DeviceRecord>?> ReadAsync(IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        _devices.StartEarly(ct);

        var matcher = new AppNameMatcher(banList);
        var matched = new List<(DetectedAppRecord App, IReadOnlyList<Ban> Bans)>();
        var scanned = 0;
        try
        {
            await foreach (var app in graph.DetectedAppsAsync(ct))
            {
                var bans = matcher.BansMatching(app.DisplayName);
                if (bans.Count > 0)
                    matched.Add((app, bans));
                if (++scanned % 1000 == 0)
                    progress?.Report(new SweepProgress(SweepPhase.ReadingDetectedApps, scanned));
            }
        }
        catch (GraphReadException e)
        {
            trace.ReadFailed(e);
            coverage.DetectedAppsListFailed(e.Message);
        }

        trace.AppsMatched(matched.Count);

        // The matched apps' device lists are independent reads: a few in flight at once, merged in the order the apps were listed,
        // so the sightings (and the report) are the same as when read one by one.
        var listings = await graph.ReadEachAsync(
            matched, (m, token) => ListAsync(m.App, token), ct,
            listed => progress?.Report(new SweepProgress(SweepPhase.ListingDevicesWithBannedApps, listed, matched.Count)));

        for (var i = 0; i < matched.Count; i++)
        {
            var (app, bans) = matched[i];
            foreach (var deviceId in listings[i].DeviceIds)
            {
                _seen.Add(deviceId, bans, app);
            }

            if (listings[i].Failure is { } e)
            {
                trace.ReadFailed(e);
                var platforms = DeviceClassification.PlatformOfDetectedApp(app.Platform) is { } p ? [p] : Enum.GetValues<DevicePlatform>();
                foreach (var ban in bans)
                    foreach (var platform in platforms)
                        coverage.AppListingFailed(ban.Id, platform, $"{e.Message} ('{app.DisplayName}' {app.Version})");
            }
        }

        return null;
    }

    private async Task<DeviceListing> ListAsync(DetectedAppRecord app, CancellationToken ct)
    {
        var ids = new List<string>();
        try
        {
            await foreach (var device in graph.DevicesWithAppAsync(app.Id, ct))
                ids.Add(device.Id);
            return new DeviceListing(ids, null);
        }
        catch (GraphReadException e)
        {
            // What was listed before the failure still counts as seen, as it did when read one by one.
            return new DeviceListing(ids, e);
        }
    }

    private sealed record DeviceListing(List<string> DeviceIds, GraphReadException? Failure);

    public IAsyncEnumerable<ObservedDevice> DevicesAsync(CancellationToken ct) =>
        _devices.ObservedAsync(_seen, coverage, ct);

    public ValueTask DisposeAsync() => _devices.DisposeAsync();
}
