namespace IntuneBanSync.IntegrationTests.Enforcement;

/// <summary>
/// What a route owes that keeps one policy per ban in the tenant, whatever the policy: it goes to the ban's include groups or else
/// to all devices and users, never to the excluded groups, and not before the uninstall deadline. Each route's test class runs
/// these over its own policy and device, and tests the rest of the route itself.
/// </summary>
public abstract class PolicyRouteTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    /// <summary>Where the route keeps its policy, under deviceManagement.</summary>
    private protected abstract string Collection { get; }

    private protected abstract MechanismName Mechanism { get; }

    /// <summary>Arranges a device that only this route reaches with TikTok on it.</summary>
    private protected abstract ManagedDevice Offender(SweepHarness harness);

    /// <summary>Asserts what the route's policy holds for the TikTok ban: its name, its kind, the apps it blocks.</summary>
    private protected abstract void AssertBlocksTheBan(PolicyEntity policy);

    [Fact]
    public async Task Enforce_creates_one_policy_blocking_the_ban_s_apps_for_all_devices_and_users_but_the_excluded_groups()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);

        await harness.EnforceAsync(harness.EnforceBan());

        var state = harness.Tenant.State;
        var policy = Assert.Single(Policies(harness));
        AssertBlocksTheBan(policy);
        string[] expected =
            ["allDevicesAssignmentTarget:", "allLicensedUsersAssignmentTarget:", $"exclusionGroupAssignmentTarget:{state.GroupByName("IBS Police").Id}",
             $"exclusionGroupAssignmentTarget:{state.GroupByName("IBS TikTok Exemptions").Id}"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), TenantDevices.Targets(policy));
    }

    [Fact]
    public async Task A_ban_with_include_groups_assigns_the_policy_to_them_and_never_to_all_devices()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var device = Offender(harness);
        var include = harness.Tenant.State.Groups.First(g => g.MemberIds.Contains(device.UserId!) && !g.DisplayName.Contains("Police", StringComparison.Ordinal)).Id;

        await harness.EnforceAsync(TenantDevices.Ban(harness, ban => ban["scope"]!["includeGroups"] = new JsonArray(include)));

        var targets = TenantDevices.Targets(Assert.Single(Policies(harness)));
        Assert.Contains($"groupAssignmentTarget:{include}", targets);
        Assert.DoesNotContain(targets, t => t.StartsWith("all", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Before_the_uninstall_deadline_no_policy_is_made()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);

        await harness.EnforceAsync(NotYetDue(harness));

        Assert.Empty(Policies(harness));
    }

    /// <summary>The route's policies in the tenant, ours or not.</summary>
    private protected IReadOnlyList<PolicyEntity> Policies(SweepHarness harness) => harness.Tenant.State.Policies.Of(Collection);

    /// <summary>The actions of the report's writes that are this route's.</summary>
    private protected List<string> WritesOf(Reports.SweepReport report) =>
        [.. report.Writes.Where(w => w.Action.Contains(Mechanism.Name, StringComparison.Ordinal)).Select(w => w.Action)];

    private protected async Task<RouteReach> ReachAsync(SweepHarness harness, string deviceId)
    {
        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        return Assert.Single(states[deviceId].Reaches!, r => r.Mechanism == Mechanism);
    }

    /// <summary>Enforces the TikTok ban, lets every device check in, and enforces it again: asserts the second sweep sent no write.</summary>
    private protected static async Task AssertASecondSweepAfterCheckInWritesNothingAsync(SweepHarness harness)
    {
        await harness.EnforceAsync(harness.EnforceBan());
        harness.CheckInAnHourOn();
        harness.Tenant.Requests.Reset();

        var second = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Writes);
        Assert.Empty(second.Writes);
    }

    /// <summary>The TikTok ban with its uninstall deadline five days ahead.</summary>
    private protected static BanListDocument NotYetDue(SweepHarness harness) =>
        TenantDevices.Ban(harness, ban => ban["uninstallBy"] = harness.Seed.Now.AddDays(5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
}
