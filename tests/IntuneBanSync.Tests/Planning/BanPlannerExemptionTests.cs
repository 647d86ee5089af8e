using static IntuneBanSync.Tests.Planning.Fleet;

namespace IntuneBanSync.Tests.Planning;

public sealed class BanPlannerExemptionTests
{
    [Fact]
    public void Device_named_by_an_exemption_is_exempt()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate, exemptions: [Exemption("lab-device", ExemptionSubjectKind.Device, DeviceId)]);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Exempt, decision.Kind);
        Assert.Equal("exemption", decision.ReasonCode);
        Assert.Equal("lab-device", decision.ExemptionId);
    }

    [Fact]
    public void Device_of_a_user_named_by_an_exemption_is_exempt()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate, exemptions: [Exemption("press-office", ExemptionSubjectKind.User, UserId)]);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Exempt, decision.Kind);
        Assert.Equal("press-office", decision.ExemptionId);
    }

    [Fact]
    public void Device_in_an_exemption_group_is_exempt()
    {
        var ban = Ban();
        var planner = Planner(
            ban, TenDaysLate, Groups(Members(ExemptGroup, devices: [EntraDeviceId])),
            exemptions: [Exemption("police-comms", ExemptionSubjectKind.Group, ExemptGroup)]);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Exempt, decision.Kind);
        Assert.Equal("police-comms", decision.ExemptionId);
    }

    [Fact]
    public void Exemption_of_another_device_does_not_apply()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate, exemptions: [Exemption("lab-device", ExemptionSubjectKind.Device, "another-device")]);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
        Assert.Null(decision.ExemptionId);
    }

    [Fact]
    public void Expired_exemption_no_longer_applies()
    {
        var ban = Ban();
        var expired = Exemption("lab-device", ExemptionSubjectKind.Device, DeviceId, expiresOn: TenDaysLate);
        var planner = Planner(ban, TenDaysLate, exemptions: [expired]);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
    }

    [Fact]
    public void Exemption_applies_until_it_expires()
    {
        var ban = Ban();
        var expiring = Exemption("lab-device", ExemptionSubjectKind.Device, DeviceId, expiresOn: TenDaysLate.AddTicks(1));
        var planner = Planner(ban, TenDaysLate, exemptions: [expiring]);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Exempt, decision.Kind);
    }

    [Fact]
    public void Exemption_for_another_ban_does_not_apply()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate, exemptions: [Exemption("lab-device", ExemptionSubjectKind.Device, DeviceId, banId: "wechat")]);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
    }

    [Fact]
    public void Excluded_device_is_out_of_scope_rather_than_exempt()
    {
        var ban = Ban(scope: ScopeOf(exclude: [ExcludeGroup]));
        var planner = Planner(
            ban, TenDaysLate, Groups(Members(ExcludeGroup, users: [UserId])),
            exemptions: [Exemption("lab-device", ExemptionSubjectKind.Device, DeviceId)]);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.OutOfScope, decision.Kind);
        Assert.Equal("excluded", decision.ReasonCode);
    }

    [Fact]
    public void Device_with_the_app_seen_is_unverified_when_its_exemption_group_is_unreadable()
    {
        var ban = Ban();
        var planner = Planner(
            ban, TenDaysLate, GroupsWithUnreadable(ExemptGroup),
            exemptions: [Exemption("police-comms", ExemptionSubjectKind.Group, ExemptGroup)]);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Unverified, decision.Kind);
        Assert.Equal("group-unreadable", decision.ReasonCode);
    }

    [Fact]
    public void Device_exemption_applies_although_an_earlier_exemption_group_is_unreadable()
    {
        var ban = Ban();
        var planner = Planner(
            ban, TenDaysLate, GroupsWithUnreadable(ExemptGroup),
            exemptions: [Exemption("police-comms", ExemptionSubjectKind.Group, ExemptGroup), Exemption("lab-device", ExemptionSubjectKind.Device, DeviceId)]);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Exempt, decision.Kind);
        Assert.Equal("lab-device", decision.ExemptionId);
    }
}
