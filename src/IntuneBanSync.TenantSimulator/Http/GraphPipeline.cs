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
        log.Request(match?.Route.Kind ?? $"{request.Method} (unknown route)", isWrite, match?.Route.Category ?? ThrottleCategory.None);
        if (match is null)
        {
            return GraphJson.NotFound($"Resource not found for the segment '{request.Path.Split('/')[0]}'.", now);
        }

        log.Required(match.Route.Needs.LeastPrivileged);
        if (options.RequirePermissions && Refusal(request, match.Route, now) is { } refused)
        {
            return refused;
        }

        if (throttle.Admit(match.Route.Category, isWrite) is { } retryAfter)
        {
            log.Throttle(match.Route.Category);
            return TooManyRequests(retryAfter, now);
        }

        switch (faults.Decide(request.Path.Trim('/')))
        {
            case { Status: 429 } fault:
                log.Throttle(match.Route.Category);
                return TooManyRequests(fault.RetryAfterSeconds, now);
            case { } fault:
                log.Fault();
                return GraphJson.Error(fault.Status, fault.Status == 503 ? "ServiceUnavailable" : "UnknownError", "Injected failure.", now);
        }

        return match.Route.Handler(request, match.Args);
    }

    /// <summary>
    /// No token: 401. A token without the route's permissions: 403, in the shape each service answers it
    /// (Intune: "Application must have one of the following scopes", seen in mondoohq/cnspec#1708 and
    /// microsoft-graph-docs-contrib#87; Entra: Authorization_RequestDenied).
    /// </summary>
    private static GraphResponse? Refusal(GraphRequest request, GraphRouter.Route route, DateTimeOffset now)
    {
        if (TokenRoles.Of(request) is not { } roles)
        {
            return GraphJson.Error(401, "InvalidAuthenticationToken", "Access token is empty.", now);
        }

        if (route.Needs.SatisfiedBy(roles))
        {
            return null;
        }

        return GraphRouter.CategoryOf(request.Path) is ThrottleCategory.Devices or ThrottleCategory.Apps
            ? GraphJson.Error(403, "Forbidden",
                $"Application is not authorized to perform this operation. Application must have one of the following scopes: {string.Join(", ", route.Needs.Named)}", now)
            : GraphJson.Error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", now);
    }

    private static GraphResponse TooManyRequests(int? retryAfterSeconds, DateTimeOffset now)
    {
        var headers = retryAfterSeconds is { } seconds
            ? new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) }
            : [];
        return GraphJson.Error(429, "TooManyRequests", "Too many requests, retry later.", now, headers);
    }
}
