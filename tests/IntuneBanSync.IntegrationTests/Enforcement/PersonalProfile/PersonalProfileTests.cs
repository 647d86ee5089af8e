using static IntuneBanSync.IntegrationTests.Enforcement.TenantDevices;

namespace IntuneBanSync.IntegrationTests.Enforcement.PersonalProfile;

/// <summary>The company-owned work profile's personal-profile block list against the simulated tenant.</summary>
public sealed class PersonalProfileTests(AzuriteFixture azurite) : PolicyRouteTests(azurite)
{
    private const string ConfigurationName = "IntuneBanSync – TikTok – personal profile";
    private const string TikTokAndroid = "com.zhiliaoapp.musically";

    private static readonly string[] BannedPackages = [TikTokAndroid, "com.zhiliaoapp.musically.go", "com.ss.android.ugc.trill"];

    private protected override string Collection => "deviceConfigurations";

    private protected override MechanismName Mechanism => PersonalProfileBlock.Id;

    private protected override ManagedDevice Offender(SweepHarness harness) => Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid));

    private protected override void AssertBlocksTheBan(PolicyEntity configuration)
    {
        Assert.Equal(ConfigurationName, configuration.Text("displayName"));
        Assert.Equal(("microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration", "blockedApps"), (configuration.ODataType, configuration.Text("personalProfilePlayStoreMode")));
        Assert.Equal(BannedPackages.Order(), Blocked(configuration).Order());
    }

    [Fact]
    public async Task A_company_owned_ban_narrows_the_assignment_with_an_android_enterprise_ownership_filter()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);

        await harness.EnforceAsync(Ban(harness, ban => ban["scope"]!["ownership"] = new JsonArray("company")));

        var state = harness.Tenant.State;
        var filter = Assert.Single(state.Policies.Of("assignmentFilters"), f => f.Text("platform") == "androidForWork");
        var includes = Assert.Single(Policies(harness)).Targets.Where(t => !t["@odata.type"]!.GetValue<string>().Contains("exclusion", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(includes);
        Assert.All(includes, t => Assert.Equal((filter.Id, "include"), (t["deviceAndAppManagementAssignmentFilterId"]?.GetValue<string>(), t["deviceAndAppManagementAssignmentFilterType"]?.GetValue<string>())));
    }

    [Fact]
    public async Task A_cope_device_loses_its_personal_copy_at_check_in_and_ends_install_blocked_though_inventory_never_saw_that_copy()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var cope = Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid), TikTok(AppSource.User, TikTokAndroid));

        await harness.EnforceAsync(harness.EnforceBan());
        var before = await ReachAsync(harness, cope.Id);
        var checkIn = harness.CheckInAnHourOn(cope.Id);
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
        harness.CheckInAnHourOn(cope.Id);
        await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(Reach.InstallBlocked, (await ReachAsync(harness, cope.Id)).Reach);
        Assert.DoesNotContain(harness.Tenant.State.ManagedDeviceById(cope.Id).InstalledApps, IsTikTok);
    }

    [Fact]
    public async Task A_package_added_to_the_ban_updates_the_same_configuration_and_nothing_else()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);
        await harness.EnforceAsync(harness.EnforceBan());
        var created = Assert.Single(Policies(harness));

        var report = await harness.EnforceAsync(Ban(harness, ban => ban["apps"]!["android"]!.AsArray().Add("com.example.banned")));

        var updated = Assert.Single(Policies(harness));
        Assert.Equal(created.Id, updated.Id);
        Assert.Contains("com.example.banned", Blocked(updated));
        Assert.Equal(["update-personal-profile-configuration"], WritesOf(report));
    }

    [Fact]
    public async Task A_new_exemption_group_is_excluded_from_the_configuration()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);
        await harness.EnforceAsync(harness.EnforceBan());
        var pilot = harness.Tenant.State.GroupByName("IBS Pilot Devices").Id;
        var json = JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        json["exemptions"]!.AsArray().Add(JsonNode.Parse($$"""{"id":"pilot","ban":"tiktok","group":"{{pilot}}","justification":"Pilot","approvedBy":"CISO"}"""));

        var report = await harness.EnforceAsync(BanListParser.Parse(json.ToJsonString()).Document!);

        Assert.Contains($"exclusionGroupAssignmentTarget:{pilot}", Targets(Assert.Single(Policies(harness))));
        Assert.Equal(["assign-personal-profile-configuration"], WritesOf(report));
    }

    [Fact]
    public async Task A_second_sweep_with_nothing_changed_sends_no_write()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, CompanyOwnedWorkProfile(harness), TikTok(AppSource.Managed, TikTokAndroid), TikTok(AppSource.User, TikTokAndroid));

        await AssertASecondSweepAfterCheckInWritesNothingAsync(harness);
    }

    [Fact]
    public async Task A_look_alike_configuration_with_our_name_stays_untouched()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);
        var lookAlike = await CreateAsync(harness, Collection, new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration",
            ["displayName"] = ConfigurationName,
            ["personalProfilePlayStoreMode"] = "allowedApps",
            ["personalProfilePersonalApplications"] = new JsonArray(new JsonObject { ["@odata.type"] = "#microsoft.graph.appListItem", ["name"] = "Teams", ["appId"] = "com.microsoft.teams" }),
        });
        var before = Policies(harness).Single().Body.ToJsonString();

        await harness.EnforceAsync(harness.EnforceBan());

        var configurations = Policies(harness);
        Assert.Equal(before, configurations.Single(c => c.Id == lookAlike).Body.ToJsonString());
        Assert.Empty(configurations.Single(c => c.Id == lookAlike).Assignments);
        Assert.Equal(BannedPackages.Order(), Blocked(configurations.Single(c => c.Id != lookAlike)).Order());
    }

    [Fact]
    public async Task On_expiry_the_configuration_is_unassigned_and_deleted()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);
        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromDays(151));

        var report = await harness.EnforceAsync(harness.EnforceBan());

        Assert.True(report.Bans.Single().Enforcement!.WoundDown);
        Assert.Empty(Policies(harness));
        Assert.Equal(["delete-personal-profile-configuration", "unassign-personal-profile-configuration"], WritesOf(report).Order());
    }

    [Fact]
    public async Task Without_the_configuration_permission_the_personal_profile_block_does_not_run_and_says_which_permission()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);

        var report = await harness.EnforceWithoutAsync(GraphPermissions.ConfigurationReadWrite, only: client => PersonalProfileBlock.Over(client, harness.GraphOptions));

        SweepHarness.AssertStopped(report, "personal-profile did not run", GraphPermissions.ConfigurationReadWrite);
        Assert.Empty(Policies(harness));
    }

    private static List<string> Blocked(PolicyEntity configuration) =>
        [.. configuration.Body["personalProfilePersonalApplications"]!.AsArray().Select(a => a!["appId"]!.GetValue<string>())];
}
