using IntuneBanSync.Journal;
using IntuneBanSync.Planning;

namespace IntuneBanSync.Enforcement;

/// <summary>
/// The state of one (ban, device), derived from the previous state, this sweep's observation and decision, what
/// enforcement did, and the clock. Pure. A device this sweep could not verify keeps its state.
/// </summary>
public static class DeviceLifecycle
{
    public const string Detected = "detected";
    public const string Grace = "grace";
    public const string Enforcing = "enforcing";
    public const string Resolved = "resolved";
    public const string Exempt = "exempt";
    public const string Unenforceable = "unenforceable";
    public const string Failed = "failed";
    public const string OutOfScope = "out-of-scope";
    public const string Released = "released";
    public const string BanInactive = "ban-inactive";

    public const string UserInstalled =
        "still present after the device checked in: uninstall removes only apps Intune installed; use the restricted-apps compliance route (iOS) or a notification";

    private static readonly HashSet<string> Active = [Detected, Grace, Enforcing, Failed, Unenforceable];

    /// <param name="absenceProven">The inventory of the device's platform was read completely, so "not seen" means gone.</param>
    public static DeviceBanState? Next(
        DeviceBanState? previous, BanObservation observation, DeviceEnforcement? enforcement, bool absenceProven, string runId, DateTimeOffset now)
    {
        var decision = observation.Decision;
        var seen = observation.Apps.Count > 0;
        if (previous is null && !seen && enforcement is null)
            return null;

        var app = observation.Apps.FirstOrDefault();
        var state = (previous ?? new DeviceBanState(decision.BanId, observation.Device.Id, now, now, decision.Kind.ToString(), runId)) with
        {
            LastSeen = seen ? now : previous?.LastSeen ?? now,
            LastDecision = decision.Kind.ToString(),
            LastRunId = runId,
            EntraObjectId = enforcement?.EntraObjectId ?? previous?.EntraObjectId,
            UserId = observation.Device.UserId,
            DeviceName = observation.Device.DeviceName,
        };

        switch (decision.Kind)
        {
            case DecisionKind.Grace:
                return state with { State = Grace, StateReason = decision.Reason };
            case DecisionKind.Offending:
                return Offending(state, previous, observation, enforcement, app, now);
            case DecisionKind.Exempt:
                return state with { State = Exempt, StateReason = decision.Reason, Route = null };
            case DecisionKind.OutOfScope or DecisionKind.BanNotActive:
                var released = enforcement?.Outcome == EnforcementOutcome.Removed;
                return state with
                {
                    State = released ? Released : decision.Kind == DecisionKind.OutOfScope ? OutOfScope : BanInactive,
                    StateReason = decision.Reason,
                };
            case DecisionKind.Clean:
                return previous?.State is { } was && Active.Contains(was)
                    ? state with { State = Resolved, StateReason = "not detected since", ResolvedAt = now }
                    : previous is null ? null : state;
            default:
                // Unverified: only an absence the inventory proves resolves a device; anything else keeps its state.
                if (!seen && absenceProven && previous?.State is { } before && Active.Contains(before))
                    return state with { State = Resolved, StateReason = "not detected since", ResolvedAt = now };
                return previous;
        }
    }

    private static DeviceBanState Offending(
        DeviceBanState state, DeviceBanState? previous, BanObservation observation, DeviceEnforcement? enforcement,
        Graph.DetectedAppRecord? app, DateTimeOffset now)
    {
        var enforcedAt = previous?.State == Enforcing ? previous.EnforcedAt : null;
        var next = enforcement?.Outcome switch
        {
            EnforcementOutcome.Enforced => state with { State = Enforcing, EnforcedAt = now, StateReason = "added to the uninstall group", Route = $"uninstall ({enforcement.Route})" },
            EnforcementOutcome.AlreadyEnforced => state with { State = Enforcing, EnforcedAt = enforcedAt ?? now, Route = $"uninstall ({enforcement.Route})" },
            EnforcementOutcome.Unenforceable => state with { State = Unenforceable, StateReason = enforcement.Reason, Route = $"none ({enforcement.Route})" },
            EnforcementOutcome.Failed => state with { State = Failed, StateReason = enforcement.Reason, Route = $"uninstall ({enforcement.Route})" },
            _ => state with { State = enforcedAt is null ? Detected : Enforcing, StateReason = observation.Decision.Reason },
        };

        // The device checked in after we enforced and still shows the app: the uninstall cannot reach this copy.
        if (next.State == Enforcing && next.EnforcedAt is { } at && observation.Device.LastSyncDateTime > at && app is not null && previous?.State == Enforcing)
            return next with { StateReason = UserInstalled, Route = "none (user-installed: uninstall cannot remove it)" };
        return next;
    }
}
