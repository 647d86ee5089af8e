using static IntuneBanSync.Tests.Planning.Fleet;

namespace IntuneBanSync.Tests.Planning;

/// <summary>Advisory groups (advised, never bound) and users' attestations (self-reported, standing in for "unverified" only).</summary>
public sealed class BanPlannerAdvisoryTests
{
    private const string AdvisoryGroup = "40000000-0000-4000-8000-000000000001";

    private static Ban AdvisoryBan(IReadOnlyList<string>? include = null, IReadOnlyList<string>? exclude = null) =>
        Ban(scope: ScopeOf(include, exclude) with { AdvisoryGroups = [AdvisoryGroup] });

    [Fact]
    public void Member_of_an_advisory_group_with_the_app_is_advised_not_offending()
    {
        var ban = AdvisoryBan();
        var planner = Planner(ban, TenDaysLate, Groups(Members(AdvisoryGroup, users: [UserId])));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal((DecisionKind.Advised, DecisionReason.Detected), (decision.Kind, decision.Reason));
        Assert.Contains(AdvisoryGroup, decision.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Member_of_an_advisory_group_without_the_app_is_advised_and_never_clean()
    {
        var ban = AdvisoryBan();
        var planner = Planner(ban, TenDaysLate, Groups(Members(AdvisoryGroup, devices: [EntraDeviceId])));

        var decision = planner.Decide(ban, NotSeen(Device()));

        Assert.Equal((DecisionKind.Advised, DecisionReason.Advisory), (decision.Kind, decision.Reason));
    }

    [Fact]
    public void Advisory_member_outside_every_include_group_is_still_advised()
    {
        var ban = AdvisoryBan(include: [IncludeGroup]);
        var planner = Planner(ban, TenDaysLate, Groups(Members(IncludeGroup), Members(AdvisoryGroup, users: [UserId])));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Advised, decision.Kind);
    }

    [Fact]
    public void Exclusion_beats_advisory()
    {
        var ban = AdvisoryBan(exclude: [ExcludeGroup]);
        var planner = Planner(ban, TenDaysLate, Groups(Members(AdvisoryGroup, users: [UserId]), Members(ExcludeGroup, users: [UserId])));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal((DecisionKind.OutOfScope, DecisionReason.Excluded), (decision.Kind, decision.Reason));
    }

    [Fact]
    public void Exemption_beats_advisory()
    {
        var ban = AdvisoryBan();
        var planner = Planner(
            ban, TenDaysLate, Groups(Members(AdvisoryGroup, users: [UserId])),
            exemptions: [Exemption("ex-1", ExemptionSubjectKind.User, UserId)]);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Exempt, decision.Kind);
    }

    [Fact]
    public void An_unreadable_advisory_group_leaves_the_device_unverified_so_nothing_is_enforced_on_a_guess()
    {
        var ban = AdvisoryBan();
        var planner = Planner(ban, TenDaysLate, GroupsWithUnreadable(AdvisoryGroup));

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal((DecisionKind.Unverified, DecisionReason.GroupUnreadable), (decision.Kind, decision.Reason));
        Assert.Contains("advisory group", decision.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_personal_device_whose_user_attested_is_attested_not_unverified()
    {
        var ban = Ban();
        var planner = AttestedPlanner(ban, TenDaysLate, TenDaysLate.AddDays(-2));

        var decision = planner.Decide(ban, NotSeen(Device(ownerType: "personal")));

        Assert.Equal((DecisionKind.Attested, DecisionReason.Attested), (decision.Kind, decision.Reason));
        Assert.Contains("self-reported", decision.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_attestation_made_after_the_sweeps_time_is_not_seen_by_a_what_if()
    {
        var ban = Ban();
        var planner = AttestedPlanner(ban, TenDaysLate, TenDaysLate.AddDays(1));

        var decision = planner.Decide(ban, NotSeen(Device(ownerType: "personal")));

        Assert.Equal(DecisionKind.Unverified, decision.Kind);
    }

    [Fact]
    public void The_app_detected_after_an_attestation_makes_the_device_offending_attested_then_detected()
    {
        var ban = Ban();
        var planner = AttestedPlanner(ban, TenDaysLate, TenDaysLate.AddDays(-3));

        var decision = planner.Decide(ban, Seen(Device(lastSync: TenDaysLate.AddDays(-1)), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
        Assert.Contains("then detected", decision.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inventory_older_than_the_attestation_still_showing_the_app_keeps_the_device_offending()
    {
        var ban = Ban();
        var planner = AttestedPlanner(ban, TenDaysLate, TenDaysLate.AddHours(-1));

        var decision = planner.Decide(ban, Seen(Device(lastSync: TenDaysLate.AddDays(-1)), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
        Assert.Contains("still shows it", decision.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_company_device_the_inventory_proves_clean_stays_clean_whatever_its_user_attested()
    {
        var ban = Ban();
        var planner = AttestedPlanner(ban, TenDaysLate, TenDaysLate.AddDays(-2));

        var decision = planner.Decide(ban, NotSeen(Device()));

        Assert.Equal(DecisionKind.Clean, decision.Kind);
    }

    private static BanPlanner AttestedPlanner(Ban ban, DateTimeOffset now, DateTimeOffset attestedAt) =>
        new(
            new BanListDocument(1, [ban], []), IntuneBanSync.Scope.GroupDirectory.Empty, new InventoryCoverage(), now, InventoryMaxAge,
            new Dictionary<string, IReadOnlyDictionary<string, Attestation>>
            {
                [ban.Id] = new Dictionary<string, Attestation> { [DeviceId] = new(ban.Id, DeviceId, UserId, "alex@contoso.example", attestedAt) },
            });
}
