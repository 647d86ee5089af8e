using System.Runtime.CompilerServices;
using IntuneBanSync.Planning;
using IntuneBanSync.Sweeps;

namespace IntuneBanSync.Inventory;

/// <summary>
/// The whole tenant, app → devices: detectedApps paged and matched by name here (Graph has no bundle id on it and ignores
/// $filter), then the devices of each matched app. Only matches and their devices are held; the tenant's devices stream past.
/// </summary>
public sealed class TenantInventory(IIntuneGraph graph, BanListDocument banList, InventoryCoverage coverage, SweepTrace trace) : IInventorySource
{
    private readonly Dictionary<string, List<Sighting>> _seen = new(StringComparer.OrdinalIgnoreCase);

    public Task CheckTargetAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task<IReadOnlyList<DeviceRecord>?> ReadAsync(IProgress<SweepProgress>? progress, CancellationToken ct)
    {
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
        var listed = 0;
        foreach (var (app, bans) in matched)
        {
            try
            {
                await foreach (var device in graph.DevicesWithAppAsync(app.Id, ct))
                {
                    if (!_seen.TryGetValue(device.Id, out var sightings))
                        _seen[device.Id] = sightings = [];
                    sightings.AddRange(bans.Select(b => new Sighting(b, app)));
                }
            }
            catch (GraphReadException e)
            {
                trace.ReadFailed(e);
                var platforms = DeviceClassification.PlatformOfDetectedApp(app.Platform) is { } p ? [p] : Enum.GetValues<DevicePlatform>();
                foreach (var ban in bans)
                    foreach (var platform in platforms)
                        coverage.AppListingFailed(ban.Id, platform, $"{e.Message} ('{app.DisplayName}' {app.Version})");
            }

            progress?.Report(new SweepProgress(SweepPhase.ListingDevicesWithBannedApps, ++listed, matched.Count));
        }

        return null;
    }

    public async IAsyncEnumerable<ObservedDevice> DevicesAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var devices = graph.ManagedDevicesAsync(ct).GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await devices.MoveNextAsync())
                    yield break;
            }
            catch (GraphReadException e)
            {
                trace.ReadFailed(e);
                coverage.DeviceListFailed(e.Message);
                yield break;
            }

            var device = devices.Current;
            yield return new ObservedDevice(device, _seen.GetValueOrDefault(device.Id) ?? []);
        }
    }
}
