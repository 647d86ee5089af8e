namespace IntuneBanSync.Tests.Enforcement;

/// <summary>
/// One (ban, device) of the TikTok ban as a sweep at <see cref="Now"/> sees it. The device last checked in a day before
/// <see cref="Now"/>, so an enforcement <see cref="BeforeCheckIn"/> has been seen by it and one <see cref="AfterCheckIn"/> has not.
/// </summary>
internal static class Lifecycle
{
    public const string RunId = "20230325T120000Z-abcdef";
    public const string EntraObjectId = "0e000000-0000-4000-8000-000000000001";

    public static readonly DateTimeOffset Now = Fleet.TenDaysLate;
    public static readonly DateTimeOffset BeforeCheckIn = Now.AddDays(-2);
    public static readonly DateTimeOffset AfterCheckIn = Now.AddHours(-12);
    public static readonly DateTimeOffset LastSeenEarlier = Now.AddDays(-3);

    public static Decision Decided(DecisionKind kind) => new("tiktok", Fleet.DeviceId, kind, DecisionReason.Detected, $"decided {kind}");

    public static BanObservation Seen(DecisionKind kind) => new(Fleet.Device(), Decided(kind), [Fleet.TikTok]);

    public static BanObservation NotSeen(DecisionKind kind) => new(Fleet.Device(), Decided(kind), []);

    public static DeviceBanState Was(LifecycleState state, DateTimeOffset? enforcedAt = null, string? entraObjectId = null) =>
        new("tiktok", Fleet.DeviceId, Fleet.UninstallBy, LastSeenEarlier, DecisionKind.Offending, "20230320T120000Z-012345",
            state, "earlier reason", enforcedAt, null, entraObjectId, "uninstall (ios)");

    /// <summary>What the uninstall assignment reports for the device, as it reports it.</summary>
    public static DeviceReach Did(Outcome outcome, string? entraObjectId = EntraObjectId) => outcome switch
    {
        Outcome.Enforced => new(UninstallAssignment.Id, Reach.Assigned, "uninstall (ios)", Newly: true, "added to the uninstall group", entraObjectId),
        Outcome.AlreadyEnforced => new(UninstallAssignment.Id, Reach.Assigned, "uninstall (ios)", EntraObjectId: entraObjectId),
        Outcome.Unenforceable => new(UninstallAssignment.Id, Reach.Unreachable, "none (ios)", Reason: $"because {outcome}"),
        Outcome.Failed => new(UninstallAssignment.Id, Reach.Failed, "uninstall (ios)", Reason: $"because {outcome}", EntraObjectId: entraObjectId),
        _ => new(UninstallAssignment.Id, Reach.Released, "released", Newly: true, "released", entraObjectId),
    };

    public static DeviceBanState? Next(
        DeviceBanState? previous, BanObservation observation, DeviceReach? reach = null, bool absenceProven = false) =>
        DeviceLifecycle.Next(previous, observation, reach is null ? [] : [reach], absenceProven, RunId, Now);

    public enum Outcome { Enforced, AlreadyEnforced, Unenforceable, Failed, Removed }
}
