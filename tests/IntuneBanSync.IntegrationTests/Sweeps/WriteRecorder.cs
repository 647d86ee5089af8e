namespace IntuneBanSync.IntegrationTests.Sweeps;

/// <summary>
/// The Graph client's last handler: records every write that reached the tenant, and can "crash" the process right after the k-th
/// one answered (of those <paramref name="counts"/> accepts, when given). The mechanism that sent it sees a cancellation, and so does
/// every other one through <see cref="Host"/>, as when the host dies: nothing more is sent or journaled.
/// </summary>
internal sealed class WriteRecorder(int? crashAfter, Func<string, bool>? counts = null) : DelegatingHandler(new HttpClientHandler())
{
    private int _counted;
    private int? _crashAfter = crashAfter;
    private CancellationTokenSource _host = new();

    /// <summary>Clearing it lets the next sweep run on a live host.</summary>
    public int? CrashAfter
    {
        get => _crashAfter;
        set
        {
            _crashAfter = value;
            if (value is null && _host.IsCancellationRequested)
            {
                _host.Dispose();
                _host = new CancellationTokenSource();
            }
        }
    }

    /// <summary>
    /// The uninstall assignment's writes. A crash counted among them lands at the same point of that mechanism whatever the policy
    /// mechanisms beside it had sent by then.
    /// </summary>
    public static bool UninstallWrite(string write) => write.Contains("androidManagedStoreAccountEnterpriseSettings", StringComparison.Ordinal)
        || write.Contains("/deviceAppManagement/mobileApps", StringComparison.Ordinal) || write.Contains("/v1.0/groups", StringComparison.Ordinal)
        || write.Contains("/syncDevice", StringComparison.Ordinal);

    /// <summary>The token to run the sweep under: cancelled by the crash.</summary>
    public CancellationToken Host => _host.Token;

    public List<string> Writes { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method == HttpMethod.Get || !response.IsSuccessStatusCode || IsReadingBatch(request, body))
            return response;

        var write = $"{request.Method} {request.RequestUri!.AbsolutePath} {body}";
        int counted;
        lock (Writes)
        {
            Writes.Add(write);
            counted = counts is null || counts(write) ? ++_counted : -1;
        }

        if (counted == CrashAfter)
        {
            await _host.CancelAsync();
            throw new OperationCanceledException($"crash injected after write {CrashAfter}");
        }

        return response;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _host.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>A $batch of GETs (the users a report reads) is a POST that writes nothing.</summary>
    private static bool IsReadingBatch(HttpRequestMessage request, string body) =>
        request.RequestUri!.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal)
        && System.Text.Json.Nodes.JsonNode.Parse(body)?["requests"] is System.Text.Json.Nodes.JsonArray items
        && items.All(i => (string?)i?["method"] == "GET");
}
