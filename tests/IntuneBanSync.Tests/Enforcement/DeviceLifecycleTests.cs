using static IntuneBanSync.Tests.Enforcement.Lifecycle;

namespace IntuneBanSync.Tests.Enforcement;

public sealed class DeviceLifecycleTests
{
    [Theory]
    [InlineData(DecisionKind.Clean)]
    [InlineData(DecisionKind.Unverified)]
    [InlineData(DecisionKind.OutOfScope)]
    [InlineData(DecisionKind.BanNotActive)]
    [InlineData(DecisionKind.Exempt)]
    public void Device_never_seen_and_never_known_gets_no_state(DecisionKind kind)
    {
        var observation = NotSeen(kind);

        var next = Next(null, observation, absenceProven: true);

        Assert.Null(next);
    }

    [Fact]
    public void First_sighting_before_the_deadline_starts_a_grace_state_seen_now()
    {
        var observation = Seen(DecisionKind.Grace);

        var next = Next(null, observation);

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Grace, "decided Grace"), (next.State, next.StateReason));
        Assert.Equal((Now, Now), (next.FirstSeen, next.LastSeen));
    }

    [Fact]
    public void Known_device_keeps_its_first_sighting_and_records_this_run_and_decision()
    {
        var previous = Was(LifecycleState.Grace);

        var next = Next(previous, Seen(DecisionKind.Offending));

        Assert.NotNull(next);
        Assert.Equal(previous.FirstSeen, next.FirstSeen);
        Assert.Equal((RunId, DecisionKind.Offending), (next.LastRunId, next.LastDecision));
    }

    [Theory]
    [InlineData(DecisionKind.Offending)]
    [InlineData(DecisionKind.Grace)]
    [InlineData(DecisionKind.Exempt)]
    public void Device_seen_again_with_nothing_changed_keeps_its_state_row_as_it_was(DecisionKind kind)
    {
        var previous = DeviceLifecycle.Next(null, Seen(kind), [], false, "20230324T120000Z-000001", Now.AddDays(-1))!;

        var next = Next(previous, Seen(kind));

        Assert.Same(previous, next);
    }

    [Fact]
    public void Enforced_device_reached_again_with_nothing_changed_keeps_its_state_row_as_it_was()
    {
        var enforced = DeviceLifecycle.Next(null, Seen(DecisionKind.Offending), [Did(Outcome.Enforced)], false, "20230323T120000Z-000001", Now.AddDays(-2));
        var previous = DeviceLifecycle.Next(enforced, Seen(DecisionKind.Offending), [Did(Outcome.AlreadyEnforced)], false, "20230324T120000Z-000002", Now.AddDays(-1))!;

        var next = Next(previous, Seen(DecisionKind.Offending), Did(Outcome.AlreadyEnforced));

        Assert.Same(previous, next);
    }

    [Fact]
    public void The_sweep_after_an_enforcement_finds_the_device_already_reached_and_writes_nothing()
    {
        var enforced = DeviceLifecycle.Next(null, Seen(DecisionKind.Offending), [Did(Outcome.Enforced)], false, "20230324T120000Z-000001", Now.AddDays(-1))!;

        var next = Next(enforced, Seen(DecisionKind.Offending), Did(Outcome.AlreadyEnforced));

        Assert.Same(enforced, next);
        Assert.Equal("added to the uninstall group", Assert.Single(next!.Reaches!).Reason);
    }

    [Fact]
    public void A_route_that_reaches_the_device_differently_replaces_what_it_reached_before()
    {
        var enforced = DeviceLifecycle.Next(null, Seen(DecisionKind.Offending), [Did(Outcome.Enforced)], false, "20230324T120000Z-000001", Now.AddDays(-1))!;

        var next = Next(enforced, Seen(DecisionKind.Offending), Did(Outcome.Failed));

        Assert.NotNull(next);
        var reach = Assert.Single(next.Reaches!);
        Assert.Equal((Reach.Failed, "because Failed"), (reach.Reach, reach.Reason));
    }

    [Fact]
    public void Device_whose_state_changes_records_this_run_and_when_it_was_seen()
    {
        var previous = DeviceLifecycle.Next(null, Seen(DecisionKind.Offending), [], false, "20230324T120000Z-000001", Now.AddDays(-1))!;

        var next = Next(previous, Seen(DecisionKind.Offending), Did(Outcome.Enforced));

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Enforcing, RunId, Now), (next.State, next.LastRunId, next.LastSeen));
    }

    [Fact]
    public void Device_not_seen_this_sweep_keeps_the_time_it_was_last_seen()
    {
        var previous = Was(LifecycleState.Enforcing, AfterCheckIn, EntraObjectId);

        var next = Next(previous, NotSeen(DecisionKind.OutOfScope));

        Assert.NotNull(next);
        Assert.Equal(LastSeenEarlier, next.LastSeen);
    }

    [Fact]
    public void Offending_device_without_enforcement_is_detected()
    {
        var observation = Seen(DecisionKind.Offending);

        var next = Next(null, observation);

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Detected, "decided Offending"), (next.State, next.StateReason));
        Assert.Null(next.EnforcedAt);
    }

    [Fact]
    public void Enforcing_device_in_report_mode_stays_enforcing_since_it_was_enforced()
    {
        var previous = Was(LifecycleState.Enforcing, AfterCheckIn, EntraObjectId);

        var next = Next(previous, Seen(DecisionKind.Offending));

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Enforcing, AfterCheckIn), (next.State, next.EnforcedAt));
    }

    [Theory]
    [InlineData(LifecycleState.Failed)]
    [InlineData(LifecycleState.Unenforceable)]
    [InlineData(LifecycleState.Grace)]
    public void Device_that_was_not_enforcing_is_detected_when_nothing_is_enforced(LifecycleState was)
    {
        var previous = Was(was);

        var next = Next(previous, Seen(DecisionKind.Offending));

        Assert.NotNull(next);
        Assert.Equal(LifecycleState.Detected, next.State);
    }

    [Fact]
    public void Enforced_device_is_enforcing_since_now_through_the_uninstall_route()
    {
        var previous = Was(LifecycleState.Detected);

        var next = Next(previous, Seen(DecisionKind.Offending), Did(Outcome.Enforced));

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Enforcing, Now), (next.State, next.EnforcedAt));
        Assert.Equal(("added to the uninstall group", "uninstall (ios)"), (next.StateReason, next.Route));
    }

    [Fact]
    public void Already_enforced_device_keeps_the_time_it_was_first_enforced()
    {
        var previous = Was(LifecycleState.Enforcing, AfterCheckIn, EntraObjectId);

        var next = Next(previous, Seen(DecisionKind.Offending), Did(Outcome.AlreadyEnforced));

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Enforcing, AfterCheckIn), (next.State, next.EnforcedAt));
    }

    [Fact]
    public void Device_found_already_in_the_group_but_not_known_as_enforcing_is_enforcing_since_now()
    {
        var previous = Was(LifecycleState.Failed, BeforeCheckIn);

        var next = Next(previous, Seen(DecisionKind.Offending), Did(Outcome.AlreadyEnforced));

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Enforcing, Now), (next.State, next.EnforcedAt));
    }

    [Fact]
    public void Enforced_device_that_checked_in_and_still_shows_the_app_is_not_removable_by_uninstall()
    {
        var previous = Was(LifecycleState.Enforcing, BeforeCheckIn, EntraObjectId);

        var next = Next(previous, Seen(DecisionKind.Offending), Did(Outcome.AlreadyEnforced));

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Enforcing, DeviceLifecycle.UserInstalled), (next.State, next.StateReason));
        Assert.Equal("none (user-installed: uninstall cannot remove it)", next.Route);
    }

    [Fact]
    public void Enforced_device_that_has_not_checked_in_since_still_waits_for_the_uninstall()
    {
        var previous = Was(LifecycleState.Enforcing, AfterCheckIn, EntraObjectId);

        var next = Next(previous, Seen(DecisionKind.Offending), Did(Outcome.AlreadyEnforced));

        Assert.NotNull(next);
        Assert.NotEqual(DeviceLifecycle.UserInstalled, next.StateReason);
        Assert.Equal("uninstall (ios)", next.Route);
    }

    [Fact]
    public void Device_first_known_as_enforcing_in_this_sweep_is_not_called_user_installed()
    {
        var previous = Was(LifecycleState.Detected, BeforeCheckIn);

        var next = Next(previous, Seen(DecisionKind.Offending), Did(Outcome.AlreadyEnforced));

        Assert.NotNull(next);
        Assert.NotEqual(DeviceLifecycle.UserInstalled, next.StateReason);
    }

    [Fact]
    public void Device_without_an_uninstall_route_is_unenforceable_with_the_reason()
    {
        var previous = Was(LifecycleState.Detected);

        var next = Next(previous, Seen(DecisionKind.Offending), Did(Outcome.Unenforceable));

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Unenforceable, "because Unenforceable"), (next.State, next.StateReason));
        Assert.Equal("none (ios)", next.Route);
    }

    [Fact]
    public void Device_whose_enforcement_failed_is_failed_with_the_reason()
    {
        var previous = Was(LifecycleState.Detected);

        var next = Next(previous, Seen(DecisionKind.Offending), Did(Outcome.Failed));

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Failed, "because Failed"), (next.State, next.StateReason));
    }

    [Fact]
    public void Exempt_device_is_exempt_with_no_route()
    {
        var previous = Was(LifecycleState.Enforcing, AfterCheckIn, EntraObjectId);

        var next = Next(previous, Seen(DecisionKind.Exempt));

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Exempt, "decided Exempt"), (next.State, next.StateReason));
        Assert.Null(next.Route);
    }

    [Theory]
    [InlineData(DecisionKind.OutOfScope, LifecycleState.OutOfScope)]
    [InlineData(DecisionKind.BanNotActive, LifecycleState.BanInactive)]
    public void Device_left_in_place_outside_the_ban_says_why(DecisionKind kind, LifecycleState expected)
    {
        var previous = Was(LifecycleState.Detected);

        var next = Next(previous, Seen(kind));

        Assert.NotNull(next);
        Assert.Equal((expected, $"decided {kind}"), (next.State, next.StateReason));
    }

    [Theory]
    [InlineData(DecisionKind.OutOfScope)]
    [InlineData(DecisionKind.BanNotActive)]
    public void Device_taken_out_of_the_uninstall_group_is_released(DecisionKind kind)
    {
        var previous = Was(LifecycleState.Enforcing, AfterCheckIn, EntraObjectId);

        var next = Next(previous, Seen(kind), Did(Outcome.Removed));

        Assert.NotNull(next);
        Assert.Equal(LifecycleState.Released, next.State);
    }

    [Theory]
    [InlineData(LifecycleState.Detected)]
    [InlineData(LifecycleState.Grace)]
    [InlineData(LifecycleState.Enforcing)]
    [InlineData(LifecycleState.Failed)]
    [InlineData(LifecycleState.Unenforceable)]
    public void Clean_device_after_an_active_state_is_resolved_now(LifecycleState was)
    {
        var previous = Was(was, AfterCheckIn);

        var next = Next(previous, NotSeen(DecisionKind.Clean));

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Resolved, "not detected since", Now), (next.State, next.StateReason, next.ResolvedAt));
    }

    [Fact]
    public void Clean_device_already_resolved_keeps_the_time_it_was_resolved()
    {
        var resolvedAt = Now.AddDays(-5);
        var previous = Was(LifecycleState.Resolved) with { ResolvedAt = resolvedAt };

        var next = Next(previous, NotSeen(DecisionKind.Clean));

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Resolved, resolvedAt), (next.State, next.ResolvedAt));
    }

    [Fact]
    public void Clean_device_that_was_exempt_stays_exempt()
    {
        var previous = Was(LifecycleState.Exempt);

        var next = Next(previous, NotSeen(DecisionKind.Clean));

        Assert.NotNull(next);
        Assert.Equal(LifecycleState.Exempt, next.State);
        Assert.Null(next.ResolvedAt);
    }

    [Fact]
    public void Unverified_enforcing_device_whose_absence_is_proven_is_resolved_now()
    {
        var previous = Was(LifecycleState.Enforcing, AfterCheckIn, EntraObjectId);

        var next = Next(previous, NotSeen(DecisionKind.Unverified), absenceProven: true);

        Assert.NotNull(next);
        Assert.Equal((LifecycleState.Resolved, Now), (next.State, next.ResolvedAt));
    }

    [Fact]
    public void Unverified_device_without_proof_of_absence_keeps_its_previous_state_unchanged()
    {
        var previous = Was(LifecycleState.Enforcing, AfterCheckIn, EntraObjectId);

        var next = Next(previous, NotSeen(DecisionKind.Unverified), absenceProven: false);

        Assert.Same(previous, next);
    }

    [Fact]
    public void Unverified_device_that_was_not_active_is_not_resolved_by_proven_absence()
    {
        var previous = Was(LifecycleState.Exempt);

        var next = Next(previous, NotSeen(DecisionKind.Unverified), absenceProven: true);

        Assert.Same(previous, next);
    }

    [Fact]
    public void Entra_object_id_looked_up_earlier_is_carried_over()
    {
        var previous = Was(LifecycleState.Enforcing, AfterCheckIn, EntraObjectId);

        var next = Next(previous, Seen(DecisionKind.Offending));

        Assert.NotNull(next);
        Assert.Equal(EntraObjectId, next.EntraObjectId);
    }

    [Fact]
    public void Entra_object_id_found_by_enforcement_is_recorded()
    {
        var previous = Was(LifecycleState.Detected);

        var next = Next(previous, Seen(DecisionKind.Offending), Did(Outcome.Enforced, "0e000000-0000-4000-8000-000000000002"));

        Assert.NotNull(next);
        Assert.Equal("0e000000-0000-4000-8000-000000000002", next.EntraObjectId);
    }

    [Fact]
    public void Device_user_and_name_come_from_this_sweep()
    {
        var previous = Was(LifecycleState.Detected) with { UserId = "old-user", DeviceName = "old name" };

        var next = Next(previous, Seen(DecisionKind.Offending));

        Assert.NotNull(next);
        Assert.Equal((Tests.Planning.Fleet.UserId, "iPhone of Alex"), (next.UserId, next.DeviceName));
    }
}
