namespace IntuneBanSync.Enforcement;

/// <summary>
/// What IntuneBanSync created in the tenant for one ban, kept in the journal the moment it changes: a crash right after a create
/// still leaves the object on the list, so it is never orphaned and never mistaken for someone else's. Mechanisms running side by
/// side change it one at a time, so the row saved last holds every change.
/// </summary>
public sealed class ResourceLedger(JournalStore journal, string tenant, BanResources resources)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public BanResources Current { get; private set; } = resources;

    public IEnumerable<CreatedResource> Live(MechanismName mechanism, ResourceKind kind) => Current.Live(mechanism, kind);

    public bool Holds(MechanismName mechanism, ResourceKind kind, string graphId) =>
        Live(mechanism, kind).Any(r => string.Equals(r.GraphId, graphId, StringComparison.OrdinalIgnoreCase));

    public Task RecordAsync(CreatedResource resource, CancellationToken ct) =>
        ChangeAsync(current => current.Resources.Any(r => r.SameAs(resource) && r.RetiredAt is null) ? null : current.With(resource) with { WoundDown = false }, ct);

    public Task RetireAsync(CreatedResource resource, DateTimeOffset at, CancellationToken ct) =>
        ChangeAsync(current => current.With(resource with { RetiredAt = at }), ct);

    public Task MarkWoundDownAsync(bool woundDown, CancellationToken ct) =>
        ChangeAsync(current => current.WoundDown == woundDown ? null : current with { WoundDown = woundDown }, ct);

    /// <param name="change">The ledger after the change; null when there is nothing to change.</param>
    private async Task ChangeAsync(Func<BanResources, BanResources?> change, CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            if (change(Current) is not { } next)
                return;
            Current = next;
            await journal.SaveBanResourcesAsync(tenant, next, ct);
        }
        finally
        {
            _one.Release();
        }
    }
}
