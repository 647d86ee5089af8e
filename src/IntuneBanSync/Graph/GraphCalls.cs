namespace IntuneBanSync.Graph;

/// <summary>How every Graph call of ours pages and fails: one place for both the inventory reads and enforcement.</summary>
internal static class GraphCalls
{
    /// <summary>Follows @odata.nextLink; a page that fails after the SDK's retries ends the enumeration with <see cref="GraphReadException"/>.</summary>
    public static async IAsyncEnumerable<TRecord> PagesAsync<TPage, TItem, TRecord>(
        string what,
        Func<Task<TPage?>> first,
        Func<string, Task<TPage?>> next,
        Func<TPage?, (List<TItem>? Items, string? NextLink)> read,
        Func<TItem, TRecord> map,
        [EnumeratorCancellation] CancellationToken ct)
        where TPage : class
    {
        var page = await ReadAsync(what, first, ct);
        while (true)
        {
            var (items, nextLink) = read(page);
            foreach (var item in items ?? [])
                yield return map(item);
            if (string.IsNullOrEmpty(nextLink))
                yield break;
            page = await ReadAsync(what, () => next(nextLink), ct);
        }
    }

    public static async Task<T?> ReadAsync<T>(string what, Func<Task<T?>> read, CancellationToken ct)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (IsFailure(e, ct))
        {
            throw new GraphReadException(what, e);
        }
    }

    // Exhausted retries surface as an AggregateException of the attempts' exceptions (an attempt that timed out is a 504
    // among them); a write that timed out and a request refused for its host are HttpRequestExceptions. Only HttpClient's
    // own timeout counts as a failure among cancellations: the caller's cancellation propagates.
    public static bool IsFailure(Exception e, CancellationToken ct) =>
        e is ApiException or HttpRequestException or AggregateException
        || (e is TaskCanceledException { InnerException: TimeoutException } && !ct.IsCancellationRequested);

    public static async Task<IReadOnlyList<TRecord>> ReadAllAsync<TPage, TItem, TRecord>(
        string what,
        Func<Task<TPage?>> first,
        Func<string, Task<TPage?>> next,
        Func<TPage?, (List<TItem>? Items, string? NextLink)> read,
        Func<TItem, TRecord> map,
        CancellationToken ct)
        where TPage : class =>
        await PagesAsync(what, first, next, read, map, ct).ToListAsync(ct);

    /// <summary>A write the service refuses (after the SDK's retries) throws <see cref="Enforcement.GraphWriteException"/> with its status.</summary>
    public static async Task<T?> WriteAsync<T>(string what, Func<Task<T?>> write, CancellationToken ct)
    {
        try
        {
            return await write();
        }
        catch (Exception e) when (IsFailure(e, ct))
        {
            throw new Enforcement.GraphWriteException(what, StatusOf(e), e);
        }
    }

    public static int? StatusOf(Exception e) => GraphReadException.StatusOf(e);

    public static string Detail(Exception e) => e switch
    {
        Microsoft.Graph.Models.ODataErrors.ODataError { Error.Message: { Length: > 0 } message } odata => $"HTTP {odata.ResponseStatusCode}: {message}",
        ApiException api => $"HTTP {api.ResponseStatusCode}: {api.Message}",
        AggregateException { InnerExceptions: [.., var last] } => Detail(last),
        _ => e.Message,
    };
}
