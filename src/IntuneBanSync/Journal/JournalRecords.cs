using IntuneBanSync.BanList;
using IntuneBanSync.Planning;

namespace IntuneBanSync.Journal;

/// <summary>
/// Held: a safety guard (blast radius) stopped a ban from enforcing; everything was read. Queued: accepted, waiting on the
/// queue. Locked: not run, because another sweep of the tenant held its lock. Cancelled: stopped by its caller. Abandoned:
/// left running by a process that died (its lock expired, or a later sweep of the tenant took it).
/// </summary>
public enum SweepStatus { Running, Completed, Incomplete, Failed, Held, Queued, Locked, Cancelled, Abandoned }

/// <summary>One sweep of one tenant.</summary>
public sealed record SweepRun(
    [RowKey] string RunId,
    [PartitionKey] string Tenant,
    string Trigger,
    EnforcementMode Mode,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    SweepStatus Status,
    [Flatten] SweepCounts Counts,
    [Text(TableText.MaxLongText, TextOverflow.Summary)] string? SummaryJson = null,
    [Text(TableText.MaxLongText, TextOverflow.Cut)] string? Error = null);

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
    DecisionKind Decision,
    string Reason,
    string? AppName,
    string? AppVersion,
    string Platform,
    string Ownership,
    string? UserId,
    string? DeviceName,
    string? UserPrincipalName);

/// <summary>What the journal knows of one (ban, device) across runs.</summary>
/// <param name="State">The lifecycle (null for a device seen only before enforcement existed).</param>
/// <param name="EntraObjectId">The device's Entra object id once looked up, so later sweeps need not ask again.</param>
/// <param name="Route">How enforcement reaches the device, e.g. "uninstall (ios)" or "none (user-installed: …)".</param>
public sealed record DeviceBanState(
    string BanId,
    string DeviceId,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    DecisionKind LastDecision,
    string? LastRunId,
    LifecycleState? State = null,
    string? StateReason = null,
    DateTimeOffset? EnforcedAt = null,
    DateTimeOffset? ResolvedAt = null,
    string? EntraObjectId = null,
    string? Route = null,
    string? UserId = null,
    string? DeviceName = null);

/// <summary>Where one (ban, device) stands in enforcement, across sweeps.</summary>
public enum LifecycleState
{
    /// <summary>Offending, not (yet) reached by any mechanism.</summary>
    Detected,
    Grace,
    /// <summary>A mechanism reached it (in our uninstall group, …); waiting for the app to go.</summary>
    Enforcing,
    /// <summary>Not detected since enforcement, on an inventory that was read.</summary>
    Resolved,
    Exempt,
    /// <summary>No mechanism can reach it; the reason says why.</summary>
    Unenforceable,
    /// <summary>A write for it was refused; retried next sweep.</summary>
    Failed,
    OutOfScope,
    /// <summary>Taken out of what we applied to it (exempt, out of scope, or its ban ended).</summary>
    Released,
    BanInactive,
}
