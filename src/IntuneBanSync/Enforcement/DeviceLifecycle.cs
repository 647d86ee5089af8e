namespace IntuneBanSync.Enforcement;

/// <summary>
/// The state of one (ban, device), derived from the previous state, this sweep's observation and decision, what the mechanisms
/// reached, and the clock. Pure. A device this sweep could not verify keeps its state. A state that does not change comes back
/// as the previous one itself, so it is not written again: <see cref="DeviceBanState.LastSeen"/> and
/// <see cref="DeviceBanState.LastRunId"/> move only with a change (the latest sweep's findings say whether a device is still seen).
/// </summary>
public static class DeviceLifecycle
{
    public const string UserInstalled =
        "still present after the device checked in: uninstall removes only apps Intune installed, and no other route reached this copy";

    private static readonly HashSet<LifecycleState> Active =
        [LifecycleState.Detected, LifecycleState.Grace, LifecycleState.Enforcing, LifecycleState.Failed, LifecycleState.Unenforceable];

    /// <param name="reaches">What each mechanism did for the device this sweep (empty when enforcement did not run).</param>
    /// <param name="absenceProven">The inventory of the device's platform was read completely, so "not seen" means gone.</param>
    public static DeviceBanState? Next(
        DeviceBanState? previous, BanObservation observation, IReadOnlyList<DeviceReach> reaches, bool absenceProven, string runId, DateTimeOffset now)
    {
        var seen = observation.Apps.Count > 0;
        if (previous is null && !seen && reaches.Count == 0)
            return null;

        var next = Decide(previous, observation, reaches, absenceProven, runId, now);
        if (next is null || next == previous)
            return next is null ? null : previous;
        return next with { LastSeen = seen ? now : next.LastSeen, LastRunId = runId };
    }

    private static DeviceBanState? Decide(
        DeviceBanState? previous, BanObservation observation, IReadOnlyList<DeviceReach> reaches, bool absenceProven, string runId, DateTimeOffset now)
    {
        var decision = observation.Decision;
        var seen = observation.Apps.Count > 0;
        var state = (previous ?? new DeviceBanState(decision.BanId, observation.Device.Id, now, now, decision.Kind, runId)) with
        {
            LastDecision = decision.Kind,
            EntraObjectId = reaches.Select(r => r.EntraObjectId).FirstOrDefault(id => id is not null) ?? previous?.EntraObjectId,
            UserId = observation.Device.UserId,
            DeviceName = observation.Device.DeviceName,
            Reaches = Merge(previous?.Reaches, reaches),
            DeviceClass = WireName.Of(observation.Class),
        };

        switch (decision.Kind)
        {
            case DecisionKind.Grace:
                return state with { State = LifecycleState.Grace, StateReason = decision.Text };
            case DecisionKind.Offending:
                return Offending(state, previous, observation, reaches, now);
            case DecisionKind.Exempt:
                return state with { State = LifecycleState.Exempt, StateReason = decision.Text, Route = null };
            case DecisionKind.OutOfScope or DecisionKind.BanNotActive or DecisionKind.Advised:
                var released = reaches.Any(r => r.Reach == Reach.Released);
                return state with
                {
                    State = released ? LifecycleState.Released
                        : decision.Kind switch { DecisionKind.OutOfScope => LifecycleState.OutOfScope, DecisionKind.Advised => LifecycleState.Advised, _ => LifecycleState.BanInactive },
                    StateReason = decision.Text,
                };
            case DecisionKind.Clean:
                if (previous?.State is { } was && Active.Contains(was))
                    return state with { State = LifecycleState.Resolved, StateReason = "not detected since", ResolvedAt = now };
                return Guarding(previous, state, reaches) ?? (previous is null ? null : state);
            default:
                // Unverified: only an absence the inventory proves resolves a device; anything else keeps its state.
                if (!seen && absenceProven && previous?.State is { } before && Active.Contains(before))
                    return state with { State = LifecycleState.Resolved, StateReason = "not detected since", ResolvedAt = now };
                return Guarding(previous, state, reaches) ?? (reaches.Count > 0 && previous is not null ? previous with { Reaches = state.Reaches } : previous);
        }
    }

    /// <summary>
    /// A device no copy was seen on that a route reaches anyway, by its class (a personal profile's block list): guarded,
    /// never "clean" and never counted as enforced.
    /// </summary>
    private static DeviceBanState? Guarding(DeviceBanState? previous, DeviceBanState state, IReadOnlyList<DeviceReach> reaches)
    {
        if (reaches.Count == 0 || (previous is not null && previous.State != LifecycleState.Guarded))
            return null;
        var routes = string.Join("; ", reaches.Select(r => r.Route));
        return state with { State = LifecycleState.Guarded, StateReason = "no copy seen; applied where the inventory cannot see: " + routes, Route = routes };
    }

    /// <summary>
    /// What each mechanism reached at the last sweep it acted: this sweep's answers replace that mechanism's earlier ones. A route
    /// that still reaches the device as it did, not newly, keeps the earlier answer and its reason ("added to the uninstall
    /// group", "notice sent in fr"): the sweep after an enforcement finds the device already reached, which is no change to write.
    /// </summary>
    private static ValueList<RouteReach>? Merge(ValueList<RouteReach>? earlier, IReadOnlyList<DeviceReach> now)
    {
        if (now.Count == 0)
            return earlier;
        var before = earlier ?? new ValueList<RouteReach>([]);
        var acted = now.Select(r => r.Mechanism).ToHashSet();
        return new([.. before.Where(r => !acted.Contains(r.Mechanism)), .. now.Select(r => Kept(before, r) ?? new RouteReach(r.Mechanism, r.Route, r.Reach, r.Reason))]);
    }

    private static RouteReach? Kept(IEnumerable<RouteReach> earlier, DeviceReach now) =>
        now.Newly ? null : earlier.FirstOrDefault(e => e.Reached && e.Mechanism == now.Mechanism && e.Route == now.Route && e.Reach == now.Reach);

    private static DeviceBanState Offending(
        DeviceBanState state, DeviceBanState? previous, BanObservation observation, IReadOnlyList<DeviceReach> reaches, DateTimeOffset now)
    {
        var enforcedAt = previous?.State == LifecycleState.Enforcing ? previous.EnforcedAt : null;
        var reaching = reaches.Where(r => r.Reach is Reach.Assigned or Reach.LaunchBlocked or Reach.Noncompliant or Reach.Removed).ToList();
        var routes = reaches.Count == 0 ? null : string.Join("; ", reaches.Select(r => r.Route));
        DeviceBanState next;
        if (reaching.Count > 0)
        {
            next = reaching.Any(r => r.Newly)
                ? state with { State = LifecycleState.Enforcing, EnforcedAt = now, StateReason = reaching.First(r => r.Newly).Reason ?? observation.Decision.Text, Route = routes }
                : state with { State = LifecycleState.Enforcing, EnforcedAt = enforcedAt ?? now, Route = routes };
        }
        else if (reaches.FirstOrDefault(r => r.Reach == Reach.Failed) is { } failed)
        {
            next = state with { State = LifecycleState.Failed, StateReason = failed.Reason, Route = routes };
        }
        else if (reaches.FirstOrDefault(r => r.Reach == Reach.Unreachable) is { } unreachable)
        {
            next = state with { State = LifecycleState.Unenforceable, StateReason = unreachable.Reason, Route = routes };
        }
        else
        {
            next = state with { State = enforcedAt is null ? LifecycleState.Detected : LifecycleState.Enforcing, StateReason = observation.Decision.Text };
        }

        // The device checked in after we enforced and still shows the app: the uninstall cannot reach this copy.
        var app = observation.Apps.FirstOrDefault();
        if (next.State == LifecycleState.Enforcing && next.EnforcedAt is { } at && observation.Device.LastSyncDateTime > at && app is not null
            && previous?.State == LifecycleState.Enforcing && reaching.All(r => r.Reach == Reach.Assigned))
            return next with { StateReason = UserInstalled, Route = "none (user-installed: uninstall cannot remove it)" };
        return next;
    }
}
