using static IntuneBanSync.Tests.Planning.Fleet;

namespace IntuneBanSync.Tests.Planning;

public sealed class BanPlannerScopeTests
{
    [Fact]
    public void Ban_is_not_active_before_effectiveFrom()
    {
        var ban = Ban();
        var planner = Planner(ban, EffectiveFrom.AddTicks(-1));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.BanNotActive, decision.Kind);
        Assert.Equal("not-yet-effective", decision.ReasonCode);
    }

    [Fact]
    public void Ban_is_active_from_the_instant_of_effectiveFrom()
    {
        var ban = Ban();
        var planner = Planner(ban, EffectiveFrom);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Grace, decision.Kind);
    }

    [Fact]
    public void Ban_is_not_active_at_expiresOn()
    {
        var ban = Ban();
        var planner = Planner(ban, ExpiresOn);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.BanNotActive, decision.Kind);
        Assert.Equal("expired", decision.ReasonCode);
    }

    [Fact]
    public void Ban_is_not_active_after_expiresOn()
    {
        var ban = Ban();
        var planner = Planner(ban, ExpiresOn.AddDays(30));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.BanNotActive, decision.Kind);
        Assert.Equal("expired", decision.ReasonCode);
    }

    [Fact]
    public void Ban_is_still_active_just_before_expiresOn()
    {
        var ban = Ban();
        var planner = Planner(ban, ExpiresOn.AddTicks(-1));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Linux")]
    [InlineData("unknown")]
    public void Device_with_an_unknown_operating_system_is_out_of_scope_and_says_so(string? operatingSystem)
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate);

        var decision = planner.Decide(ban, Seen(Device(operatingSystem: operatingSystem), TikTok));

        Assert.Equal(DecisionKind.OutOfScope, decision.Kind);
        Assert.Equal("unknown-os", decision.ReasonCode);
    }

    [Fact]
    public void Device_on_a_platform_outside_the_ban_is_out_of_scope()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate);

        var decision = planner.Decide(ban, Seen(Device(operatingSystem: "Windows 11"), TikTok));

        Assert.Equal(DecisionKind.OutOfScope, decision.Kind);
        Assert.Equal("platform", decision.ReasonCode);
        Assert.Contains("windows", decision.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("unknown")]
    public void Device_with_unknown_ownership_is_out_of_scope(string? ownerType)
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate);

        var decision = planner.Decide(ban, Seen(Device(ownerType: ownerType), TikTok));

        Assert.Equal(DecisionKind.OutOfScope, decision.Kind);
        Assert.Equal("unknown-ownership", decision.ReasonCode);
    }

    [Fact]
    public void Personal_device_is_out_of_scope_of_a_company_only_ban()
    {
        var ban = Ban(scope: ScopeOf(ownership: new HashSet<DeviceOwnership> { DeviceOwnership.Company }));
        var planner = Planner(ban, TenDaysLate);

        var decision = planner.Decide(ban, Seen(Device(ownerType: "personal"), TikTok));

        Assert.Equal(DecisionKind.OutOfScope, decision.Kind);
        Assert.Equal("ownership", decision.ReasonCode);
    }

    [Fact]
    public void Device_is_included_through_its_primary_user()
    {
        var ban = Ban(scope: ScopeOf(include: [IncludeGroup]));
        var planner = Planner(ban, TenDaysLate, Groups(Members(IncludeGroup, users: [UserId])));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
    }

    [Fact]
    public void Device_is_included_through_its_Entra_device_id()
    {
        var ban = Ban(scope: ScopeOf(include: [IncludeGroup]));
        var planner = Planner(ban, TenDaysLate, Groups(Members(IncludeGroup, devices: [EntraDeviceId])));

        var decision = planner.Decide(ban, Seen(Device(userId: null), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
    }

    [Fact]
    public void Device_in_any_one_of_several_include_groups_is_included()
    {
        var ban = Ban(scope: ScopeOf(include: [IncludeGroup, OtherIncludeGroup]));
        var groups = Groups(Members(IncludeGroup), Members(OtherIncludeGroup, users: [UserId]));
        var planner = Planner(ban, TenDaysLate, groups);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
    }

    [Fact]
    public void Device_in_no_include_group_is_out_of_scope()
    {
        var ban = Ban(scope: ScopeOf(include: [IncludeGroup]));
        var planner = Planner(ban, TenDaysLate, Groups(Members(IncludeGroup, users: ["someone-else"], devices: ["another-device"])));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.OutOfScope, decision.Kind);
        Assert.Equal("not-included", decision.ReasonCode);
    }

    [Fact]
    public void Device_not_in_a_readable_include_group_is_unverified_when_another_include_group_is_unreadable()
    {
        var ban = Ban(scope: ScopeOf(include: [IncludeGroup, OtherIncludeGroup]));
        var planner = Planner(ban, TenDaysLate, GroupsWithUnreadable(OtherIncludeGroup, Members(IncludeGroup)));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Unverified, decision.Kind);
        Assert.Equal("group-unreadable", decision.ReasonCode);
        Assert.Contains(OtherIncludeGroup, decision.Text);
    }

    [Fact]
    public void Device_in_a_readable_include_group_is_included_although_another_include_group_is_unreadable()
    {
        var ban = Ban(scope: ScopeOf(include: [OtherIncludeGroup, IncludeGroup]));
        var planner = Planner(ban, TenDaysLate, GroupsWithUnreadable(OtherIncludeGroup, Members(IncludeGroup, users: [UserId])));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
    }

    [Fact]
    public void Member_of_an_exclude_group_is_out_of_scope_even_with_the_app_seen()
    {
        var ban = Ban(scope: ScopeOf(exclude: [ExcludeGroup]));
        var planner = Planner(ban, TenDaysLate, Groups(Members(ExcludeGroup, users: [UserId])));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.OutOfScope, decision.Kind);
        Assert.Equal("excluded", decision.ReasonCode);
        Assert.Contains(ExcludeGroup, decision.Text);
    }

    [Fact]
    public void Exclusion_wins_over_inclusion()
    {
        var ban = Ban(scope: ScopeOf(include: [IncludeGroup], exclude: [ExcludeGroup]));
        var groups = Groups(Members(IncludeGroup, users: [UserId]), Members(ExcludeGroup, devices: [EntraDeviceId]));
        var planner = Planner(ban, TenDaysLate, groups);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.OutOfScope, decision.Kind);
        Assert.Equal("excluded", decision.ReasonCode);
    }

    [Fact]
    public void Device_is_unverified_when_an_exclude_group_is_unreadable()
    {
        var ban = Ban(scope: ScopeOf(exclude: [ExcludeGroup]));
        var planner = Planner(ban, TenDaysLate, GroupsWithUnreadable(ExcludeGroup));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Unverified, decision.Kind);
        Assert.Equal("group-unreadable", decision.ReasonCode);
    }

    [Fact]
    public void Member_of_a_readable_exclude_group_is_excluded_although_an_earlier_exclude_group_is_unreadable()
    {
        var ban = Ban(scope: ScopeOf(exclude: [OtherExcludeGroup, ExcludeGroup]));
        var planner = Planner(ban, TenDaysLate, GroupsWithUnreadable(OtherExcludeGroup, Members(ExcludeGroup, users: [UserId])));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.OutOfScope, decision.Kind);
        Assert.Equal("excluded", decision.ReasonCode);
    }

    [Fact]
    public void Decision_names_the_ban_and_the_device()
    {
        var ban = Ban("wechat");
        var planner = Planner(ban, TenDaysLate);

        var decision = planner.Decide(ban, NotSeen(Device(id: "device-42")));

        Assert.Equal("wechat", decision.BanId);
        Assert.Equal("device-42", decision.DeviceId);
    }
}
