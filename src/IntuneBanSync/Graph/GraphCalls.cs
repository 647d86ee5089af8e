using System.Runtime.CompilerServices;
using Microsoft.Kiota.Abstractions;

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
}
