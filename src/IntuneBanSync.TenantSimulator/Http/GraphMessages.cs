using System.Globalization;

namespace IntuneBanSync.TenantSimulator;

/// <summary>A Graph request after transport: from Kestrel or from inside a $batch envelope.</summary>
internal sealed record GraphRequest(
    string Method,
    string Version,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    JsonNode? Body,
    string BaseUrl,
    IReadOnlyDictionary<string, string>? Headers = null)
{
    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;

    public string? Header(string name) =>
        Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>
    /// Evolvable enums: Graph returns members added after an enum was published only to a client that asks with
    /// Prefer: include-unknown-enum-members, and "unknownFutureValue" to others
    /// (learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations).
    /// </summary>
    public bool IncludesUnknownEnumMembers => Header("Prefer")?.Contains("include-unknown-enum-members", StringComparison.OrdinalIgnoreCase) == true;

    public string VersionRoot => $"{BaseUrl}{Version}/";

    private (string Source, HashSet<string> Names)? _selected;

    /// <summary>The properties $select names, parsed once per request, not once for each of a page's thousand items.</summary>
    public IReadOnlySet<string>? Selected
    {
        get
        {
            if (QueryValue("$select") is not { Length: > 0 } select)
                return null;
            if (_selected is not { } cached || !ReferenceEquals(cached.Source, select))
                _selected = cached = (select, select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase));
            return cached.Names;
        }
    }
}

internal sealed record GraphResponse(int Status, JsonNode? Body, IReadOnlyDictionary<string, string> Headers)
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    public static GraphResponse Ok(JsonNode body) => new(200, body, NoHeaders);

    public static GraphResponse Created(JsonNode body) => new(201, body, NoHeaders);

    public static GraphResponse NoContent() => new(204, null, NoHeaders);
}

internal static class GraphJson
{
    public static string Date(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> shape) => new([.. items.Select(shape)]);

    public static GraphResponse Error(int status, string code, string message, DateTimeOffset now, IReadOnlyDictionary<string, string>? headers = null)
    {
        var requestId = Guid.NewGuid().ToString();
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = requestId,
                    ["client-request-id"] = requestId,
                },
            },
        };
        return new GraphResponse(status, body, headers ?? new Dictionary<string, string>());
    }

    public static GraphResponse NotFound(string message, DateTimeOffset now) =>
        Error(404, "ResourceNotFound", message, now);

    public static GraphResponse BadRequest(string message, DateTimeOffset now) =>
        Error(400, "BadRequest", message, now);

    public static JsonObject Entity(GraphRequest request, string context, JsonObject entity)
    {
        var result = new JsonObject { ["@odata.context"] = $"{request.VersionRoot}$metadata#{context}/$entity" };
        foreach (var (name, value) in entity.ToList())
        {
            entity.Remove(name);
            result[name] = value;
        }

        return result;
    }
}
