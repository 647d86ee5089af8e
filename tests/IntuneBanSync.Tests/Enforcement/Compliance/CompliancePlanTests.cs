namespace IntuneBanSync.Tests.Enforcement.Compliance;

public sealed class CompliancePlanTests
{
    private static readonly ComplianceMechanism Mechanism =
        ComplianceMechanism.Over(GraphClientBuilder.Create(new GraphOptions { BaseUrl = "http://127.0.0.1:9/v1.0" }), new GraphOptions { BaseUrl = "http://127.0.0.1:9/v1.0" });

    private static readonly Ban Ban = Fleet.Ban() with
    {
        Apps = new BanApps(["TikTok"], ["com.zhiliaoapp.musically"], ["com.zhiliaoapp.musically"], ["9NH2GPH4JZS4"], []),
        Scope = Fleet.ScopeOf(platforms: new HashSet<DevicePlatform> { DevicePlatform.Ios, DevicePlatform.Android, DevicePlatform.Windows }),
    };

    [Fact]
    public void An_offending_ios_device_is_targeted_and_newly_reached()
    {
        var sweep = Sweep(Ban, ("ios-1", "iOS", "ios", DecisionKind.Offending));

        var plan = Mechanism.Plan(sweep);

        Assert.Equal(["ios-1"], plan.Targets);
        Assert.Equal(["ios-1"], plan.NewlyReached);
    }

    [Fact]
    public void A_device_in_grace_is_targeted_but_not_counted_as_newly_reached()
    {
        var sweep = Sweep(Ban, ("ios-1", "iOS", "ios", DecisionKind.Grace));

        var plan = Mechanism.Plan(sweep);

        Assert.Equal(["ios-1"], plan.Targets);
        Assert.Empty(plan.NewlyReached);
    }

    [Fact]
    public void Android_device_administrator_is_targeted_and_android_enterprise_and_windows_are_not()
    {
        var sweep = Sweep(
            Ban,
            ("admin", "Android", "androidDeviceAdministrator", DecisionKind.Offending),
            ("work-profile", "Android", "androidWorkProfile", DecisionKind.Offending),
            ("pc", "Windows", "windows", DecisionKind.Offending));

        var plan = Mechanism.Plan(sweep);

        Assert.Equal(["admin"], plan.Targets);
    }

    [Fact]
    public void A_device_the_last_sweep_left_pending_or_noncompliant_is_not_newly_reached_again()
    {
        var sweep = Sweep(
            Ban,
            [Earlier("pending", Reach.Pending), Earlier("noncompliant", Reach.Noncompliant), Earlier("failed", Reach.Failed)],
            ("pending", "iOS", "ios", DecisionKind.Offending),
            ("noncompliant", "iOS", "ios", DecisionKind.Offending),
            ("failed", "iOS", "ios", DecisionKind.Offending));

        var plan = Mechanism.Plan(sweep);

        Assert.Equal(["failed"], plan.NewlyReached);
    }

    [Fact]
    public void Without_identifiers_for_its_platform_a_device_is_targeted_to_be_reported_but_not_newly_reached()
    {
        var sweep = Sweep(Ban with { Apps = Ban.Apps with { Ios = [] } }, ("ios-1", "iOS", "ios", DecisionKind.Offending));

        var plan = Mechanism.Plan(sweep);

        Assert.Equal(["ios-1"], plan.Targets);
        Assert.Empty(plan.NewlyReached);
    }

    private static DeviceBanState Earlier(string deviceId, Reach reach) =>
        new("tiktok", deviceId, Fleet.UninstallBy, Fleet.TenDaysLate, DecisionKind.Offending, "run", LifecycleState.Enforcing,
            Reaches: new ValueList<RouteReach>([new RouteReach(ComplianceMechanism.Id, "compliance (ios)", reach)]));

    private static BanSweep Sweep(Ban ban, params (string Id, string Os, string AppPlatform, DecisionKind Kind)[] devices) => Sweep(ban, [], devices);

    private static BanSweep Sweep(Ban ban, DeviceBanState[] earlier, params (string Id, string Os, string AppPlatform, DecisionKind Kind)[] devices)
    {
        var sweep = new BanSweep(ban, EnforcementMode.Enforce, earlier.ToDictionary(s => s.DeviceId));
        foreach (var (id, os, appPlatform, kind) in devices)
            sweep.Observe(Fleet.Device(id: id, operatingSystem: os), new Decision("tiktok", id, kind, DecisionReason.Detected, kind.ToString()), [Fleet.TikTok with { Platform = appPlatform }]);
        return sweep;
    }
}
