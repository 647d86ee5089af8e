namespace IntuneBanSync.Enforcement;

/// <summary>
/// The audits of the bans a sweep will enforce, read from the journal while its devices are decided instead of after. Nothing
/// writes to a ban's audit before that ban's enforcement, so the early read is the read its enforcement would make.
/// </summary>
public sealed class AuditReads(JournalStore journal, string tenant)
{
    private readonly Dictionary<string, Task<IReadOnlyList<AuditEntry>>> _reads = new(StringComparer.Ordinal);

    public void Start(IEnumerable<string> banIds, CancellationToken ct)
    {
        foreach (var banId in banIds)
        {
            if (_reads.ContainsKey(banId))
                continue;
            var read = journal.GetAuditAsync(tenant, banId, ct);
            // A read that is never asked for (the ban was held) must not fault unobserved.
            _ = read.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            _reads[banId] = read;
        }
    }

    /// <summary>The read started for the ban, once; a ban not started is read now.</summary>
    public Task<IReadOnlyList<AuditEntry>> OfAsync(string banId, CancellationToken ct) =>
        _reads.Remove(banId, out var read) ? read : journal.GetAuditAsync(tenant, banId, ct);
}
