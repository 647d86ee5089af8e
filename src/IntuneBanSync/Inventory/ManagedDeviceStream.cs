using System.Threading.Channels;
using IntuneBanSync.Sweeps;

namespace IntuneBanSync.Inventory;

/// <summary>
/// The tenant's managed devices, streamed, each with what an inventory source saw of the ban list's apps on it. Listing starts
/// early (<see cref="StartEarly"/>), before the apps are read, and holds at most <see cref="Prefetched"/> devices until the caller takes them,
/// so Graph's round trips overlap the sweep's own work instead of adding to it. A tenant larger than one page is listed in
/// <see cref="SyncSlices"/>, <see cref="IIntuneGraph.ReadConcurrency"/> at a time; a service that refuses the slices' filter, or
/// answers devices outside it, is listed whole instead. A failed listing is recorded in the coverage, never taken as the end.
/// </summary>
internal sealed class ManagedDeviceStream : IAsyncDisposable
{
    /// <summary>Twenty pages of Intune's largest: the slices' reads keep going while the apps are read, a fraction of the tenant.</summary>
    private const int Prefetched = 20_000;

    /// <summary>Devices go through the channel a few hundred at a time: one at a time, the slices' listers and the reader contended for its lock.</summary>
    private const int ChunkSize = 250;

    private readonly IIntuneGraph _graph;
    private readonly TimeProvider _time;
    private readonly SweepTrace _trace;
    private readonly Channel<IReadOnlyList<DeviceRecord>> _channel =
        Channel.CreateBounded<IReadOnlyList<DeviceRecord>>(new BoundedChannelOptions(Prefetched / ChunkSize) { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource? _listing;
    private Task? _lister;

    public ManagedDeviceStream(IIntuneGraph graph, TimeProvider time, SweepTrace trace)
    {
        _graph = graph;
        _time = time;
        _trace = trace;
    }

    /// <summary>
    /// Starts listing before the apps are read, when reads may run side by side; with one read at a time the listing waits for
    /// <see cref="ObservedAsync"/>.
    /// </summary>
    public void StartEarly(CancellationToken ct)
    {
        if (_graph.ReadConcurrency > 1)
            Start(ct);
    }

    /// <summary>Each device once (a device listed in two slices is given the first time), with the sightings of it.</summary>
    public async IAsyncEnumerable<ObservedDevice> ObservedAsync(DeviceSightings seen, InventoryCoverage coverage, [EnumeratorCancellation] CancellationToken ct)
    {
        Start(ct);
        var given = new GivenIds();
        while (true)
        {
            try
            {
                if (!await _channel.Reader.WaitToReadAsync(ct))
                    yield break;
            }
            catch (GraphReadException e)
            {
                _trace.ReadFailed(e);
                coverage.DeviceListFailed(e.Message);
                yield break;
            }

            while (_channel.Reader.TryRead(out var chunk))
            {
                foreach (var device in chunk)
                {
                    if (given.Add(device.Id))
                        yield return new ObservedDevice(device, seen.Of(device.Id));
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_lister is not null)
            await _lister.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _listing?.Dispose();
        _stop.Dispose();
    }

    /// <summary>Once; the slices are cut by the sweep's clock at that moment.</summary>
    private void Start(CancellationToken ct)
    {
        if (_lister is not null)
            return;
        _listing = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, ct);
        var token = _listing.Token;
        var startedAt = _time.GetUtcNow();
        _lister = Task.Run(() => ListAsync(startedAt, token), token);
    }

    private async Task ListAsync(DateTimeOffset startedAt, CancellationToken ct)
    {
        var writer = _channel.Writer;
        try
        {
            // The first page of the whole listing is both devices and the sample the slices are cut from; a tenant of one page ends there.
            var sample = new List<DateTimeOffset?>(_graph.DevicePageSize);
            await using (var whole = _graph.ManagedDevicesAsync(ct).GetAsyncEnumerator(ct))
            {
                var first = new Chunks(writer);
                while (sample.Count < _graph.DevicePageSize && await whole.MoveNextAsync())
                {
                    sample.Add(whole.Current.LastSyncDateTime);
                    await first.AddAsync(whole.Current, ct);
                }

                await first.FlushAsync(ct);

                // Slices pay a few partial pages for reading side by side: with one read at a time there is nothing to gain.
                var slices = sample.Count == _graph.DevicePageSize && _graph.ReadConcurrency > 1 ? SyncSlices.Plan(sample, startedAt, 2 * _graph.ReadConcurrency) : null;
                if (slices is null)
                {
                    var rest = new Chunks(writer);
                    while (await whole.MoveNextAsync())
                        await rest.AddAsync(whole.Current, ct);
                    await rest.FlushAsync(ct);
                    writer.TryComplete();
                    return;
                }

                if (await ListSlicesAsync(slices, writer, ct) is not { } refused)
                {
                    _trace.DevicesSliced(slices.Earlier.Count + 1);
                    writer.TryComplete();
                    return;
                }

                _trace.DeviceSlicesRefused(refused);
            }

            // Listed whole from the start: what the slices gave already is dropped by id.
            var again = new Chunks(writer);
            await foreach (var device in _graph.ManagedDevicesAsync(ct))
                await again.AddAsync(device, ct);
            await again.FlushAsync(ct);
            writer.TryComplete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }

    /// <summary>Null when every slice was listed; otherwise why the service's answer cannot be trusted to be the slice asked for.</summary>
    private async Task<string?> ListSlicesAsync(SyncSlices slices, ChannelWriter<IReadOnlyList<DeviceRecord>> writer, CancellationToken ct)
    {
        try
        {
            await Parallel.ForEachAsync(
                slices.Earlier, new ParallelOptions { MaxDegreeOfParallelism = _graph.ReadConcurrency, CancellationToken = ct },
                (window, token) => ListSliceAsync(window, writer, token));
            await ListSliceAsync(slices.Latest, writer, ct);
            return null;
        }
        catch (SliceRefusedException e)
        {
            return e.Message;
        }
    }

    private async ValueTask ListSliceAsync(SyncWindow window, ChannelWriter<IReadOnlyList<DeviceRecord>> writer, CancellationToken ct)
    {
        try
        {
            var chunks = new Chunks(writer);
            await foreach (var device in _graph.ManagedDevicesSyncedAsync(window, ct))
            {
                if (!window.Contains(device.LastSyncDateTime))
                    throw new SliceRefusedException($"device {device.Id} last synced {device.LastSyncDateTime?.ToString("O", CultureInfo.InvariantCulture) ?? "never"}, outside {window}");
                await chunks.AddAsync(device, ct);
            }

            await chunks.FlushAsync(ct);
        }
        catch (GraphReadException e) when (e.Status == 400)
        {
            throw new SliceRefusedException(e.Message);
        }
    }

    private sealed class SliceRefusedException(string message) : Exception(message);

    /// <summary>One lister's devices, written to the channel <see cref="ChunkSize"/> at a time.</summary>
    private sealed class Chunks(ChannelWriter<IReadOnlyList<DeviceRecord>> writer)
    {
        private List<DeviceRecord> _pending = new(ChunkSize);

        public ValueTask AddAsync(DeviceRecord device, CancellationToken ct)
        {
            _pending.Add(device);
            return _pending.Count < ChunkSize ? ValueTask.CompletedTask : FlushAsync(ct);
        }

        public ValueTask FlushAsync(CancellationToken ct)
        {
            if (_pending.Count == 0)
                return ValueTask.CompletedTask;
            var full = _pending;
            _pending = new(ChunkSize);
            return writer.WriteAsync(full, ct);
        }
    }
}

/// <summary>The ids of the devices given so far: Intune's are GUIDs, held as 16 bytes each rather than as strings of 36 characters.</summary>
internal sealed class GivenIds
{
    private readonly HashSet<Guid> _guids = [];
    private readonly HashSet<string> _others = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>False when the id was given before.</summary>
    public bool Add(string id) => Guid.TryParse(id, out var guid) ? _guids.Add(guid) : _others.Add(id);
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
