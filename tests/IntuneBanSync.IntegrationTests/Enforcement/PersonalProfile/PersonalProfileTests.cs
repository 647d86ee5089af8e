using IntuneBanSync.Enforcement.PersonalProfile;
using static IntuneBanSync.IntegrationTests.Enforcement.TenantDevices;

namespace IntuneBanSync.IntegrationTests.Enforcement.PersonalProfile;

/// <summary>The company-owned work profile's personal-profile block list against the simulated tenant.</summary>
public sealed class PersonalProfileTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    private const string ConfigurationName = "IntuneBanSync – TikTok – personal profile";
    private const string Configurations = "deviceConfigurations";
    private const string TikTokAndroid = "com.zhiliaoapp.musically";

    private static readonly string[] BannedPackages = [TikTokAndroid, "com.zhiliaoapp.musically.go", "com.ss.android.ugc.trill"];

    [Fact]
    public async Task Enforce_creates_one_configuration_blocking_the_ban_s_packages_in_the_personal_profile_for_the_ban_s_scope()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid));

        await harness.EnforceAsync(harness.EnforceBan());

        var state = harness.Tenant.State;
        var configuration = Assert.Single(state.Policies.Of(Configurations), c => c.Text("displayName") == ConfigurationName);
        Assert.Equal(("microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration", "blockedApps"), (configuration.ODataType, configuration.Text("personalProfilePlayStoreMode")));
        Assert.Equal(BannedPackages.Order(), Blocked(configuration).Order());
        string[] expected =
            ["allDevicesAssignmentTarget:", "allLicensedUsersAssignmentTarget:", $"exclusionGroupAssignmentTarget:{state.GroupByName("IBS Police").Id}",
             $"exclusionGroupAssignmentTarget:{state.GroupByName("IBS TikTok Exemptions").Id}"];
        Assert.Equal(
            expected.Order(StringComparer.Ordinal),
            Targets(configuration));
    }

    [Fact]
    public async Task A_company_owned_ban_narrows_the_assignment_with_an_android_enterprise_ownership_filter()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid));

        await harness.EnforceAsync(Ban(harness, ban => ban["scope"]!["ownership"] = new JsonArray("company")));

        var state = harness.Tenant.State;
        var filter = Assert.Single(state.Policies.Of("assignmentFilters"), f => f.Text("platform") == "androidForWork");
        var includes = Assert.Single(state.Policies.Of(Configurations)).Targets.Where(t => !t["@odata.type"]!.GetValue<string>().Contains("exclusion", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(includes);
        Assert.All(includes, t => Assert.Equal((filter.Id, "include"), (t["deviceAndAppManagementAssignmentFilterId"]?.GetValue<string>(), t["deviceAndAppManagementAssignmentFilterType"]?.GetValue<string>())));
    }

    [Fact]
    public async Task A_ban_with_include_groups_assigns_the_configuration_to_them_and_never_to_all_devices()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var device = Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid));
        var include = harness.Tenant.State.Groups.First(g => g.MemberIds.Contains(device.UserId!) && !g.DisplayName.Contains("Police", StringComparison.Ordinal)).Id;

        await harness.EnforceAsync(Ban(harness, ban => ban["scope"]!["includeGroups"] = new JsonArray(include)));

        var targets = Targets(Assert.Single(harness.Tenant.State.Policies.Of(Configurations)));
        Assert.Contains($"groupAssignmentTarget:{include}", targets);
        Assert.DoesNotContain(targets, t => t.StartsWith("all", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cope_device_loses_its_personal_copy_at_check_in_and_ends_install_blocked_though_inventory_never_saw_that_copy()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var cope = Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid), TikTok(AppSource.User, TikTokAndroid));

        await harness.EnforceAsync(harness.EnforceBan());
        var before = await ReachAsync(harness, cope.Id);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        var checkIn = harness.Tenant.CheckIn(cope.Id);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        await harness.EnforceAsync(harness.EnforceBan());
        var after = await ReachAsync(harness, cope.Id);

        Assert.Equal(Reach.Pending, before.Reach);
        Assert.Equal((Reach.InstallBlocked, PersonalProfileBlock.RouteLabel), (after.Reach, after.Route));
        // The personal copy goes by the block list; the work-profile copy by the managed Google Play uninstall.
        Assert.Contains((AppSource.User, TikTokAndroid), checkIn.RemovedApps.Select(a => (a.Source, a.Identifier)));
        Assert.DoesNotContain(harness.Tenant.State.ManagedDeviceById(cope.Id).InstalledApps, a => IsTikTok(a) && a.Source == AppSource.User);
        Assert.False(harness.Tenant.State.IsVisibleInInventory(cope, TikTok(AppSource.User, TikTokAndroid)), "the simulator must hide the personal profile");
    }

    [Fact]
    public async Task A_cope_device_whose_only_copy_is_in_the_personal_profile_ends_install_blocked_with_the_copy_gone()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var cope = Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.User, TikTokAndroid));

        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.CheckIn(cope.Id);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(Reach.InstallBlocked, (await ReachAsync(harness, cope.Id)).Reach);
        Assert.DoesNotContain(harness.Tenant.State.ManagedDeviceById(cope.Id).InstalledApps, IsTikTok);
    }

    [Fact]
    public async Task A_package_added_to_the_ban_updates_the_same_configuration_and_nothing_else()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid));
        await harness.EnforceAsync(harness.EnforceBan());
        var created = Assert.Single(harness.Tenant.State.Policies.Of(Configurations));

        var report = await harness.EnforceAsync(Ban(harness, ban => ban["apps"]!["android"]!.AsArray().Add("com.example.banned")));

        var updated = Assert.Single(harness.Tenant.State.Policies.Of(Configurations));
        Assert.Equal(created.Id, updated.Id);
        Assert.Contains("com.example.banned", Blocked(updated));
        Assert.Equal(["update-personal-profile-configuration"], Mine(report));
    }

    [Fact]
    public async Task A_new_exemption_group_is_excluded_from_the_configuration()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid));
        await harness.EnforceAsync(harness.EnforceBan());
        var pilot = harness.Tenant.State.GroupByName("IBS Pilot Devices").Id;
        var json = JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        json["exemptions"]!.AsArray().Add(JsonNode.Parse($$"""{"id":"pilot","ban":"tiktok","group":"{{pilot}}","justification":"Pilot","approvedBy":"CISO"}"""));

        var report = await harness.EnforceAsync(BanListParser.Parse(json.ToJsonString()).Document!);

        Assert.Contains($"exclusionGroupAssignmentTarget:{pilot}", Targets(Assert.Single(harness.Tenant.State.Policies.Of(Configurations))));
        Assert.Equal(["assign-personal-profile-configuration"], Mine(report));
    }

    [Fact]
    public async Task A_second_sweep_with_nothing_changed_sends_no_write()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid), TikTok(AppSource.User, TikTokAndroid));
        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.CheckInAll();
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.Requests.Reset();

        var second = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Writes);
        Assert.Empty(second.Writes);
    }

    [Fact]
    public async Task A_look_alike_configuration_with_our_name_stays_untouched()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid));
        var lookAlike = await CreateAsync(harness, Configurations, new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration",
            ["displayName"] = ConfigurationName,
            ["personalProfilePlayStoreMode"] = "allowedApps",
            ["personalProfilePersonalApplications"] = new JsonArray(new JsonObject { ["@odata.type"] = "#microsoft.graph.appListItem", ["name"] = "Teams", ["appId"] = "com.microsoft.teams" }),
        });
        var before = harness.Tenant.State.Policies.Of(Configurations).Single().Body.ToJsonString();

        await harness.EnforceAsync(harness.EnforceBan());

        var configurations = harness.Tenant.State.Policies.Of(Configurations);
        Assert.Equal(before, configurations.Single(c => c.Id == lookAlike).Body.ToJsonString());
        Assert.Empty(configurations.Single(c => c.Id == lookAlike).Assignments);
        Assert.Equal(BannedPackages.Order(), Blocked(configurations.Single(c => c.Id != lookAlike)).Order());
    }

    [Fact]
    public async Task On_expiry_the_configuration_is_unassigned_and_deleted()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid));
        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromDays(151));

        var report = await harness.EnforceAsync(harness.EnforceBan());

        Assert.True(report.Bans.Single().Enforcement!.WoundDown);
        Assert.Empty(harness.Tenant.State.Policies.Of(Configurations));
        Assert.Equal(["delete-personal-profile-configuration", "unassign-personal-profile-configuration"], Mine(report).Order());
    }

    [Fact]
    public async Task Before_the_uninstall_deadline_no_configuration_is_made()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid));

        await harness.EnforceAsync(Ban(harness, ban => ban["uninstallBy"] = harness.Seed.Now.AddDays(5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));

        Assert.Empty(harness.Tenant.State.Policies.Of(Configurations));
    }

    [Fact]
    public async Task Without_the_configuration_permission_the_personal_profile_block_does_not_run_and_says_which_permission()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid));
        var token = new LoopbackCredential(Mechanisms.Permissions.Select(p => p.Permission.Name).Where(p => p != GraphPermissions.ConfigurationReadWrite.Name));
        var client = GraphClientBuilder.Create(harness.GraphOptions, token);
        var engine = SweepEngine.Over(harness.GraphOptions, harness.Journal, harness.Clock, mechanisms: [PersonalProfileBlock.Over(client, harness.GraphOptions)], credential: token);

        var report = await engine.RunAsync(
            new SweepRequest(harness.EnforceBan(), "contoso", "test", SweepTarget.WholeTenant, EnforcementMode.Enforce), null, CancellationToken.None);

        var stopped = report.Bans.Single().Enforcement!.Stopped;
        Assert.Contains("personal-profile did not run", stopped);
        Assert.Contains(GraphPermissions.ConfigurationReadWrite.Name, stopped);
        Assert.Empty(harness.Tenant.State.Policies.Of(Configurations));
    }

    private static async Task<RouteReach> ReachAsync(SweepHarness harness, string deviceId)
    {
        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        return Assert.Single(states[deviceId].Reaches!, r => r.Mechanism == PersonalProfileBlock.Id);
    }

    private static List<string> Mine(Reports.SweepReport report) =>
        [.. report.Writes.Where(w => w.Action.Contains("personal-profile", StringComparison.Ordinal)).Select(w => w.Action)];


    private static List<string> Blocked(PolicyEntity configuration) =>
        [.. configuration.Body["personalProfilePersonalApplications"]!.AsArray().Select(a => a!["appId"]!.GetValue<string>())];
}
