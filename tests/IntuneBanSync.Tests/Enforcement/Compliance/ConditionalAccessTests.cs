namespace IntuneBanSync.Tests.Enforcement.Compliance;

public sealed class ConditionalAccessTests
{
    private static readonly IReadOnlyList<CompliancePlatform> Both = CompliancePlatform.All;

    private static ConditionalAccessPolicy Policy(
        string state = "enabled", string[]? users = null, string[]? groups = null, string op = "OR", string[]? controls = null,
        string[]? platforms = null, string[]? excludePlatforms = null) =>
        new("p", state, users ?? ["All"], groups ?? [], platforms, excludePlatforms ?? [], op, controls ?? ["compliantDevice"]);

    [Fact]
    public void An_enabled_policy_requiring_a_compliant_device_for_all_users_leaves_no_note()
    {
        var note = ConditionalAccessCheck.NoteFor(Fleet.Ban(), Both, [Policy()]);

        Assert.Null(note);
    }

    [Fact]
    public void No_policy_at_all_means_noncompliance_blocks_nothing()
    {
        var note = ConditionalAccessCheck.NoteFor(Fleet.Ban(), Both, []);

        Assert.Equal(ConditionalAccessCheck.NothingBlocked, note);
    }

    [Theory]
    [InlineData("disabled")]
    [InlineData("enabledForReportingButNotEnforced")]
    public void A_policy_that_is_not_enabled_does_not_count(string state)
    {
        var note = ConditionalAccessCheck.NoteFor(Fleet.Ban(), Both, [Policy(state: state)]);

        Assert.Equal(ConditionalAccessCheck.NothingBlocked, note);
    }

    [Fact]
    public void Compliant_device_or_mfa_lets_a_noncompliant_device_in()
    {
        var note = ConditionalAccessCheck.NoteFor(Fleet.Ban(), Both, [Policy(controls: ["mfa", "compliantDevice"])]);

        Assert.Equal(ConditionalAccessCheck.NothingBlocked, note);
    }

    [Theory]
    [InlineData("AND", new[] { "mfa", "compliantDevice" })]
    [InlineData("OR", new[] { "compliantDevice", "domainJoinedDevice" })]
    public void Compliant_device_required_alongside_others_or_against_what_a_phone_cannot_be_counts(string op, string[] controls)
    {
        var note = ConditionalAccessCheck.NoteFor(Fleet.Ban(), Both, [Policy(op: op, controls: controls)]);

        Assert.Null(note);
    }

    [Fact]
    public void A_policy_for_one_of_the_bans_include_groups_counts_and_one_for_another_group_does_not()
    {
        var ban = Fleet.Ban(scope: Fleet.ScopeOf(include: [Fleet.IncludeGroup]));

        var ours = ConditionalAccessCheck.NoteFor(ban, Both, [Policy(users: [], groups: [Fleet.IncludeGroup.ToUpperInvariant()])]);
        var other = ConditionalAccessCheck.NoteFor(ban, Both, [Policy(users: [], groups: [Fleet.OtherIncludeGroup])]);

        Assert.Null(ours);
        Assert.Equal(ConditionalAccessCheck.NothingBlocked, other);
    }

    [Fact]
    public void A_policy_for_ios_only_leaves_android_unblocked_and_the_note_says_so()
    {
        var note = ConditionalAccessCheck.NoteFor(Fleet.Ban(), Both, [Policy(platforms: ["iOS"])]);

        Assert.Equal("no enabled Conditional Access policy requires a compliant device for the users in scope on android: noncompliance blocks nothing there", note);
    }

    [Fact]
    public void An_excluded_platform_is_not_covered()
    {
        var note = ConditionalAccessCheck.NoteFor(Fleet.Ban(), [CompliancePlatform.Ios], [Policy(platforms: ["all"], excludePlatforms: ["iOS"])]);

        Assert.Equal(ConditionalAccessCheck.NothingBlocked, note);
    }

    [Fact]
    public void A_policy_is_read_from_graphs_json()
    {
        using var json = System.Text.Json.JsonDocument.Parse("""
            {"displayName":"Require compliant","state":"enabled",
             "conditions":{"users":{"includeUsers":["All"],"includeGroups":[]},"platforms":null},
             "grantControls":{"operator":"OR","builtInControls":["compliantDevice"]}}
            """);

        var policy = ConditionalAccessPolicy.FromJson(json.RootElement);

        Assert.True(policy.Blocks(Fleet.Ban() with { Scope = Fleet.ScopeOf() }, CompliancePlatform.AndroidDeviceAdministrator));
    }
}
