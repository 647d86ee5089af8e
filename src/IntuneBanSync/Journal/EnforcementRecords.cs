namespace IntuneBanSync.Journal;

/// <summary>Written before a write request is sent. <paramref name="WriteId"/> is unique and sorts in the order writes were planned.</summary>
/// <param name="Mechanism">The mechanism that planned the write; rows written before mechanisms existed belong to the uninstall assignment.</param>
public sealed record WriteIntent(
    string WriteId,
    string BanId,
    string? DeviceId,
    WriteAction Action,
    string Target,
    string RunId,
    DateTimeOffset At,
    MechanismName? Mechanism = null);

/// <summary>What a write came to.</summary>
public enum WriteResult
{
    Done,
    /// <summary>The tenant already was as the write would make it (a member already there, an assignment already gone).</summary>
    AlreadyDone,
    Failed,
    /// <summary>Reconciled after a crash: the tenant shows the write did not happen.</summary>
    NotApplied,
    /// <summary>Reconciled after a crash: the tenant cannot tell (a check-in request leaves no trace).</summary>
    Unknown,
}

/// <summary>Written after the request answered (or when a later sweep reconciles an intent whose outcome a crash lost).</summary>
public sealed record WriteOutcome(string WriteId, string BanId, WriteResult Result, string? Detail, DateTimeOffset At);

/// <summary>An intent with its outcome, if any.</summary>
public sealed record AuditEntry(WriteIntent Intent, WriteOutcome? Outcome);

/// <summary>What IntuneBanSync created in the tenant for one ban: only these are ever changed or removed by a mechanism or a wind-down.</summary>
public sealed record BanResources(
    [RowKey] string BanId,
    IReadOnlyList<CreatedResource> Resources,
    bool WoundDown = false)
{
    public static BanResources None(string banId) => new(banId, []);

    public IEnumerable<CreatedResource> Of(MechanismName mechanism) => Resources.Where(r => r.Mechanism == mechanism);

    public IEnumerable<CreatedResource> Live(MechanismName mechanism, ResourceKind kind) =>
        Of(mechanism).Where(r => r.Kind == kind && r.RetiredAt is null);

    public BanResources With(CreatedResource resource) =>
        this with { Resources = [.. Resources.Where(r => !r.SameAs(resource)), resource] };
}

/// <summary>
/// One tenant object IntuneBanSync created for a ban. <paramref name="ParentId"/> is the object it hangs on (an assignment's app);
/// <paramref name="Label"/> says which route or platform it serves; <paramref name="RetiredAt"/> is set once a wind-down took it
/// out of use (the object may stay, for the record).
/// </summary>
public sealed record CreatedResource(
    ResourceKind Kind,
    string GraphId,
    MechanismName Mechanism,
    DateTimeOffset CreatedAt,
    string? Label = null,
    string? ParentId = null,
    DateTimeOffset? RetiredAt = null)
{
    public bool SameAs(CreatedResource other) =>
        Kind == other.Kind && Mechanism == other.Mechanism && string.Equals(GraphId, other.GraphId, StringComparison.OrdinalIgnoreCase);
}
