namespace IntuneBanSync.Graph;

/// <summary>Independent reads (the devices of each matched app, each group's members, each user's groups) a few at a time.</summary>
public static class ConcurrentReads
{
    /// <summary>
    /// Each item's read, <see cref="IIntuneGraph.ReadConcurrency"/> in flight at once, answered in the items' order, so what is merged
    /// from them is the same as when read one by one. <paramref name="done"/> hears how many have finished after each.
    /// </summary>
    public static async Task<TResult[]> ReadEachAsync<TItem, TResult>(
        this IIntuneGraph graph, IReadOnlyList<TItem> items, Func<TItem, CancellationToken, Task<TResult>> read, CancellationToken ct, Action<int>? done = null)
    {
        var results = new TResult[items.Count];
        var finished = 0;
        await Parallel.ForAsync(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, graph.ReadConcurrency), CancellationToken = ct }, async (i, token) =>
        {
            results[i] = await read(items[i], token);
            done?.Invoke(Interlocked.Increment(ref finished));
        });
        return results;
    }
}
