namespace IntuneBanSync.Journal;

/// <summary>
/// A run's findings as they stream in, written a full transaction at a time: once <paramref name="flushSize"/> are buffered, every
/// partition's complete hundreds go out together (partitions in parallel) and the remainders wait, so a pass over the tenant
/// costs ⌈rows / 100⌉ transactions per partition. <see cref="FlushAsync"/> writes what is left. Holds at most flushSize plus 99
/// rows per partition.
/// </summary>
public sealed class FindingsWriter(JournalStore journal, string tenant, string runId, int flushSize)
{
    private readonly Dictionary<string, List<Finding>> _pending = new(StringComparer.Ordinal);
    private int _count;

    public async Task AddAsync(Finding finding, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var partition = JournalKeys.FindingsPartition(tenant, runId, finding.DeviceId);
        if (!_pending.TryGetValue(partition, out var rows))
            _pending[partition] = rows = [];
        rows.Add(finding);
        if (++_count >= flushSize)
            await WriteAsync(fullOnly: true, ct);
    }

    public Task FlushAsync(CancellationToken ct) => WriteAsync(fullOnly: false, ct);

    private async Task WriteAsync(bool fullOnly, CancellationToken ct)
    {
        var batch = new List<Finding>();
        foreach (var rows in _pending.Values)
        {
            var take = fullOnly ? rows.Count / JournalStore.MaxTransactionSize * JournalStore.MaxTransactionSize : rows.Count;
            batch.AddRange(rows.Take(take));
            rows.RemoveRange(0, take);
        }

        _count -= batch.Count;
        if (batch.Count > 0)
            await journal.AppendFindingsAsync(tenant, runId, batch, ct);
    }
}
