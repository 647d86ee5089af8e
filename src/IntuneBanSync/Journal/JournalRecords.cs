namespace IntuneBanSync.Journal;

/// <summary>
/// Held: a safety guard (blast radius) stopped a ban from enforcing; everything was read. Queued: accepted, waiting on the
/// queue. Locked: not run, because another sweep of the tenant held its lock.
/// </summary>
public enum SweepStatus { Running, Completed, Incomplete, Failed, Held, Queued, Locked }

/// <summary>One sweep of one tenant.</summary>
public sealed record SweepRun(
    string RunId,
    string Tenant,
    string Trigger,
    string Mode,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    SweepStatus Status,
    SweepCounts Counts,
    string? SummaryJson = null,
    string? Error = null);

public sealed record SweepCounts(
    int DevicesEvaluated,
    int OffendingDevices,
    int AffectedPeople,
    int ExemptDevices,
    int OutOfScopeDevices,
    int GraceDevices,
    int UnverifiedDevices)
{
    public static SweepCounts Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);
}

/// <summary>What a run concluded about one (ban, device), with what was seen.</summary>
public sealed record Finding(
    string BanId,
    string DeviceId,
    string Decision,
    string Reason,
    string? AppName,
    string? AppVersion,
    string Platform,
    string Ownership,
    string? UserId,
    string? DeviceName,
    string? UserPrincipalName);

/// <summary>What the journal knows of one (ban, device) across runs.</summary>
/// <param name="State">The lifecycle: detected, grace, enforcing, resolved, exempt, unenforceable, failed (null before enforcement existed).</param>
/// <param name="EntraObjectId">The device's Entra object id once looked up, so later sweeps need not ask again.</param>
/// <param name="Route">How enforcement reaches the device, e.g. "uninstall:iosStoreApp" or "none: user-installed".</param>
public sealed record DeviceBanState(
    string BanId,
    string DeviceId,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    string LastDecision,
    string? LastRunId,
    string? State = null,
    string? StateReason = null,
    DateTimeOffset? EnforcedAt = null,
    DateTimeOffset? ResolvedAt = null,
    string? EntraObjectId = null,
    string? Route = null,
    string? UserId = null,
    string? DeviceName = null);
