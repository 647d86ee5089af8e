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

/// <summary>The tenant's latest sweep that saved device states; a device listed in its findings was still seen then.</summary>
public sealed record LatestSweep(string RunId, DateTimeOffset StartedAt);

/// <summary>What a run concluded about one (ban, device), with what was seen, the device's class and what each route reached.</summary>
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
    string? UserPrincipalName,
    string? DeviceClass = null,
    ValueList<RouteReach>? Routes = null);

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
    string? DeviceName = null,
    ValueList<RouteReach>? Reaches = null,
    string? DeviceClass = null)
{
    /// <summary>True when the mechanism reached the device (in our group, its app blocked, noncompliant, removed, …) at the last sweep it acted.</summary>
    public bool ReachedBy(MechanismName mechanism) => Reaches?.Any(r => r.Mechanism == mechanism && r.Reached) == true;
}

/// <summary>What one mechanism achieved on a device, as the journal keeps it: the route, what it reached, and why when it did not.</summary>
public sealed record RouteReach(MechanismName Mechanism, string Route, Reach Reach, string? Reason = null)
{
    public bool Reached => Reach is Reach.Assigned or Reach.Removed or Reach.LaunchBlocked or Reach.InstallBlocked or Reach.Noncompliant or Reach.Notified;
}

/// <summary>What a mechanism achieved on a device.</summary>
public enum Reach
{
    /// <summary>Under an uninstall assignment (in our group).</summary>
    Assigned,

    /// <summary>Proven removed by the mechanism itself (a remediation's run state).</summary>
    Removed,

    LaunchBlocked,

    /// <summary>Installing the app is blocked where the inventory cannot see (a company-owned device's personal profile).</summary>
    InstallBlocked,

    Noncompliant,

    Notified,

    /// <summary>No route of this mechanism reaches it; the reason says why.</summary>
    Unreachable,

    /// <summary>The write for it was refused; retried next sweep.</summary>
    Failed,

    /// <summary>Taken out of what we applied to it.</summary>
    Released,

    /// <summary>Targeted, but what it achieves is not known yet (the device has not checked in since).</summary>
    Pending,
}

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
    /// <summary>Taken out of what we applied to it (exempt, advised, out of scope, or its ban ended).</summary>
    Released,
    /// <summary>A member of an advisory group: reported and reminded, never enforced.</summary>
    Advised,
    BanInactive,

    /// <summary>No copy seen, but a route reaches where the inventory cannot see (a company-owned device's personal profile).</summary>
    Guarded,
}
