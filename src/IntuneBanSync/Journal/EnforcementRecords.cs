namespace IntuneBanSync.Journal;

/// <summary>Written before a write request is sent. <paramref name="WriteId"/> is unique and sorts in the order writes were planned.</summary>
public sealed record WriteIntent(
    string WriteId,
    string BanId,
    string? DeviceId,
    string Action,
    string Target,
    string RunId,
    DateTimeOffset At);

/// <summary>Written after the request answered (or when a later sweep reconciles an intent whose outcome a crash lost).</summary>
public sealed record WriteOutcome(string WriteId, string BanId, string Result, string? Detail, DateTimeOffset At);

/// <summary>An intent with its outcome, if any.</summary>
public sealed record AuditEntry(WriteIntent Intent, WriteOutcome? Outcome);

/// <summary>What IntuneBanSync created in the tenant for one ban: only these are ever removed in a wind-down.</summary>
public sealed record BanResources(
    string BanId,
    string GroupName,
    string? GroupId,
    bool GroupCreatedByUs,
    IReadOnlyList<BanAppResource> Apps,
    bool WoundDown = false);

/// <summary>The catalog app used for one platform route, and the uninstall assignment we added to it.</summary>
public sealed record BanAppResource(
    string Route,
    string AppId,
    bool AppCreatedByUs,
    string? AssignmentId,
    bool AssignmentCreatedByUs);
