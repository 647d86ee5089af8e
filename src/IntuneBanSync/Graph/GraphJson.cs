using System.Text;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions.Serialization;

namespace IntuneBanSync.Graph;

/// <summary>
/// Graph requests as JSON, through the SDK's request adapter (its retries, timeouts, host guard and token): for beta resources the
/// SDK has no model of (policies, scripts, managed Google Play) and for enums newer than the SDK. The one place such requests are
/// built; OData literals in a URL still come from <see cref="ODataFilter"/>.
/// </summary>
public sealed class GraphJson(GraphServiceClient client, GraphOptions options)
{
    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new() { ["XXX"] = ODataError.CreateFromDiscriminatorValue };

    public string V1 { get; } = options.BaseUrl.TrimEnd('/');

    public string Beta { get; } = GraphClientBuilder.BetaUrl(options.BaseUrl);

    internal GraphOptions Options => options;

    /// <summary>Every item of a collection, following @odata.nextLink; a page that fails throws <see cref="GraphReadException"/>.</summary>
    public async IAsyncEnumerable<JsonElement> ListAsync(string what, string url, [EnumeratorCancellation] CancellationToken ct)
    {
        var next = url;
        while (next is not null)
        {
            using var page = await GraphCalls.ReadAsync(what, () => SendAsync(Method.GET, next, null, ct), ct);
            next = null;
            if (page is null)
                yield break;
            if (page.RootElement.TryGetProperty("value", out var items))
            {
                foreach (var item in items.EnumerateArray())
                    yield return item.Clone();
            }

            if (page.RootElement.TryGetProperty("@odata.nextLink", out var link) && link.GetString() is { Length: > 0 } nextLink)
                next = nextLink;
        }
    }

    /// <summary>One entity, or null when Graph answers 404.</summary>
    public async Task<JsonElement?> GetAsync(string what, string url, CancellationToken ct)
    {
        try
        {
            using var json = await SendAsync(Method.GET, url, null, ct);
            return json?.RootElement.Clone();
        }
        catch (ODataError e) when (e.ResponseStatusCode == 404)
        {
            return null;
        }
        catch (Exception e) when (GraphCalls.IsFailure(e, ct))
        {
            throw new GraphReadException(what, e);
        }
    }

    /// <summary>A POST that only reads (an action answering data).</summary>
    public async Task<JsonElement?> ReadingPostAsync(string what, string url, JsonNode body, CancellationToken ct) =>
        await GraphCalls.ReadAsync<JsonElement?>(what, async () =>
        {
            using var json = await SendAsync(Method.POST, url, body, ct);
            return json?.RootElement.Clone();
        }, ct);

    /// <summary>A write; the answer's body, if any. Refused → <see cref="Enforcement.GraphWriteException"/> with the status.</summary>
    public async Task<JsonElement?> WriteAsync(string what, Method method, string url, JsonNode? body, CancellationToken ct) =>
        await GraphCalls.WriteAsync<JsonElement?>(what, async () =>
        {
            using var json = await SendAsync(method, url, body, ct);
            return json?.RootElement.Clone();
        }, ct);

    private async Task<JsonDocument?> SendAsync(Method method, string url, JsonNode? body, CancellationToken ct)
    {
        var request = new RequestInformation { HttpMethod = method, URI = new Uri(url) };
        request.Headers.TryAdd("Accept", "application/json");
        request.Headers.TryAdd("Prefer", "include-unknown-enum-members");
        if (body is not null)
            request.SetStreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body.ToJsonString())), "application/json");
        await using var stream = await client.RequestAdapter.SendPrimitiveAsync<Stream>(request, ErrorMapping, ct);
        if (stream is null)
            return null;
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.Length == 0 ? null : JsonDocument.Parse(buffer.ToArray());
    }
}
