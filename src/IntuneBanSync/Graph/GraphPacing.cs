using System.Net;
using System.Text.Json;

namespace IntuneBanSync.Graph;

/// <summary>The throttling bucket a Graph request counts against.</summary>
public enum GraphBucket { None, IntuneDevices, IntuneApps, Directory }

/// <summary>What one HTTP request costs a bucket: requests, and writes among them (a $batch costs its inner requests).</summary>
public readonly record struct BucketCost(GraphBucket Bucket, int Requests, int Writes);

/// <summary>
/// Paces requests per service bucket to the per-app limits (Intune: devices 2000 requests / 200 writes, apps 1000 / 100 per 20 s;
/// microsoft-graph-docs-contrib includes/throttling-intune-devices.md, throttling-intune-apps.md). Each bucket keeps a sliding
/// window of the times its requests were answered, plus the requests in flight: a request is sent only when the answered ones
/// of the last window and those in flight leave room for it. The service counts a request when it arrives, which is after we
/// send it and before its answer, so any window of the service's holds at most the limit. A 429 with Retry-After closes
/// the bucket until then, so requests in flight elsewhere do not pile onto a throttled service.
/// </summary>
public sealed class GraphPacing
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly Dictionary<GraphBucket, Bucket> _buckets;

    public GraphPacing(GraphOptions options, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        // A twentieth more than the service's window: our clock is not the service's, and a response is timed when read, not sent.
        _window = TimeSpan.FromSeconds(options.PacingWindowSeconds * 1.05);
        _buckets = new()
        {
            [GraphBucket.IntuneDevices] = new(options.IntuneDevicesRequestsPerWindow, options.IntuneDevicesWritesPerWindow),
            [GraphBucket.IntuneApps] = new(options.IntuneAppsRequestsPerWindow, options.IntuneAppsWritesPerWindow),
            [GraphBucket.Directory] = new(options.DirectoryRequestsPerWindow, options.DirectoryWritesPerWindow),
        };
    }

    /// <summary>Waits until every bucket the request counts against has room; the lease records the answer's time when disposed.</summary>
    public async Task<IDisposable> AcquireAsync(IReadOnlyList<BucketCost> costs, CancellationToken ct)
    {
        var paced = costs.Where(c => c.Bucket != GraphBucket.None && c.Requests > 0).ToList();
        while (true)
        {
            TimeSpan wait;
            lock (_buckets)
            {
                var now = _time.GetTimestamp();
                wait = TimeSpan.Zero;
                foreach (var cost in paced)
                {
                    var bucketWait = _buckets[cost.Bucket].WaitFor(cost, now, _window, _time);
                    wait = bucketWait > wait ? bucketWait : wait;
                }

                if (wait == TimeSpan.Zero)
                {
                    foreach (var cost in paced)
                        _buckets[cost.Bucket].Start(cost);
                    return new Lease(this, paced);
                }
            }

            await Task.Delay(wait, _time, ct);
        }
    }

    /// <summary>The service answered 429: nothing more goes to the bucket before Retry-After (seconds or a date) has passed.</summary>
    public void Throttled(GraphBucket bucket, System.Net.Http.Headers.RetryConditionHeaderValue retryAfter) =>
        Throttled(bucket, retryAfter.Delta ?? (retryAfter.Date is { } date ? date - _time.GetUtcNow() : TimeSpan.Zero));

    public void Throttled(GraphBucket bucket, TimeSpan retryAfter)
    {
        if (bucket == GraphBucket.None)
            return;
        lock (_buckets)
        {
            var until = _time.GetTimestamp() + (long)(retryAfter.TotalSeconds * _time.TimestampFrequency);
            var b = _buckets[bucket];
            b.ClosedUntil = Math.Max(b.ClosedUntil, until);
        }
    }

    private void Finish(IReadOnlyList<BucketCost> costs)
    {
        lock (_buckets)
        {
            var now = _time.GetTimestamp();
            foreach (var cost in costs)
                _buckets[cost.Bucket].Finish(cost, now);
        }
    }

    /// <summary>
    /// The buckets a request counts against, by resource. Intune's devices bucket covers managedDevice, detectedApp and the scripts
    /// (throttling-intune-devices.md); deviceManagement's policies (compliance, configuration, settings catalog, filters,
    /// notification templates, managed Google Play settings) count in the device configuration bucket of 1000 / 100, which we
    /// pace as the apps bucket, with deviceAppManagement. Scripts are paced against both, the safe side where the two sources
    /// (the docs and the simulator) differ. Entra's directory objects are their own bucket.
    /// </summary>
    public static IReadOnlyList<GraphBucket> BucketsOf(string pathAfterVersion)
    {
        var segments = pathAfterVersion.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var first = segments.Length > 0 ? Resource(segments[0]) : "";
        var second = segments.Length > 1 ? Resource(segments[1]) : "";
        return first switch
        {
            "DEVICEMANAGEMENT" => second switch
            {
                "MANAGEDDEVICES" or "DETECTEDAPPS" or "MANAGEDDEVICEOVERVIEW" => [GraphBucket.IntuneDevices],
                "DEVICEHEALTHSCRIPTS" or "DEVICEMANAGEMENTSCRIPTS" => [GraphBucket.IntuneDevices, GraphBucket.IntuneApps],
                _ => [GraphBucket.IntuneApps],
            },
            "DEVICEAPPMANAGEMENT" => [GraphBucket.IntuneApps],
            "USERS" or "GROUPS" or "DEVICES" or "DIRECTORYOBJECTS" => [GraphBucket.Directory],
            _ => [],
        };
    }

    private static string Resource(string segment)
    {
        var end = segment.IndexOf('(', StringComparison.Ordinal);
        return (end < 0 ? segment : segment[..end]).ToUpperInvariant();
    }

    /// <summary>A write in the throttling sense: anything but a GET, except actions that only read.</summary>
    public static bool IsWrite(string method, string pathAfterVersion)
    {
        if (method.Equals("GET", StringComparison.OrdinalIgnoreCase) || method.Equals("HEAD", StringComparison.OrdinalIgnoreCase))
            return false;
        var path = pathAfterVersion.Split('?')[0].TrimEnd('/');
        var last = path[(path.LastIndexOf('/') + 1)..];
        return !ReadingActions.Contains(last);
    }

    private static readonly HashSet<string> ReadingActions = new(StringComparer.OrdinalIgnoreCase)
    {
        "checkMemberGroups", "checkMemberObjects", "getMemberGroups", "getMemberObjects", "getByIds",
    };

    /// <summary>What a request costs: its own bucket, or for a $batch envelope each inner request's (the envelope itself is not counted).</summary>
    public static async Task<IReadOnlyList<BucketCost>> CostOfAsync(HttpRequestMessage request, Uri baseUrl, CancellationToken ct)
    {
        var path = PathAfterVersion(request.RequestUri, baseUrl);
        if (request.Method == HttpMethod.Post && path.Split('?')[0].TrimEnd('/').EndsWith("$batch", StringComparison.Ordinal) && request.Content is { } content)
        {
            // Buffered, so the content can still be sent (and sent again by the retry handler) after this read.
            await content.LoadIntoBufferAsync(ct);
            using var json = JsonDocument.Parse(await content.ReadAsByteArrayAsync(ct));
            if (!json.RootElement.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array)
                return [];
            return [.. requests.EnumerateArray()
                .Select(r => (Method: r.TryGetProperty("method", out var m) ? m.GetString() ?? "GET" : "GET", Url: r.TryGetProperty("url", out var u) ? u.GetString() ?? "" : ""))
                .SelectMany(r => BucketsOf(r.Url).Select(bucket => (Bucket: bucket, Write: IsWrite(r.Method, r.Url))))
                .GroupBy(r => r.Bucket)
                .Select(g => new BucketCost(g.Key, g.Count(), g.Count(r => r.Write)))];
        }

        var write = IsWrite(request.Method.Method, path) ? 1 : 0;
        return [.. BucketsOf(path).Select(bucket => new BucketCost(bucket, 1, write))];
    }

    /// <summary>The path below /v1.0 or /beta (the base URL's root), with its query.</summary>
    public static string PathAfterVersion(Uri? url, Uri baseUrl)
    {
        if (url is null)
            return "";
        var path = url.AbsolutePath;
        var root = baseUrl.AbsolutePath.TrimEnd('/');
        var versionRoot = root.EndsWith("/v1.0", StringComparison.OrdinalIgnoreCase) ? root[..^"/v1.0".Length] : root;
        if (path.StartsWith(versionRoot, StringComparison.OrdinalIgnoreCase))
            path = path[versionRoot.Length..];
        foreach (var version in (string[])["/v1.0/", "/beta/"])
        {
            if (path.StartsWith(version, StringComparison.OrdinalIgnoreCase))
                return Uri.UnescapeDataString(path[(version.Length - 1)..]);
        }

        return Uri.UnescapeDataString(path);
    }

    private sealed class Lease(GraphPacing pacing, IReadOnlyList<BucketCost> costs) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                pacing.Finish(costs);
        }
    }

    private sealed class Bucket(int requestLimit, int writeLimit)
    {
        private readonly Queue<(long At, int Requests, int Writes)> _answered = new();
        private int _answeredRequests;
        private int _answeredWrites;
        private int _inFlightRequests;
        private int _inFlightWrites;

        public long ClosedUntil { get; set; }

        public TimeSpan WaitFor(BucketCost cost, long now, TimeSpan window, TimeProvider time)
        {
            var windowTicks = (long)(window.TotalSeconds * time.TimestampFrequency);
            while (_answered.TryPeek(out var oldest) && oldest.At + windowTicks <= now)
            {
                _answered.Dequeue();
                _answeredRequests -= oldest.Requests;
                _answeredWrites -= oldest.Writes;
            }

            if (ClosedUntil > now)
                return TimeSpan.FromSeconds((ClosedUntil - now) / (double)time.TimestampFrequency);

            // A cost larger than the limit itself is let through alone, once the bucket is empty.
            var requests = Math.Min(cost.Requests, requestLimit);
            var writes = Math.Min(cost.Writes, writeLimit);
            if (_answeredRequests + _inFlightRequests + requests <= requestLimit && _answeredWrites + _inFlightWrites + writes <= writeLimit)
                return TimeSpan.Zero;

            // Room comes when enough answered requests leave the window; requests in flight free nothing until answered.
            var freedRequests = 0;
            var freedWrites = 0;
            foreach (var (at, r, w) in _answered)
            {
                freedRequests += r;
                freedWrites += w;
                if (_answeredRequests - freedRequests + _inFlightRequests + requests <= requestLimit
                    && _answeredWrites - freedWrites + _inFlightWrites + writes <= writeLimit)
                    return TimeSpan.FromSeconds(Math.Max(1, at + windowTicks - now) / (double)time.TimestampFrequency);
            }

            return TimeSpan.FromMilliseconds(5);
        }

        public void Start(BucketCost cost)
        {
            _inFlightRequests += cost.Requests;
            _inFlightWrites += cost.Writes;
        }

        public void Finish(BucketCost cost, long now)
        {
            _inFlightRequests -= cost.Requests;
            _inFlightWrites -= cost.Writes;
            _answered.Enqueue((now, cost.Requests, cost.Writes));
            _answeredRequests += cost.Requests;
            _answeredWrites += cost.Writes;
        }
    }
}

/// <summary>
/// The pacing as a handler of the Graph pipeline, inside the retry handler so each attempt (a retry too) waits for room. A 429's
/// Retry-After closes the request's bucket for that long (the retry handler then waits it too, and sends after it).
/// </summary>
internal sealed class GraphPacingHandler(GraphPacing pacing, Uri baseUrl) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var costs = await GraphPacing.CostOfAsync(request, baseUrl, cancellationToken);
        using var lease = await pacing.AcquireAsync(costs, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter is { } retryAfter)
        {
            foreach (var cost in costs)
                pacing.Throttled(cost.Bucket, retryAfter);
        }

        return response;
    }
}
