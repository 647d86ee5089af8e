using System.Threading.Channels;
using IntuneBanSync.Sweeps;

namespace IntuneBanSync.Inventory;

/// <summary>
/// The tenant's managed devices, streamed, each with what an inventory source saw of the ban list's apps on it. The next pages
/// are read while the caller evaluates the devices already here (at most <see cref="Prefetched"/> held), so Graph's round trips
/// overlap the sweep's own work instead of adding to it. A failed listing is recorded in the coverage, never taken as the end.
/// </summary>
internal static class ManagedDeviceStream
{
    /// <summary>Two pages of Intune's largest: enough to keep a read in flight, small beside the tenant.</summary>
    private const int Prefetched = 2000;

    public static async IAsyncEnumerable<ObservedDevice> ObservedAsync(
        IIntuneGraph graph, DeviceSightings seen, InventoryCoverage coverage, SweepTrace trace,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<DeviceRecord>(new BoundedChannelOptions(Prefetched) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(() => ReadDevicesAsync(graph, channel.Writer, stop.Token), stop.Token);
        try
        {
            while (true)
            {
                try
                {
                    if (!await channel.Reader.WaitToReadAsync(ct))
                        yield break;
                }
                catch (GraphReadException e)
                {
                    trace.ReadFailed(e);
                    coverage.DeviceListFailed(e.Message);
                    yield break;
                }

                while (channel.Reader.TryRead(out var device))
                    yield return new ObservedDevice(device, seen.Of(device.Id));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task ReadDevicesAsync(IIntuneGraph graph, ChannelWriter<DeviceRecord> writer, CancellationToken ct)
    {
        try
        {
            await foreach (var device in graph.ManagedDevicesAsync(ct))
                await writer.WriteAsync(device, ct);
            writer.TryComplete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }
}

/// <summary>What an inventory source saw of the ban list's apps, by managed device id: one sighting per (ban, detected app).</summary>
internal sealed class DeviceSightings
{
    private readonly Dictionary<string, List<Sighting>> _seen = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string deviceId, IReadOnlyList<Ban> bans, DetectedAppRecord app)
    {
        if (!_seen.TryGetValue(deviceId, out var sightings))
            _seen[deviceId] = sightings = [];
        sightings.AddRange(bans.Select(b => new Sighting(b, app)));
    }

    public IReadOnlyList<Sighting> Of(string deviceId) => _seen.GetValueOrDefault(deviceId) ?? [];
}
