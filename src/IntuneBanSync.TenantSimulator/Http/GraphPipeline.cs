using System.Globalization;

namespace IntuneBanSync.TenantSimulator;

/// <summary>Every Graph request, direct or inside a batch, passes here: counted, throttled, faulted, then routed.</summary>
internal sealed class GraphPipeline(GraphRouter router, ThrottleGate throttle, FaultOptions faults, RequestLog log, SimulatorOptions options)
{
    public GraphResponse Handle(GraphRequest request)
    {
        var now = options.TimeProvider.GetUtcNow();
        var match = router.Match(request.Method, request.Version, request.Path);
        var isWrite = match?.Route.IsWrite ?? request.Method != "GET";
        log.Request(match?.Route.Kind ?? $"{request.Method} (unknown route)", isWrite);
        if (match is null)
        {
            return GraphJson.NotFound($"Resource not found for the segment '{request.Path.Split('/')[0]}'.", now);
        }

        if (throttle.Admit(match.Route.Category, isWrite) is { } retryAfter)
        {
            log.Throttle();
            return TooManyRequests(retryAfter, now);
        }

        switch (faults.Decide(request.Path.Trim('/')))
        {
            case { Status: 429 } fault:
                log.Throttle();
                return TooManyRequests(fault.RetryAfterSeconds, now);
            case { } fault:
                log.Fault();
                return GraphJson.Error(fault.Status, fault.Status == 503 ? "ServiceUnavailable" : "UnknownError", "Injected failure.", now);
        }

        return match.Route.Handler(request, match.Args);
    }

    private static GraphResponse TooManyRequests(int? retryAfterSeconds, DateTimeOffset now)
    {
        var headers = retryAfterSeconds is { } seconds
            ? new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) }
            : [];
        return GraphJson.Error(429, "TooManyRequests", "Too many requests, retry later.", now, headers);
    }
}
