using IntuneBanSync.Tests.BanList;
using static IntuneBanSync.Tests.Planning.Fleet;

namespace IntuneBanSync.Tests.Scope;

public sealed class GroupDirectoryTests
{
    [Fact]
    public void Device_is_a_member_through_its_primary_user()
    {
        var directory = Groups(Members(IncludeGroup, users: [UserId]));

        var membership = directory.Contains(IncludeGroup, Device());

        Assert.Equal(Membership.Member, membership);
    }

    [Fact]
    public void Device_is_a_member_through_its_Entra_device_object()
    {
        var directory = Groups(Members(IncludeGroup, devices: [EntraDeviceId]));

        var membership = directory.Contains(IncludeGroup, Device(userId: null));

        Assert.Equal(Membership.Member, membership);
    }

    [Fact]
    public void Device_whose_user_and_device_object_are_both_absent_is_not_a_member()
    {
        var directory = Groups(Members(IncludeGroup, users: ["another-user"], devices: ["another-device"]));

        var membership = directory.Contains(IncludeGroup, Device());

        Assert.Equal(Membership.NotMember, membership);
    }

    [Fact]
    public void Device_without_user_or_Entra_id_is_not_a_member()
    {
        var directory = Groups(Members(IncludeGroup, users: [UserId], devices: [EntraDeviceId]));

        var membership = directory.Contains(IncludeGroup, Device(userId: null, entraDeviceId: null));

        Assert.Equal(Membership.NotMember, membership);
    }

    [Fact]
    public void Group_that_was_not_read_answers_unknown_rather_than_not_a_member()
    {
        var directory = GroupsWithUnreadable(ExcludeGroup, Members(IncludeGroup, users: [UserId]));

        var membership = directory.Contains(ExcludeGroup, Device());

        Assert.Equal(Membership.Unknown, membership);
    }

    [Fact]
    public void Group_is_found_whatever_the_case_of_its_id()
    {
        var directory = Groups(Members(IncludeGroup, users: [UserId]));

        var membership = directory.Contains(IncludeGroup.ToUpperInvariant(), Device());

        Assert.Equal(Membership.Member, membership);
    }

    [Fact]
    public void Unreadable_groups_are_kept_with_their_problem()
    {
        var directory = GroupsWithUnreadable(ExcludeGroup);

        var unreadable = directory.Unreadable;

        Assert.Equal("403 Forbidden", Assert.Contains(ExcludeGroup, unreadable));
    }

    [Fact]
    public void Ban_list_names_its_include_exclude_and_exemption_groups()
    {
        var banList = BanListParser.Parse(BanListJson.Valid).Document!;

        var named = GroupDirectory.GroupsNamedBy(banList);

        Assert.Equal(3, named.Count);
        Assert.Contains("6b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", named);
        Assert.Contains("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", named);
        Assert.Contains("11111111-2222-4333-8444-555555555555", named);
    }

    [Fact]
    public void Ban_list_names_its_advisory_groups_so_their_members_are_read()
    {
        var advisory = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
        var banList = BanListParser.Parse(BanListJson.With(d => d.Scope()["advisoryGroups"] = new System.Text.Json.Nodes.JsonArray(advisory))).Document!;

        var named = GroupDirectory.GroupsNamedBy(banList);

        Assert.Contains(advisory, named);
    }

    [Fact]
    public void User_and_device_exemptions_name_no_group()
    {
        var banList = new BanListDocument(
            1, [Ban()],
            [Exemption("press-office", ExemptionSubjectKind.User, UserId), Exemption("lab-device", ExemptionSubjectKind.Device, DeviceId)]);

        var named = GroupDirectory.GroupsNamedBy(banList);

        Assert.Empty(named);
    }

    [Fact]
    public void Group_named_several_times_is_read_once()
    {
        var banList = new BanListDocument(
            1,
            [Ban("tiktok", ScopeOf(include: [IncludeGroup])), Ban("wechat", ScopeOf(exclude: [IncludeGroup.ToUpperInvariant()]))],
            [Exemption("police-comms", ExemptionSubjectKind.Group, IncludeGroup, banId: "wechat")]);

        var named = GroupDirectory.GroupsNamedBy(banList);

        Assert.Equal(IncludeGroup, Assert.Single(named), ignoreCase: true);
    }
}
