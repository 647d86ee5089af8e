using static IntuneBanSync.IntegrationTests.Enforcement.TenantDevices;

namespace IntuneBanSync.IntegrationTests.Enforcement.LaunchBlock;

/// <summary>The supervised-iOS launch block against the simulated tenant: the real SDK over HTTP, the journal in Azurite.</summary>
public sealed class LaunchBlockTests(AzuriteFixture azurite) : PolicyRouteTests(azurite)
{
    private const string PolicyName = "IntuneBanSync – TikTok – launch block";

    private protected override string Collection => "configurationPolicies";

    private protected override MechanismName Mechanism => IosLaunchBlock.Id;

    private protected override ManagedDevice Offender(SweepHarness harness) => Install(harness, SupervisedIphone(harness), TikTok(AppSource.User));

    private protected override void AssertBlocksTheBan(PolicyEntity policy)
    {
        Assert.Equal(PolicyName, policy.Text("name"));
        Assert.Equal(("iOS", "mdm"), (policy.Text("platforms"), policy.Text("technologies")));
        Assert.Equal([TikTokIos], BlockedIn(policy));
    }

    [Fact]
    public async Task An_offending_supervised_iphone_is_pending_until_it_checks_in_then_launch_blocked_with_the_app_still_installed()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Offender(harness);

        await harness.EnforceAsync(harness.EnforceBan());
        var before = await ReachAsync(harness, iphone.Id);
        harness.CheckInAnHourOn(iphone.Id);
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
        Offender(harness);

        await AssertASecondSweepAfterCheckInWritesNothingAsync(harness);

        Assert.Single(Policies(harness));
    }

    [Fact]
    public async Task A_bundle_id_added_to_the_ban_updates_the_same_policy_and_devices_wait_for_their_next_check_in()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Offender(harness);
        await harness.EnforceAsync(harness.EnforceBan());
        var created = Assert.Single(Policies(harness));
        harness.CheckInAnHourOn();

        var report = await harness.EnforceAsync(Ban(harness, ban => ban["apps"]!["ios"]!.AsArray().Add("com.ss.iphone.ugc.tiktok.lite")));

        var updated = Assert.Single(Policies(harness));
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal(["com.ss.iphone.ugc.tiktok.lite", TikTokIos], BlockedIn(updated).Order());
        Assert.Equal(["update-launch-block-policy"], WritesOf(report));
        Assert.Equal(Reach.Pending, (await ReachAsync(harness, iphone.Id)).Reach);
    }

    [Fact]
    public async Task A_new_exclude_group_changes_the_assignments_and_not_the_settings()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);
        await harness.EnforceAsync(harness.EnforceBan());
        var excluded = harness.Tenant.State.Groups.First(g => g.DisplayName.StartsWith("IBS Dept", StringComparison.Ordinal)).Id;

        var report = await harness.EnforceAsync(Ban(harness, ban => ban["scope"]!["excludeGroups"]!.AsArray().Add(excluded)));

        Assert.Contains($"exclusionGroupAssignmentTarget:{excluded}", Targets(Assert.Single(Policies(harness))));
        Assert.Equal(["assign-launch-block-policy"], WritesOf(report));
    }

    [Fact]
    public async Task A_device_exempted_one_by_one_is_excluded_through_the_exemption_group_and_released()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Offender(harness);
        await harness.EnforceAsync(harness.EnforceBan());
        var json = JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        json["exemptions"]!.AsArray().Add(JsonNode.Parse(
            $$"""{"id":"case-7","ban":"tiktok","device":"{{iphone.Id}}","justification":"Press office handset","approvedBy":"CISO"}"""));

        await harness.EnforceAsync(BanListParser.Parse(json.ToJsonString()).Document!);

        var state = harness.Tenant.State;
        var group = state.GroupByName("IntuneBanSync – TikTok – exempt");
        Assert.Contains(state.EntraDevices.Single(e => e.DeviceId == iphone.AzureAdDeviceId).Id, group.MemberIds);
        Assert.Contains($"exclusionGroupAssignmentTarget:{group.Id}", Targets(Assert.Single(Policies(harness))));
        Assert.Equal(Reach.Released, (await ReachAsync(harness, iphone.Id)).Reach);
    }

    [Fact]
    public async Task A_look_alike_policy_with_our_name_and_another_setting_stays_untouched()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);
        var lookAlike = await CreateAsync(harness, Collection, Restrictions(PolicyName, Choice("com.apple.applicationaccess_allowcamera")));
        var before = Policies(harness).Single().Body.ToJsonString();

        await harness.EnforceAsync(harness.EnforceBan());

        var policies = Policies(harness);
        Assert.Equal(before, policies.Single(p => p.Id == lookAlike).Body.ToJsonString());
        Assert.Empty(policies.Single(p => p.Id == lookAlike).Assignments);
        Assert.Equal([TikTokIos], BlockedIn(policies.Single(p => p.Id != lookAlike)));
    }

    [Fact]
    public async Task A_policy_we_did_not_create_managing_blocked_apps_is_reported_as_the_reason_and_left_untouched()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Offender(harness);
        var theirs = await CreateAsync(harness, Collection, Restrictions("Contoso – iOS restrictions", Blocked("com.apple.facetime")));
        await AssignAsync(harness, Collection, theirs, harness.Tenant.State.GroupByName("IBS All Staff").Id);
        var before = Policies(harness).Single();

        var report = await harness.EnforceAsync(harness.EnforceBan());

        var after = Assert.Single(Policies(harness));
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
        var iphone = Offender(harness);
        await harness.EnforceAsync(harness.EnforceBan());
        var theirs = await CreateAsync(harness, Collection, Restrictions("Contoso – iOS restrictions", Blocked("com.apple.facetime")));

        var report = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(theirs, Assert.Single(Policies(harness)).Id);
        Assert.Equal(["delete-launch-block-policy", "unassign-launch-block-policy"], WritesOf(report).Order());
        Assert.Equal(Reach.Unreachable, (await ReachAsync(harness, iphone.Id)).Reach);
    }

    [Fact]
    public async Task On_expiry_the_policy_is_unassigned_and_deleted_and_a_policy_of_someone_else_is_not_touched()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);
        var other = await CreateAsync(harness, Collection, Restrictions("Contoso – camera", Choice("com.apple.applicationaccess_allowcamera")));
        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromDays(151));

        var report = await harness.EnforceAsync(harness.EnforceBan());

        Assert.True(report.Bans.Single().Enforcement!.WoundDown);
        Assert.Equal(other, Assert.Single(Policies(harness)).Id);
        var resources = await harness.Journal.GetBanResourcesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.All(resources!.Resources.Where(r => r.Kind == IosLaunchBlock.Policy), r => Assert.NotNull(r.RetiredAt));
    }

    [Fact]
    public async Task A_ban_that_leaves_the_list_takes_its_launch_block_policy_with_it()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);
        await harness.EnforceAsync(harness.EnforceBan());

        await harness.EnforceAsync(new BanListDocument(1, [], []));

        Assert.Empty(Policies(harness));
    }

    [Theory]
    [InlineData(false, "launch-block did not run")]
    [InlineData(true, "launch-block was refused by Graph (403)")]
    public async Task Without_the_configuration_permission_the_launch_block_stops_naming_it_whether_the_token_or_graph_tells(bool graphRefuses, string said)
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);

        var report = await (graphRefuses
            ? harness.EnforceRefusedAsync(GraphPermissions.ConfigurationReadWrite)
            : harness.EnforceWithoutAsync(GraphPermissions.ConfigurationReadWrite));

        SweepHarness.AssertStopped(report, said, GraphPermissions.ConfigurationReadWrite);
        Assert.Empty(Policies(harness));
        Assert.Contains(report.Writes, w => w.Action == "add-member");
    }

    [Fact]
    public async Task A_crash_right_after_the_policy_is_created_is_reconciled_and_the_policy_is_never_created_twice()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Offender(harness);
        var crash = new CrashAfter(r => r.Method == HttpMethod.Post && r.RequestUri!.AbsolutePath.EndsWith("/configurationPolicies", StringComparison.Ordinal));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.EnforceAsync(harness.EnforceBan(), crash));

        var recovered = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(SweepStatus.Completed, recovered.Status);
        Assert.Single(Policies(harness));
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
        var tiktok = Offender(harness);
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

        Assert.Equal(["IntuneBanSync – Douyin – launch block", PolicyName], Policies(harness).Select(p => p.Text("name")).Order(StringComparer.Ordinal));
        Assert.Equal(Reach.Pending, (await ReachAsync(harness, tiktok.Id)).Reach);
        var douyinStates = await harness.Journal.GetDeviceStatesAsync("contoso", "douyin", CancellationToken.None);
        Assert.Equal(Reach.Pending, Assert.Single(douyinStates[douyin.Id].Reaches!, r => r.Mechanism == IosLaunchBlock.Id).Reach);
    }

    [Fact]
    public async Task A_deadline_moved_into_the_future_takes_the_launch_block_policy_down()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Offender(harness);
        await harness.EnforceAsync(harness.EnforceBan());

        await harness.EnforceAsync(NotYetDue(harness));

        Assert.Empty(Policies(harness));
        Assert.Equal(Reach.Released, (await ReachAsync(harness, iphone.Id)).Reach);
    }

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
