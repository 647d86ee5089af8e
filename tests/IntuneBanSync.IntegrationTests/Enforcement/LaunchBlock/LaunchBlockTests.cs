using IntuneBanSync.Enforcement.LaunchBlock;
using static IntuneBanSync.IntegrationTests.Enforcement.TenantDevices;

namespace IntuneBanSync.IntegrationTests.Enforcement.LaunchBlock;

/// <summary>The supervised-iOS launch block against the simulated tenant: the real SDK over HTTP, the journal in Azurite.</summary>
public sealed class LaunchBlockTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    private const string PolicyName = "IntuneBanSync – TikTok – launch block";
    private const string Policies = "configurationPolicies";

    [Fact]
    public async Task Enforce_creates_one_policy_blocking_the_ban_s_bundle_ids_for_all_devices_and_users_but_the_excluded_groups()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));

        await harness.EnforceAsync(harness.EnforceBan());

        var state = harness.Tenant.State;
        var policy = Assert.Single(state.Policies.Of(Policies), p => p.Text("name") == PolicyName);
        Assert.Equal(("iOS", "mdm"), (policy.Text("platforms"), policy.Text("technologies")));
        Assert.Equal([TikTokIos], BlockedIn(policy));
        string[] expected =
            ["allDevicesAssignmentTarget:", "allLicensedUsersAssignmentTarget:", $"exclusionGroupAssignmentTarget:{state.GroupByName("IBS Police").Id}",
             $"exclusionGroupAssignmentTarget:{state.GroupByName("IBS TikTok Exemptions").Id}"];
        Assert.Equal(
            expected.Order(StringComparer.Ordinal),
            Targets(policy));
    }

    [Fact]
    public async Task A_ban_with_include_groups_assigns_the_policy_to_them_and_never_to_all_devices()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var device = Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        var include = harness.Tenant.State.Groups.First(g => g.MemberIds.Contains(device.UserId!) && !g.DisplayName.Contains("Police", StringComparison.Ordinal)).Id;

        await harness.EnforceAsync(Ban(harness, ban => ban["scope"]!["includeGroups"] = new JsonArray(include)));

        var targets = Targets(Assert.Single(harness.Tenant.State.Policies.Of(Policies)));
        Assert.Contains($"groupAssignmentTarget:{include}", targets);
        Assert.DoesNotContain(targets, t => t.StartsWith("all", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_offending_supervised_iphone_is_pending_until_it_checks_in_then_launch_blocked_with_the_app_still_installed()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));

        await harness.EnforceAsync(harness.EnforceBan());
        var before = await ReachAsync(harness, iphone.Id);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.CheckIn(iphone.Id);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        await harness.EnforceAsync(harness.EnforceBan());
        var after = await ReachAsync(harness, iphone.Id);

        Assert.Equal(Reach.Pending, before.Reach);
        Assert.Equal((Reach.LaunchBlocked, IosLaunchBlock.RouteLabel), (after.Reach, after.Route));
        var truth = harness.Tenant.State.ManagedDeviceById(iphone.Id);
        Assert.Equal([TikTokIos], truth.BlockedAppIdentifiers);
        Assert.Contains(truth.InstalledApps, IsTikTok);
        var state = (await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None))[iphone.Id];
        Assert.Equal(LifecycleState.Enforcing, state.State);
    }

    [Fact]
    public async Task A_second_sweep_after_check_in_sends_no_write()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.CheckInAll();
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.Requests.Reset();

        var second = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Writes);
        Assert.Empty(second.Writes);
        Assert.Single(harness.Tenant.State.Policies.Of(Policies));
    }

    [Fact]
    public async Task A_bundle_id_added_to_the_ban_updates_the_same_policy_and_devices_wait_for_their_next_check_in()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        await harness.EnforceAsync(harness.EnforceBan());
        var created = Assert.Single(harness.Tenant.State.Policies.Of(Policies));
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.CheckInAll();
        harness.Clock.Advance(TimeSpan.FromHours(1));

        var report = await harness.EnforceAsync(Ban(harness, ban => ban["apps"]!["ios"]!.AsArray().Add("com.ss.iphone.ugc.tiktok.lite")));

        var updated = Assert.Single(harness.Tenant.State.Policies.Of(Policies));
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal(["com.ss.iphone.ugc.tiktok.lite", TikTokIos], BlockedIn(updated).Order());
        Assert.Equal(["update-launch-block-policy"], report.Writes.Where(w => w.Action.Contains("launch-block", StringComparison.Ordinal)).Select(w => w.Action));
        Assert.Equal(Reach.Pending, (await ReachAsync(harness, iphone.Id)).Reach);
    }

    [Fact]
    public async Task A_new_exclude_group_changes_the_assignments_and_not_the_settings()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        await harness.EnforceAsync(harness.EnforceBan());
        var excluded = harness.Tenant.State.Groups.First(g => g.DisplayName.StartsWith("IBS Dept", StringComparison.Ordinal)).Id;

        var report = await harness.EnforceAsync(Ban(harness, ban => ban["scope"]!["excludeGroups"]!.AsArray().Add(excluded)));

        Assert.Contains($"exclusionGroupAssignmentTarget:{excluded}", Targets(Assert.Single(harness.Tenant.State.Policies.Of(Policies))));
        Assert.Equal(["assign-launch-block-policy"], report.Writes.Where(w => w.Action.Contains("launch-block", StringComparison.Ordinal)).Select(w => w.Action));
    }

    [Fact]
    public async Task A_device_exempted_one_by_one_is_excluded_through_the_exemption_group_and_released()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        await harness.EnforceAsync(harness.EnforceBan());
        var json = JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        json["exemptions"]!.AsArray().Add(JsonNode.Parse(
            $$"""{"id":"case-7","ban":"tiktok","device":"{{iphone.Id}}","justification":"Press office handset","approvedBy":"CISO"}"""));

        await harness.EnforceAsync(BanListParser.Parse(json.ToJsonString()).Document!);

        var state = harness.Tenant.State;
        var group = state.GroupByName("IntuneBanSync – TikTok – exempt");
        Assert.Contains(state.EntraDevices.Single(e => e.DeviceId == iphone.AzureAdDeviceId).Id, group.MemberIds);
        Assert.Contains($"exclusionGroupAssignmentTarget:{group.Id}", Targets(Assert.Single(state.Policies.Of(Policies))));
        Assert.Equal(Reach.Released, (await ReachAsync(harness, iphone.Id)).Reach);
    }

    [Fact]
    public async Task A_look_alike_policy_with_our_name_and_another_setting_stays_untouched()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        var lookAlike = await CreateAsync(harness, Policies, Restrictions(PolicyName, Choice("com.apple.applicationaccess_allowcamera")));
        var before = harness.Tenant.State.Policies.Of(Policies).Single().Body.ToJsonString();

        await harness.EnforceAsync(harness.EnforceBan());

        var policies = harness.Tenant.State.Policies.Of(Policies);
        Assert.Equal(before, policies.Single(p => p.Id == lookAlike).Body.ToJsonString());
        Assert.Empty(policies.Single(p => p.Id == lookAlike).Assignments);
        Assert.Equal([TikTokIos], BlockedIn(policies.Single(p => p.Id != lookAlike)));
    }

    [Fact]
    public async Task A_policy_we_did_not_create_managing_blocked_apps_is_reported_as_the_reason_and_left_untouched()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        var theirs = await CreateAsync(harness, Policies, Restrictions("Contoso – iOS restrictions", Blocked("com.apple.facetime")));
        await AssignAsync(harness, Policies, theirs, harness.Tenant.State.GroupByName("IBS All Staff").Id);
        var before = harness.Tenant.State.Policies.Of(Policies).Single();

        var report = await harness.EnforceAsync(harness.EnforceBan());

        var after = Assert.Single(harness.Tenant.State.Policies.Of(Policies));
        Assert.Equal((before.Body.ToJsonString(), before.Assignments.Count), (after.Body.ToJsonString(), after.Assignments.Count));
        Assert.DoesNotContain(report.Writes, w => w.Action.Contains("launch-block", StringComparison.Ordinal));
        var reach = await ReachAsync(harness, iphone.Id);
        Assert.Equal((Reach.Unreachable, IosLaunchBlock.ConflictReason("Contoso – iOS restrictions")), (reach.Reach, reach.Reason));
        Assert.Equal("blocked apps are managed by policy 'Contoso – iOS restrictions'; IntuneBanSync does not fight it", reach.Reason);
    }

    [Fact]
    public async Task A_conflicting_policy_that_appears_after_ours_makes_ours_step_aside()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        await harness.EnforceAsync(harness.EnforceBan());
        var theirs = await CreateAsync(harness, Policies, Restrictions("Contoso – iOS restrictions", Blocked("com.apple.facetime")));

        var report = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(theirs, Assert.Single(harness.Tenant.State.Policies.Of(Policies)).Id);
        Assert.Equal(["delete-launch-block-policy", "unassign-launch-block-policy"], report.Writes.Where(w => w.Action.Contains("launch-block", StringComparison.Ordinal)).Select(w => w.Action).Order());
        Assert.Equal(Reach.Unreachable, (await ReachAsync(harness, iphone.Id)).Reach);
    }

    [Fact]
    public async Task On_expiry_the_policy_is_unassigned_and_deleted_and_a_policy_of_someone_else_is_not_touched()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        var other = await CreateAsync(harness, Policies, Restrictions("Contoso – camera", Choice("com.apple.applicationaccess_allowcamera")));
        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromDays(151));

        var report = await harness.EnforceAsync(harness.EnforceBan());

        Assert.True(report.Bans.Single().Enforcement!.WoundDown);
        Assert.Equal(other, Assert.Single(harness.Tenant.State.Policies.Of(Policies)).Id);
        var resources = await harness.Journal.GetBanResourcesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.All(resources!.Resources.Where(r => r.Kind == IosLaunchBlock.Policy), r => Assert.NotNull(r.RetiredAt));
    }

    [Fact]
    public async Task A_ban_that_leaves_the_list_takes_its_launch_block_policy_with_it()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        await harness.EnforceAsync(harness.EnforceBan());

        await harness.EnforceAsync(new BanListDocument(1, [], []));

        Assert.Empty(harness.Tenant.State.Policies.Of(Policies));
    }

    [Fact]
    public async Task Without_the_configuration_permission_the_launch_block_does_not_run_and_says_which_permission()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        var token = new LoopbackCredential(Mechanisms.Permissions.Select(p => p.Permission.Name).Where(p => p != GraphPermissions.ConfigurationReadWrite.Name));
        var engine = SweepEngine.Over(harness.GraphOptions, harness.Journal, harness.Clock, credential: token);

        var report = await engine.RunAsync(Enforce(harness), null, CancellationToken.None);

        var stopped = report.Bans.Single().Enforcement!.Stopped;
        Assert.Contains("launch-block did not run", stopped);
        Assert.Contains(GraphPermissions.ConfigurationReadWrite.Name, stopped);
        Assert.Empty(harness.Tenant.State.Policies.Of(Policies));
        Assert.Contains(report.Writes, w => w.Action == "add-member");
    }

    [Fact]
    public async Task A_403_from_graph_stops_the_launch_block_naming_its_permissions()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        var token = new LoopbackCredential(Mechanisms.Permissions.Select(p => p.Permission.Name).Where(p => p != GraphPermissions.ConfigurationReadWrite.Name));
        var client = GraphClientBuilder.Create(harness.GraphOptions, token);
        var engine = new SweepEngine(
            new GraphIntune(client, harness.GraphOptions), Mechanisms.Over(client, harness.GraphOptions), harness.Journal, harness.Clock,
            new SweepSettings(), NullLogger<SweepEngine>.Instance, permissions: null);

        var report = await engine.RunAsync(Enforce(harness), null, CancellationToken.None);

        var stopped = report.Bans.Single().Enforcement!.Stopped;
        Assert.Contains("launch-block was refused by Graph (403)", stopped);
        Assert.Contains(GraphPermissions.ConfigurationReadWrite.Name, stopped);
        Assert.Empty(harness.Tenant.State.Policies.Of(Policies));
    }

    [Fact]
    public async Task A_crash_right_after_the_policy_is_created_is_reconciled_and_the_policy_is_never_created_twice()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        var crash = new CrashAfter(r => r.Method == HttpMethod.Post && r.RequestUri!.AbsolutePath.EndsWith("/configurationPolicies", StringComparison.Ordinal));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.EnforceAsync(harness.EnforceBan(), crash));

        var recovered = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(SweepStatus.Completed, recovered.Status);
        Assert.Single(harness.Tenant.State.Policies.Of(Policies));
        var audit = await harness.Journal.GetAuditAsync("contoso", "tiktok", CancellationToken.None);
        Assert.All(audit, entry => Assert.NotNull(entry.Outcome));
        var create = Assert.Single(audit, e => e.Intent.Action == IosLaunchBlock.Kind.Create);
        Assert.Equal(WriteResult.Done, create.Outcome!.Result);
        Assert.Contains(recovered.Writes, w => w.Action == "assign-launch-block-policy");
    }

    [Fact]
    public async Task Two_bans_keep_a_launch_block_each_and_neither_reports_the_other_as_a_conflict()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var tiktok = Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        var douyin = Install(harness, InScope(harness, d => d is { OperatingSystem: "iOS", IsSupervised: true } && d.Id != tiktok.Id && !d.InstalledApps.Any(IsTikTok)),
            new InstalledApp("Douyin", "30.1.0", AppSource.User, "com.ss.iphone.ugc.Aweme"));
        var json = JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        var second = json["bans"]![0]!.DeepClone();
        second["id"] = "douyin";
        second["name"] = "Douyin";
        second["apps"] = JsonNode.Parse("""{"displayNames":["Douyin"],"ios":["com.ss.iphone.ugc.Aweme"],"android":[],"windows":[],"macos":[]}""");
        json["bans"]!.AsArray().Add(second);
        var banList = BanListParser.Parse(json.ToJsonString()).Document!;

        await harness.EnforceAsync(banList);
        await harness.EnforceAsync(banList);

        Assert.Equal(["IntuneBanSync – Douyin – launch block", PolicyName], harness.Tenant.State.Policies.Of(Policies).Select(p => p.Text("name")).Order(StringComparer.Ordinal));
        Assert.Equal(Reach.Pending, (await ReachAsync(harness, tiktok.Id)).Reach);
        var douyinStates = await harness.Journal.GetDeviceStatesAsync("contoso", "douyin", CancellationToken.None);
        Assert.Equal(Reach.Pending, Assert.Single(douyinStates[douyin.Id].Reaches!, r => r.Mechanism == IosLaunchBlock.Id).Reach);
    }

    [Fact]
    public async Task Before_the_uninstall_deadline_no_launch_block_policy_is_made()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));

        await harness.EnforceAsync(Ban(harness, ban => ban["uninstallBy"] = harness.Seed.Now.AddDays(5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));

        Assert.Empty(harness.Tenant.State.Policies.Of(Policies));
    }

    [Fact]
    public async Task A_deadline_moved_into_the_future_takes_the_launch_block_policy_down()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));
        await harness.EnforceAsync(harness.EnforceBan());

        await harness.EnforceAsync(Ban(harness, ban => ban["uninstallBy"] = harness.Seed.Now.AddDays(5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));

        Assert.Empty(harness.Tenant.State.Policies.Of(Policies));
        Assert.Equal(Reach.Released, (await ReachAsync(harness, iphone.Id)).Reach);
    }

    private static SweepRequest Enforce(SweepHarness harness) =>
        new(harness.EnforceBan(), "contoso", "test", SweepTarget.WholeTenant, EnforcementMode.Enforce);

    private static async Task<RouteReach> ReachAsync(SweepHarness harness, string deviceId)
    {
        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        return Assert.Single(states[deviceId].Reaches!, r => r.Mechanism == IosLaunchBlock.Id);
    }

    /// <summary>Each target as "type:groupId", sorted.</summary>

    /// <summary>The bundle ids of every blocked-apps setting in the stored policy.</summary>
    private static List<string> BlockedIn(PolicyEntity policy)
    {
        var found = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o when o["settingDefinitionId"]?.GetValue<string>() == BlockedAppsSetting.BlockedAppBundleIds:
                    found.AddRange(o["simpleSettingCollectionValue"]!.AsArray().Select(v => v!["value"]!.GetValue<string>()));
                    break;
                case JsonObject o:
                    foreach (var (_, value) in o)
                        Walk(value);
                    break;
                case JsonArray a:
                    foreach (var item in a)
                        Walk(item);
                    break;
            }
        }

        Walk(policy.Body["settings"]);
        return found;
    }

    private static JsonObject Restrictions(string name, JsonObject child) => new()
    {
        ["name"] = name,
        ["platforms"] = "iOS",
        ["technologies"] = "mdm,appleRemoteManagement",
        ["settings"] = new JsonArray(new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationSetting",
            ["settingInstance"] = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
                ["settingDefinitionId"] = BlockedAppsSetting.RestrictionsGroup,
                ["groupSettingCollectionValue"] = new JsonArray(new JsonObject { ["children"] = new JsonArray(child) }),
            },
        }),
    };

    private static JsonObject Choice(string definition) => new()
    {
        ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
        ["settingDefinitionId"] = definition,
        ["choiceSettingValue"] = new JsonObject { ["value"] = definition + "_false", ["children"] = new JsonArray() },
    };

    private static JsonObject Blocked(string bundleId) => new()
    {
        ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance",
        ["settingDefinitionId"] = BlockedAppsSetting.BlockedAppBundleIds,
        ["simpleSettingCollectionValue"] = new JsonArray(new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationStringSettingValue",
            ["value"] = bundleId,
        }),
    };

    /// <summary>The Graph client's last handler: lets a request through, then "crashes" the process once one matching it answered.</summary>
    private sealed class CrashAfter(Func<HttpRequestMessage, bool> matches) : DelegatingHandler(new HttpClientHandler())
    {
        private bool _crashed;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!_crashed && response.IsSuccessStatusCode && matches(request))
            {
                _crashed = true;
                throw new OperationCanceledException("crash injected after the policy was created");
            }

            return response;
        }
    }
}
