using IntuneBanSync.Sweeps;

namespace IntuneBanSync.Enforcement;

/// <summary>
/// One way of acting on a tenant for a ban (an uninstall assignment, a compliance policy, a launch block, …). The engine asks
/// every registered mechanism, in order, to plan from the sweep's observations (pure), checks the plans against the ban's blast
/// radius, lets each reconcile the writes a crash left open, then applies, in order but for a mechanism that
/// <see cref="RunsBesideOthers"/>; it winds a mechanism down when its ban expired or left the list. A mechanism writes only through <see cref="MechanismContext.Log"/> and changes only what its
/// <see cref="MechanismContext.Resources"/> say it created.
/// </summary>
public interface IEnforcementMechanism
{
    MechanismName Name { get; }

    /// <summary>The Graph application permissions the mechanism's calls need; the engine stops it, naming them, when the token lacks one.</summary>
    IReadOnlyList<PermissionUse> Permissions { get; }

    /// <summary>Audit rows written before mechanisms were named belong to the mechanism that says so (the uninstall assignment).</summary>
    bool OwnsUnnamedWrites => false;

    /// <summary>
    /// Every object the mechanism writes in the tenant is its own (no other mechanism reads or writes it), so it may run beside the
    /// others instead of before them. The policy mechanisms share the ban's exemption group and assignment filters: they do not.
    /// </summary>
    bool RunsBesideOthers => false;

    /// <summary>
    /// What the mechanism would do for this ban in this sweep, from what the sweep saw and what the journal knew: the devices it
    /// targets and, among them, those it would newly reach (the blast radius counts those). No I/O.
    /// </summary>
    MechanismPlan Plan(BanSweep ban);

    /// <summary>Reads the tenant, then makes it match the plan through the write log. A read that fails throws <see cref="Graph.GraphReadException"/>.</summary>
    Task<MechanismResult> ApplyAsync(MechanismPlan plan, MechanismContext context, CancellationToken ct);

    /// <summary>Outcomes, read from the tenant, for this mechanism's writes whose outcome a crash lost.</summary>
    Task<IReadOnlyList<ReconciledWrite>> ReconcileAsync(IReadOnlyList<WriteIntent> open, MechanismContext context, CancellationToken ct);

    /// <summary>The ban expired or left the list: undo what the mechanism applied, touching only what the journal says it created.</summary>
    Task<MechanismResult> WindDownAsync(MechanismContext context, CancellationToken ct);
}

/// <summary>What a mechanism plans for a ban: the devices it targets and those it would reach for the first time. Mechanisms extend it with what their apply needs.</summary>
public record MechanismPlan(MechanismName Mechanism, IReadOnlySet<string> Targets, IReadOnlySet<string> NewlyReached)
{
    public bool IsEmpty => Targets.Count == 0;
}

/// <summary>Everything a mechanism may use while it acts for one ban.</summary>
/// <param name="Ban">Null when the ban left the list and is being wound down.</param>
public sealed record MechanismContext(
    string BanId,
    Ban? Ban,
    BanSweep? Sweep,
    AuditView Audit,
    WriteLog Log,
    ResourceLedger Resources,
    SweepTrace Trace,
    TimeProvider Time);

/// <summary>An open intent's outcome found out by reading the tenant.</summary>
public sealed record ReconciledWrite(WriteIntent Intent, WriteResult Result, string Detail);

/// <summary>Why a mechanism stopped for a ban in this sweep (the rest of the sweep goes on).</summary>
public enum StopReason
{
    /// <summary>A read failed: nothing is known, so nothing was changed.</summary>
    ReadFailed,

    /// <summary>Something we did not create sits where we would write (another intent on our group); we never change it.</summary>
    ForeignObject,

    /// <summary>The app lacks a Graph permission this mechanism needs.</summary>
    PermissionMissing,
}

public sealed record MechanismStop(StopReason Reason, string Detail);

/// <summary>What happened to one device: by which mechanism and route, and what it reached.</summary>
/// <param name="Newly">This sweep's write reached the device (as opposed to finding it already reached).</param>
public sealed record DeviceReach(
    MechanismName Mechanism, Reach Reach, string Route, bool Newly = false, string? Reason = null, string? EntraObjectId = null);

/// <summary>One mechanism's work for one ban in one sweep.</summary>
/// <param name="Notes">What the administrator should know of the mechanism's work for the ban (e.g. "no Conditional Access policy requires a compliant device").</param>
public sealed record MechanismResult(
    MechanismName Mechanism, IReadOnlyDictionary<string, DeviceReach> Devices, MechanismStop? Stop = null, bool WoundDown = false, IReadOnlyList<string>? Notes = null)
{
    public static MechanismResult Nothing(MechanismName mechanism) => new(mechanism, new Dictionary<string, DeviceReach>());

    public static MechanismResult Stopped(MechanismName mechanism, StopReason reason, string detail, IReadOnlyDictionary<string, DeviceReach>? devices = null) =>
        new(mechanism, devices ?? new Dictionary<string, DeviceReach>(), new MechanismStop(reason, detail));
}
