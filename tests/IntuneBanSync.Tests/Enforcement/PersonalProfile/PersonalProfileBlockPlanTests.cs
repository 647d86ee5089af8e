using static IntuneBanSync.Tests.Enforcement.Lifecycle;

namespace IntuneBanSync.Tests.Enforcement.PersonalProfile;

public sealed class PersonalProfileBlockPlanTests
{
    [Fact]
    public void Every_in_scope_company_owned_work_profile_device_is_targeted_but_only_offending_ones_are_newly_reached()
    {
        var sweep = Sweep();
        var offending = Cope("d-offending");
        var clean = Cope("d-clean");
        var unverified = Cope("d-unverified");
        var outOfScope = Cope("d-out");
        var fullyManaged = Cope("d-fully-managed") with { EnrollmentType = "androidEnterpriseFullyManaged" };
        sweep.Observe(offending, Decision(offending, DecisionKind.Offending), [Android]);
        sweep.Observe(clean, Decision(clean, DecisionKind.Clean), [Android]);
        sweep.Observe(unverified, Decision(unverified, DecisionKind.Unverified), [Android]);
        sweep.Observe(outOfScope, Decision(outOfScope, DecisionKind.OutOfScope), [Android]);
        sweep.Observe(fullyManaged, Decision(fullyManaged, DecisionKind.Offending), [Android]);

        var plan = PersonalProfileBlock.PlanFor(sweep);

        Assert.Equal(["d-clean", "d-offending", "d-unverified"], plan.Targets.Order());
        Assert.Equal(["d-offending"], plan.NewlyReached);
    }

    [Fact]
    public void An_offending_device_the_block_list_already_targeted_is_not_newly_reached()
    {
        var device = Cope("d-offending");
        var earlier = Was(LifecycleState.Enforcing) with
        {
            DeviceId = device.Id,
            Reaches = new([new RouteReach(PersonalProfileBlock.Id, PersonalProfileBlock.RouteLabel, Reach.Pending)]),
        };
        var sweep = Sweep(earlier);
        sweep.Observe(device, Decision(device, DecisionKind.Offending), [Android]);

        var plan = PersonalProfileBlock.PlanFor(sweep);

        Assert.Equal(["d-offending"], plan.Targets);
        Assert.Empty(plan.NewlyReached);
    }

    private static readonly DetectedAppRecord Android = new("app-tiktok-android", "TikTok", "37.0.1", "androidWorkProfile");

    private static DeviceRecord Cope(string id) =>
        Fleet.Device(id, operatingSystem: "Android") with { EnrollmentType = "androidEnterpriseCorporateWorkProfile" };

    private static BanSweep Sweep(params DeviceBanState[] earlier) =>
        new(Fleet.Ban(), EnforcementMode.Enforce, earlier.ToDictionary(s => s.DeviceId, StringComparer.OrdinalIgnoreCase));

    private static Decision Decision(DeviceRecord device, DecisionKind kind) => Decided(kind) with { DeviceId = device.Id };
}
