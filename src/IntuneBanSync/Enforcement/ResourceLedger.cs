namespace IntuneBanSync.Enforcement;

/// <summary>
/// What IntuneBanSync created in the tenant for one ban, kept in the journal the moment it changes: a crash right after a create
/// still leaves the object on the list, so it is never orphaned and never mistaken for someone else's.
/// </summary>
public sealed class ResourceLedger(JournalStore journal, string tenant, BanResources resources)
{
    public BanResources Current { get; private set; } = resources;

    public IEnumerable<CreatedResource> Live(MechanismName mechanism, ResourceKind kind) => Current.Live(mechanism, kind);

    public bool Holds(MechanismName mechanism, ResourceKind kind, string graphId) =>
        Live(mechanism, kind).Any(r => string.Equals(r.GraphId, graphId, StringComparison.OrdinalIgnoreCase));

    public async Task RecordAsync(CreatedResource resource, CancellationToken ct)
    {
        if (Current.Resources.Any(r => r.SameAs(resource) && r.RetiredAt is null))
            return;
        Current = Current.With(resource) with { WoundDown = false };
        await journal.SaveBanResourcesAsync(tenant, Current, ct);
    }

    public async Task RetireAsync(CreatedResource resource, DateTimeOffset at, CancellationToken ct)
    {
        Current = Current.With(resource with { RetiredAt = at });
        await journal.SaveBanResourcesAsync(tenant, Current, ct);
    }

    public async Task MarkWoundDownAsync(bool woundDown, CancellationToken ct)
    {
        if (Current.WoundDown == woundDown)
            return;
        Current = Current with { WoundDown = woundDown };
        await journal.SaveBanResourcesAsync(tenant, Current, ct);
    }
}
