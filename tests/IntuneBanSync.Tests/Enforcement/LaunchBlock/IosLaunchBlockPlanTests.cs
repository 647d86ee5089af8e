using static IntuneBanSync.Tests.Enforcement.Lifecycle;

namespace IntuneBanSync.Tests.Enforcement.LaunchBlock;

public sealed class IosLaunchBlockPlanTests
{
    private static readonly DeviceRecord Supervised = Fleet.Device("d-supervised") with { IsSupervised = true, EnrollmentType = "appleBulkWithUser" };
    private static readonly DeviceRecord Unsupervised = Fleet.Device("d-unsupervised");

    [Fact]
    public void Only_offending_supervised_iphones_are_targeted_and_newly_reached()
    {
        var sweep = Sweep();
        sweep.Observe(Supervised, Decision(Supervised, DecisionKind.Offending), [Fleet.TikTok]);
        sweep.Observe(Unsupervised, Decision(Unsupervised, DecisionKind.Offending), [Fleet.TikTok]);
        var graceDevice = Supervised with { Id = "d-grace" };
        sweep.Observe(graceDevice, Decision(graceDevice, DecisionKind.Grace), [Fleet.TikTok]);

        var plan = IosLaunchBlock.PlanFor(sweep);

        Assert.Equal(["d-supervised"], plan.Targets);
        Assert.Equal(["d-supervised"], plan.NewlyReached);
    }

    [Theory]
    [InlineData(Reach.Pending)]
    [InlineData(Reach.LaunchBlocked)]
    public void A_device_the_launch_block_already_targeted_is_not_newly_reached(Reach earlier)
    {
        var sweep = Sweep(Earlier(Supervised.Id, earlier));
        sweep.Observe(Supervised, Decision(Supervised, DecisionKind.Offending), [Fleet.TikTok]);

        var plan = IosLaunchBlock.PlanFor(sweep);

        Assert.Equal(["d-supervised"], plan.Targets);
        Assert.Empty(plan.NewlyReached);
    }

    [Fact]
    public void A_device_targeted_before_that_became_exempt_is_targeted_to_be_released_not_reached()
    {
        var sweep = Sweep(Earlier(Supervised.Id, Reach.LaunchBlocked));
        sweep.Observe(Supervised, Decision(Supervised, DecisionKind.Exempt), [Fleet.TikTok]);

        var plan = IosLaunchBlock.PlanFor(sweep);

        Assert.Equal(["d-supervised"], plan.Targets);
        Assert.Empty(plan.NewlyReached);
    }

    private static BanSweep Sweep(params DeviceBanState[] earlier) =>
        new(Fleet.Ban(), EnforcementMode.Enforce, earlier.ToDictionary(s => s.DeviceId, StringComparer.OrdinalIgnoreCase));

    private static Decision Decision(DeviceRecord device, DecisionKind kind) => Decided(kind) with { DeviceId = device.Id };

    private static DeviceBanState Earlier(string deviceId, Reach reach) =>
        Was(LifecycleState.Enforcing) with { DeviceId = deviceId, Reaches = new([new RouteReach(IosLaunchBlock.Id, IosLaunchBlock.RouteLabel, reach)]) };
}
