namespace IntuneBanSync.Graph;

/// <summary>One POST action on one object (syncDevice, initiateOnDemandProactiveRemediation, sendCustomNotificationToCompanyPortal), answered by its key.</summary>
public sealed record GraphAction(string Key, string RelativeUrl, JsonNode? Body = null);

/// <summary>How Graph answered one action: a 2xx is done; otherwise the status (0: no answer) and the service's message.</summary>
public sealed record ActionAnswer(int Status, string? Detail = null)
{
    public bool Done => Status is >= 200 and < 300;

    public static ActionAnswer None { get; } = new(0, "no answer");
}

/// <summary>
/// Per-device actions sent 20 to a <c>$batch</c> instead of one request each: the pacing handler still counts every inner
/// request as a write of its bucket, so the devices bucket (200 writes per 20 s) fills without a round trip per device.
/// Inner 429s are retried by <see cref="GraphBatch"/> within three throttling windows; a longer Retry-After (a device's hourly
/// notification limit) is answered 429 at once. A batch that fails as a whole answers each of its actions with that failure.
/// </summary>
public sealed class GraphActions(GraphJson graph)
{
    // A batch of writes never costs more than the smallest write bucket admits in a window, or pacing could not keep it under.
    private readonly GraphBatch _batch = new(
        graph, TimeSpan.FromSeconds(3 * graph.Options.PacingWindowSeconds),
        Math.Min(graph.Options.IntuneDevicesWritesPerWindow, Math.Min(graph.Options.IntuneAppsWritesPerWindow, graph.Options.DirectoryWritesPerWindow)));

    public async Task<IReadOnlyDictionary<string, ActionAnswer>> PostEachAsync(string what, GraphVersion version, IReadOnlyList<GraphAction> actions, CancellationToken ct)
    {
        if (actions.Count == 0)
            return new Dictionary<string, ActionAnswer>();
        var items = actions.Select(a => new BatchItem(a.Key, "POST", a.RelativeUrl, a.Body)).ToList();
        try
        {
            var answers = await _batch.SendAsync(what, version == GraphVersion.Beta ? graph.Beta : graph.V1, items, ct);
            return actions.ToDictionary(
                a => a.Key,
                a => answers.GetValueOrDefault(a.Key) is { } answer ? new ActionAnswer(answer.Status, answer.Status is >= 200 and < 300 ? null : ErrorMessage(answer)) : ActionAnswer.None,
                StringComparer.Ordinal);
        }
        catch (GraphReadException e)
        {
            var failed = new ActionAnswer(e.Status ?? 0, e.Message);
            return actions.ToDictionary(a => a.Key, _ => failed, StringComparer.Ordinal);
        }
    }

    private static string ErrorMessage(BatchAnswer answer) =>
        answer.Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
            ? $"HTTP {answer.Status}: {message.GetString()}"
            : $"HTTP {answer.Status}";
}

/// <summary>Which of Graph's version roots a request goes to.</summary>
public enum GraphVersion { V1, Beta }
