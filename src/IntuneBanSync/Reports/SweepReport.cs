namespace IntuneBanSync.Reports;

/// <summary>What a sweep found. Serialized as the CLI's --json output and the HTTP function's answer.</summary>
public sealed record SweepReport(
    string RunId,
    string Tenant,
    string Trigger,
    EnforcementMode Mode,
    SweepStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    DateTimeOffset AsOf,
    int DevicesEvaluated,
    int OffendingDevices,
    int AffectedPeople,
    int ExemptDevices,
    int OutOfScopeDevices,
    int GraceDevices,
    int UnverifiedDevices,
    int CleanDevices,
    int BanNotActiveDevices,
    IReadOnlyList<BreakdownRow> ByPlatformAndOwnership,
    IReadOnlyList<BanReport> Bans,
    IReadOnlyList<WriteRecord> Writes,
    IReadOnlyList<string> Problems)
{
    /// <summary>What enforcement did and where each ban's devices stand, over all bans.</summary>
    public EnforcementTotals Enforcement { get; init; } = EnforcementTotals.None;

    /// <summary>The people affected: distinct users of devices with a banned app seen in a ban's scope, before and past its deadline.</summary>
    public PeopleReport People { get; init; } = PeopleReport.None;

    /// <summary>The self-check of the app's permissions against the manifest; null when it was not made (nothing enforced).</summary>
    public PermissionReport? Permissions { get; init; }

    /// <summary>Devices of advisory groups' members (advised, never enforced), counted once each.</summary>
    public int AdvisedDevices { get; init; }

    /// <summary>Devices whose user attested removing the app where the inventory cannot prove it: self-reported, never clean.</summary>
    public int AttestedDevices { get; init; }

    public SweepCounts Counts => new(DevicesEvaluated, OffendingDevices, AffectedPeople, ExemptDevices, OutOfScopeDevices, GraceDevices, UnverifiedDevices);
}

/// <summary>Devices of one platform and ownership, counted once each by their most pressing decision.</summary>
public sealed record BreakdownRow(
    string Platform,
    string Ownership,
    int Devices,
    int Offending,
    int Grace,
    int Exempt,
    int Unverified,
    int Clean,
    int OutOfScope,
    int BanNotActive)
{
    public int Advised { get; init; }

    public int Attested { get; init; }
}

/// <summary>One ban's advisory scope: devices advised, those with a banned app seen, and the distinct people using those.</summary>
public sealed record AdvisoryReport(int Devices, int WithApp, int People)
{
    public static AdvisoryReport None { get; } = new(0, 0, 0);
}

/// <summary>Devices (and their distinct people) counted as attested instead of unverified: the user said the app is gone.</summary>
public sealed record AttestedReport(int Devices, int People)
{
    public static AttestedReport None { get; } = new(0, 0);
}

public sealed record BanReport(
    string BanId,
    string Name,
    EnforcementMode Mode,
    bool Active,
    int Offending,
    int AffectedPeople,
    int Grace,
    int Exempt,
    int Unverified,
    int Clean,
    int OutOfScope,
    int BanNotActive,
    IReadOnlyList<BreakdownRow> ByPlatformAndOwnership,
    IReadOnlyDictionary<string, int> UnverifiedReasons,
    IReadOnlyDictionary<string, int> OutOfScopeReasons)
{
    public BanEnforcementReport? Enforcement { get; init; }

    public PeopleReport People { get; init; } = PeopleReport.None;

    public AdvisoryReport Advisory { get; init; } = AdvisoryReport.None;

    public AttestedReport Attested { get; init; } = AttestedReport.None;

    /// <summary>Per class of device: how many are in scope, offending, and what each route reached (DeviceClass names in kebab case).</summary>
    public IReadOnlyList<ClassReach> ByClass { get; init; } = [];
}

/// <summary>
/// One class of device of one ban: devices in scope, offending, the routes applied (route label → devices), and what they reached:
/// removed (resolved, or proven removed by a remediation), assigned an uninstall, launch-blocked, install-blocked, noncompliant,
/// pending (not checked in since), unreachable by reason.
/// </summary>
public sealed record ClassReach(string Class, int Devices, int Offending)
{
    public IReadOnlyDictionary<string, int> Routes { get; init; } = new SortedDictionary<string, int>();

    public int Removed { get; init; }

    public int Assigned { get; init; }

    public int LaunchBlocked { get; init; }

    public int InstallBlocked { get; init; }

    public int Noncompliant { get; init; }

    public int Pending { get; init; }

    /// <summary>Devices still carrying the app that no route reached, by reason.</summary>
    public IReadOnlyDictionary<string, int> Unreachable { get; init; } = new SortedDictionary<string, int>();
}

/// <summary>
/// One ban's enforcement: what this sweep did (newly enforced, removed) and the lifecycle of its devices from the journal
/// (enforcing, resolved, unenforceable by reason, failed, still present after check-in).
/// </summary>
public sealed record BanEnforcementReport(
    string? Held,
    string? Stopped,
    bool WoundDown,
    int DaysPastDeadline,
    int NewlyEnforced,
    int Removed,
    int Enforcing,
    int Resolved,
    int Failed,
    int NotRemovableByUninstall,
    IReadOnlyDictionary<string, int> UnenforceableReasons,
    IReadOnlyDictionary<string, int> Routes)
{
    /// <summary>What the mechanisms want the administrator to know of this ban (e.g. that noncompliance blocks nothing).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The Company Portal notifications of this sweep: reminders by step, notices, deferred by the hourly limit, told by the compliance e-mail instead.</summary>
    public Enforcement.Notifications.NotificationCounts Notifications { get; init; } = Enforcement.Notifications.NotificationCounts.None;
}

public sealed record EnforcementTotals(int NewlyEnforced, int Removed, int Enforcing, int Resolved, int Unenforceable, int Failed, int NotRemovableByUninstall)
{
    public static EnforcementTotals None { get; } = new(0, 0, 0, 0, 0, 0, 0);
}

/// <summary>One write sent to the tenant (none in report mode).</summary>
public sealed record WriteRecord(string BanId, string Action, string Target, string Result);

/// <summary>What the app's token grants against the manifest: what is missing (a mechanism stops for it) and what it holds beyond it.</summary>
public sealed record PermissionReport(bool Known, IReadOnlyList<string> Missing, IReadOnlyList<string> Superfluous)
{
    public static PermissionReport? Of(Graph.PermissionCheck check) =>
        check.Granted is null ? new PermissionReport(false, [], []) : new PermissionReport(true, [.. check.Missing.Select(p => p.Name)], check.Superfluous);
}

/// <summary>
/// Distinct people with a banned app seen on a device in scope: in all, before the uninstall deadline (grace) and past it, and by
/// platform, ownership and department (read from the user objects of these people only; "unknown" when they could not be read).
/// A person may count under several platforms; each is counted once in <see cref="Affected"/>.
/// </summary>
public sealed record PeopleReport(
    int Affected, int BeforeDeadline, int PastDeadline,
    IReadOnlyDictionary<string, int> ByPlatform, IReadOnlyDictionary<string, int> ByOwnership, IReadOnlyDictionary<string, int> ByDepartment)
{
    public static PeopleReport None { get; } = new(0, 0, 0, new Dictionary<string, int>(), new Dictionary<string, int>(), new Dictionary<string, int>());
}
