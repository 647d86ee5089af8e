using Microsoft.AspNetCore.WebUtilities;

namespace IntuneBanSync.TenantSimulator;

/// <summary>JSON batching: each inner request goes through the pipeline on its own; the envelope answers 200 regardless.</summary>
internal sealed class BatchRoute(GraphPipeline pipeline, RequestLog log, SimulatorOptions options)
{
    private const int MaxRequests = 20;

    public GraphResponse Handle(GraphRequest envelope)
    {
        var now = options.TimeProvider.GetUtcNow();
        if (envelope.Body?["requests"] is not JsonArray requests)
        {
            log.Batch(0);
            return GraphJson.BadRequest("A batch needs a 'requests' array.", now);
        }

        if (requests.Count > MaxRequests)
        {
            log.Batch(0);
            return GraphJson.BadRequest($"Number of batch request steps exceeds the maximum of {MaxRequests}.", now);
        }

        log.Batch(requests.Count);

        var responses = new JsonArray();
        foreach (var item in requests)
        {
            var id = item?["id"]?.GetValue<string>() ?? "";
            var response = item?["url"]?.GetValue<string>() is { } url && item["method"]?.GetValue<string>() is { } method
                ? pipeline.Handle(Inner(envelope, method, url, item["body"]?.DeepClone(), item["headers"] as JsonObject))
                : GraphJson.BadRequest("A batch request needs an id, a method and a url.", now);
            responses.Add(Shape(id, response));
        }

        return GraphResponse.Ok(new JsonObject { ["responses"] = responses });
    }

    /// <summary>An inner request carries its own headers, and the envelope's authorization.</summary>
    private static GraphRequest Inner(GraphRequest envelope, string method, string url, JsonNode? body, JsonObject? itemHeaders)
    {
        var relative = url.TrimStart('/');
        foreach (var version in (string[])["v1.0/", "beta/"])
        {
            if (relative.StartsWith(version, StringComparison.OrdinalIgnoreCase))
            {
                relative = relative[version.Length..];
            }
        }

        var queryStart = relative.IndexOf('?', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(queryStart < 0 ? relative : relative[..queryStart]);
        var query = queryStart < 0
            ? new Dictionary<string, string>()
            : QueryHelpers.ParseQuery(relative[queryStart..]).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (envelope.Header("Authorization") is { } authorization)
            headers["Authorization"] = authorization;
        foreach (var (name, value) in itemHeaders ?? [])
            headers[name] = value?.ToString() ?? "";
        return new GraphRequest(method.ToUpperInvariant(), envelope.Version, path, query, body, envelope.BaseUrl, headers);
    }

    private static JsonObject Shape(string id, GraphResponse response)
    {
        var headers = new JsonObject();
        foreach (var (name, value) in response.Headers)
        {
            headers[name] = value;
        }

        var item = new JsonObject { ["id"] = id, ["status"] = response.Status, ["headers"] = headers };
        if (response.Body is not null)
        {
            headers["Content-Type"] = "application/json";
            item["body"] = response.Body;
        }

        return item;
    }
}
