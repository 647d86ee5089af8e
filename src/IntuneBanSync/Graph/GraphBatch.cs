namespace IntuneBanSync.Graph;

/// <summary>One request of a JSON batch: an id of ours, a method, a URL relative to the version root, an optional body.</summary>
public sealed record BatchItem(string Id, string Method, string RelativeUrl, JsonNode? Body = null);

/// <summary>An inner response: its status and body.</summary>
public sealed record BatchAnswer(string Id, int Status, JsonElement? Body);

/// <summary>
/// JSON batching (concepts/json-batching.md): at most 20 requests a batch; the batch answers 200 even when items fail, and the SDK
/// does not retry throttled inner requests, so items answered 429 are sent again after the largest Retry-After they carried
/// (Intune sometimes omits it: back off exponentially), a bounded number of times. An item still throttled then is answered 429.
/// Batches go out <see cref="GraphOptions.ReadConcurrency"/> at a time; the pacing handler counts each inner request against its bucket.
/// A Retry-After longer than <paramref name="longestWait"/> is not the service's throttling but a limit of the object (a device's
/// notifications per hour): that item is answered 429 at once, not waited for. <paramref name="itemsPerBatch"/> lowers the 20 where a
/// batch must not cost more than a bucket admits in one window.
/// </summary>
public sealed class GraphBatch(GraphJson graph, TimeSpan? longestWait = null, int itemsPerBatch = GraphBatch.MaxItems)
{
    // Retry-After is the service's wall-clock time, as the SDK's own RetryHandler waits it: not the sweep's clock, which tests move by hand.
    private static readonly TimeProvider Wall = TimeProvider.System;

    public const int MaxItems = 20;
    private const int MaxRetries = 6;

    public async Task<IReadOnlyDictionary<string, BatchAnswer>> SendAsync(string what, string versionRoot, IReadOnlyList<BatchItem> items, CancellationToken ct)
    {
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<string, BatchAnswer>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(items.Chunk(Math.Clamp(itemsPerBatch, 1, MaxItems)), new ParallelOptions { MaxDegreeOfParallelism = graph.Options.ReadConcurrency, CancellationToken = ct }, async (chunk, token) =>
        {
            var pending = chunk.ToList();
            for (var attempt = 0; pending.Count > 0; attempt++)
            {
                var response = await graph.ReadingPostAsync(what, $"{versionRoot}/$batch", Envelope(pending), token);
                var throttled = new List<BatchItem>();
                var wait = TimeSpan.Zero;
                foreach (var answer in Answers(response))
                {
                    var retryAfter = answer.RetryAfter ?? TimeSpan.FromSeconds(Math.Pow(2, attempt));
                    if (answer.Status == 429 && attempt < MaxRetries && (longestWait is not { } longest || retryAfter <= longest))
                    {
                        throttled.Add(pending.First(p => p.Id == answer.Id));
                        wait = retryAfter > wait ? retryAfter : wait;
                    }
                    else
                    {
                        answers[answer.Id] = new BatchAnswer(answer.Id, answer.Status, answer.Body);
                    }
                }

                pending = throttled;
                if (pending.Count > 0)
                    await Task.Delay(wait, Wall, token);
            }
        });

        return answers;
    }

    /// <summary>
    /// The objects of a v1.0 directory collection whose <paramref name="property"/> is one of <paramref name="values"/>: 15 values a
    /// request (<paramref name="filterOf"/>: <see cref="ODataFilter.In"/> or <see cref="ODataFilter.AnyEquals"/>, 15 clauses at most,
    /// learn.microsoft.com/graph/filter-query-parameter), 20 requests a batch, so 300 objects a round trip. An inner request that fails
    /// throws <see cref="GraphReadException"/>: never a partial answer.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> FindInAsync(
        string what, string collection, Func<IEnumerable<string>, string> filterOf, IReadOnlyList<string> values, string select, CancellationToken ct)
    {
        var items = values.Chunk(InOperatorLimit).Select((chunk, i) => new BatchItem(
            i.ToString(CultureInfo.InvariantCulture), "GET",
            $"/{collection}?$filter={Uri.EscapeDataString(filterOf(chunk))}&$select={select}&$top={InOperatorLimit}")).ToList();
        var found = new List<JsonElement>();
        foreach (var answer in (await SendAsync(what, graph.V1, items, ct)).Values.OrderBy(a => int.Parse(a.Id, CultureInfo.InvariantCulture)))
        {
            if (answer.Status != 200)
                throw new GraphReadException($"{what} (batch item {answer.Id})", new HttpRequestException($"HTTP {answer.Status}", null, (System.Net.HttpStatusCode)answer.Status));
            if (answer.Body is { } body && body.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array)
                found.AddRange(value.EnumerateArray());
        }

        return found;
    }

    // "Requests using the in operator are limited to 15 expressions in the filter clause by default" (learn.microsoft.com/graph/filter-query-parameter).
    public const int InOperatorLimit = 15;

    private static JsonObject Envelope(IEnumerable<BatchItem> items) => new()
    {
        ["requests"] = new JsonArray([.. items.Select(i =>
        {
            var request = new JsonObject { ["id"] = i.Id, ["method"] = i.Method, ["url"] = i.RelativeUrl };
            if (i.Body is not null)
            {
                request["body"] = i.Body.DeepClone();
                request["headers"] = new JsonObject { ["Content-Type"] = "application/json" };
            }

            return (JsonNode)request;
        })]),
    };

    private static IEnumerable<(string Id, int Status, JsonElement? Body, TimeSpan? RetryAfter)> Answers(JsonElement? response)
    {
        if (response is not { } json || !json.TryGetProperty("responses", out var responses))
            yield break;
        foreach (var item in responses.EnumerateArray())
        {
            var id = item.GetProperty("id").GetString() ?? "";
            var status = item.TryGetProperty("status", out var s) ? s.GetInt32() : 500;
            TimeSpan? retryAfter = item.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object
                && headers.EnumerateObject().FirstOrDefault(h => h.NameEquals("Retry-After") || h.Name.Equals("retry-after", StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.String or JsonValueKind.Number } header
                && double.TryParse(header.Value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : null;
            yield return (id, status, item.TryGetProperty("body", out var body) ? body.Clone() : null, retryAfter);
        }
    }
}
