namespace IntuneBanSync.IntegrationTests.Sweeps;

/// <summary>
/// The Graph client's last handler: records every write that reached the tenant, and can "crash" the process right after
/// the k-th one answered (the engine sees a cancellation, as when its host dies, and journals nothing more).
/// </summary>
internal sealed class WriteRecorder(int? crashAfter) : DelegatingHandler(new HttpClientHandler())
{
    public int? CrashAfter { get; set; } = crashAfter;

    public List<string> Writes { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method == HttpMethod.Get || !response.IsSuccessStatusCode || IsReadingBatch(request, body))
            return response;

        lock (Writes)
            Writes.Add($"{request.Method} {request.RequestUri!.AbsolutePath} {body}");
        if (Writes.Count == CrashAfter)
            throw new OperationCanceledException($"crash injected after write {CrashAfter}");
        return response;
    }

    /// <summary>A $batch of GETs (the users a report reads) is a POST that writes nothing.</summary>
    private static bool IsReadingBatch(HttpRequestMessage request, string body) =>
        request.RequestUri!.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal)
        && System.Text.Json.Nodes.JsonNode.Parse(body)?["requests"] is System.Text.Json.Nodes.JsonArray items
        && items.All(i => (string?)i?["method"] == "GET");
}
