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
        if (request.Method == HttpMethod.Get || !response.IsSuccessStatusCode)
            return response;

        lock (Writes)
            Writes.Add($"{request.Method} {request.RequestUri!.AbsolutePath} {body}");
        if (Writes.Count == CrashAfter)
            throw new OperationCanceledException($"crash injected after write {CrashAfter}");
        return response;
    }
}
