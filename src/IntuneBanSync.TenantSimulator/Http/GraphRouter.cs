namespace IntuneBanSync.TenantSimulator;

internal delegate GraphResponse GraphHandler(GraphRequest request, RouteArgs args);

internal sealed class RouteArgs(Dictionary<string, string> values)
{
    public string this[string name] => values[name];
}

/// <summary>Graph's path templates, matched segment by segment, so Kestrel and $batch share one routing.</summary>
internal sealed class GraphRouter
{
    private readonly List<Route> routes = [];

    public void Get(string template, ThrottleCategory category, Needs needs, GraphHandler handler, bool betaOnly = false) =>
        Add("GET", template, category, isWrite: false, needs, handler, betaOnly);

    public void Write(string method, string template, ThrottleCategory category, Needs needs, GraphHandler handler, bool betaOnly = false) =>
        Add(method, template, category, isWrite: true, needs, handler, betaOnly);

    /// <summary>A POST that only reads, such as checkMemberGroups.</summary>
    public void ReadingPost(string template, ThrottleCategory category, Needs needs, GraphHandler handler) =>
        Add("POST", template, category, isWrite: false, needs, handler, betaOnly: false);

    public RouteMatch? Match(string method, string version, string path)
    {
        var segments = path.Trim('/').Split('/');
        foreach (var route in routes)
        {
            if (route.Method == method && (!route.BetaOnly || version == "beta") && route.TryMatch(segments, out var args))
            {
                return new RouteMatch(route, args);
            }
        }

        return null;
    }

    public static ThrottleCategory CategoryOf(string path) => path.Split('/')[0].ToLowerInvariant() switch
    {
        "devicemanagement" => ThrottleCategory.Devices,
        "deviceappmanagement" => ThrottleCategory.Apps,
        "groups" or "users" or "devices" or "directoryobjects" => ThrottleCategory.Directory,
        _ => ThrottleCategory.None,
    };

    private void Add(string method, string template, ThrottleCategory category, bool isWrite, Needs needs, GraphHandler handler, bool betaOnly) =>
        routes.Add(new Route(method, template.Split('/'), category, isWrite, needs, handler, betaOnly));

    internal sealed record Route(string Method, string[] Segments, ThrottleCategory Category, bool IsWrite, Needs Needs, GraphHandler Handler, bool BetaOnly)
    {
        public string Kind => $"{Method} {string.Join('/', Segments.Select(s => s.StartsWith('{') ? "{id}" : s))}";

        public bool TryMatch(string[] path, out RouteArgs args)
        {
            args = new RouteArgs([]);
            if (path.Length != Segments.Length)
            {
                return false;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < path.Length; i++)
            {
                if (Segments[i].StartsWith('{'))
                {
                    if (path[i].Length == 0)
                    {
                        return false;
                    }

                    values[Segments[i].Trim('{', '}')] = path[i];
                }
                else if (!string.Equals(Segments[i], path[i], StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            args = new RouteArgs(values);
            return true;
        }
    }

    internal sealed record RouteMatch(Route Route, RouteArgs Args);
}
