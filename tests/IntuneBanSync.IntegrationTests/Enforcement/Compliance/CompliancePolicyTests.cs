namespace IntuneBanSync.IntegrationTests.Enforcement.Compliance;

/// <summary>The compliance route's policies and template through real sweeps: created once, kept to the ban list, never someone else's, wound down.</summary>
public sealed class CompliancePolicyTests(AzuriteFixture azurite) : ComplianceRouteTests(azurite)
{
    [Fact]
    public async Task Enforcing_creates_once_one_policy_per_platform_restricting_the_bans_identifiers_with_a_notice_in_four_languages()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);

        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromMinutes(10));
        await harness.EnforceAsync(harness.EnforceBan());

        var ios = Assert.Single(Named(harness, IosPolicy));
        var android = Assert.Single(Named(harness, AndroidPolicy));
        Assert.Equal(("microsoft.graph.iosCompliancePolicy", "microsoft.graph.androidCompliancePolicy"), (ios.ODataType, android.ODataType));
        Assert.Equal(["com.zhiliaoapp.musically"], RestrictedAppIds(ios));
        Assert.Equal(["com.ss.android.ugc.trill", "com.zhiliaoapp.musically", "com.zhiliaoapp.musically.go"], RestrictedAppIds(android));
        var template = Assert.Single(Templates(harness));
        Assert.Equal(TemplateName, template.Text("displayName"));
        var messages = (template.Body["localizedNotificationMessages"] as JsonArray)!.Select(m => m!["locale"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["de-de", "en-us", "fr-fr", "nl-nl"], messages);
        Assert.All([ios, android], p => Assert.Contains(Actions(p), a => a["actionType"]!.GetValue<string>() == "notification" && a["notificationTemplateId"]!.GetValue<string>() == template.Id));
        Assert.Equal(0, BlockGrace(ios));
    }

    [Fact]
    public async Task A_second_sweep_with_nothing_changed_sends_no_write()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var ban = Ban(harness, b => b["uninstallBy"] = Iso(harness.Seed.Now.AddDays(5).AddMinutes(20)));
        await EnforceAsync(harness, ban);
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        harness.Tenant.Requests.Reset();

        var second = await EnforceAsync(harness, ban);

        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Writes);
        Assert.Empty(second.Writes);
    }

    [Fact]
    public async Task The_block_grace_is_the_hours_to_the_deadline_and_changes_only_when_it_drifted_by_a_whole_hour()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var ban = Ban(harness, b => b["uninstallBy"] = Iso(harness.Seed.Now.AddDays(5)));

        await EnforceAsync(harness, ban);
        var set = BlockGrace(Single(harness, IosPolicy));
        harness.Clock.Advance(TimeSpan.FromMinutes(30));
        var halfAnHourLater = await EnforceAsync(harness, ban);
        var kept = BlockGrace(Single(harness, IosPolicy));
        harness.Clock.Advance(TimeSpan.FromMinutes(40));
        var seventyMinutesLater = await EnforceAsync(harness, ban);

        Assert.Equal(120, set);
        Assert.Empty(halfAnHourLater.Writes);
        Assert.Equal(120, kept);
        Assert.Equal(2, seventyMinutesLater.Writes.Count(w => w.Action == ComplianceMechanism.ScheduleActions.Name));
        Assert.Equal(119, BlockGrace(Single(harness, IosPolicy)));
        Assert.Equal(119, BlockGrace(Single(harness, AndroidPolicy)));
    }

    [Fact]
    public async Task A_later_deadline_in_the_ban_list_moves_the_grace_of_the_same_policy()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await EnforceAsync(harness, Ban(harness));
        var id = Single(harness, IosPolicy).Id;

        await EnforceAsync(harness, Ban(harness, b => b["uninstallBy"] = Iso(harness.Seed.Now.AddDays(2))));

        var ios = Single(harness, IosPolicy);
        Assert.Equal((id, 48), (ios.Id, BlockGrace(ios)));
    }

    [Fact]
    public async Task A_changed_identifier_updates_the_restricted_apps_of_the_same_policy()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await EnforceAsync(harness, Ban(harness));
        var id = Single(harness, IosPolicy).Id;

        var report = await EnforceAsync(harness, Ban(harness, b => b["apps"]!["ios"] = new JsonArray("com.zhiliaoapp.musically", "com.ss.iphone.ugc.Ame")));

        var ios = Single(harness, IosPolicy);
        Assert.Equal(id, ios.Id);
        Assert.Equal(["com.ss.iphone.ugc.Ame", "com.zhiliaoapp.musically"], RestrictedAppIds(ios));
        Assert.Equal([ComplianceMechanism.UpdatePolicy.Name], report.Writes.Select(w => w.Action).Where(a => a.Contains("compliance")));
    }

    [Fact]
    public async Task Without_include_groups_the_policy_targets_all_devices_and_all_licensed_users_excluding_the_exclude_and_exemption_groups()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);

        await EnforceAsync(harness, Ban(harness));

        string[] expected = ["allDevicesAssignmentTarget", "allLicensedUsersAssignmentTarget", .. Exclusions(harness)];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Targets(Single(harness, IosPolicy)));
    }

    [Fact]
    public async Task Include_groups_replace_the_all_devices_target_of_the_same_policy_and_exclusions_stay()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var state = harness.Tenant.State;
        await EnforceAsync(harness, Ban(harness));
        var id = Single(harness, AndroidPolicy).Id;
        var finance = state.GroupByName("IBS Dept Finance").Id;

        await EnforceAsync(harness, Ban(harness, b => b["scope"]!["includeGroups"] = new JsonArray(finance)));

        var android = Single(harness, AndroidPolicy);
        Assert.Equal(id, android.Id);
        string[] expected = [.. Exclusions(harness), $"groupAssignmentTarget:{finance}"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Targets(android));
        Assert.DoesNotContain(Targets(android), t => t.StartsWith("all", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_exemption_group_becomes_an_exclusion_target_and_a_user_exempted_alone_goes_through_the_exemption_group()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var state = harness.Tenant.State;
        await EnforceAsync(harness, Ban(harness));
        var pilot = state.GroupByName("IBS Pilot Devices").Id;
        var user = state.Users[0].Id;

        await EnforceAsync(harness, Ban(harness, changeDocument: d =>
        {
            d["exemptions"]!.AsArray().Add(new JsonObject { ["id"] = "pilot", ["ban"] = "tiktok", ["group"] = pilot, ["justification"] = "Pilot", ["approvedBy"] = "CISO" });
            d["exemptions"]!.AsArray().Add(new JsonObject { ["id"] = "alex", ["ban"] = "tiktok", ["user"] = user, ["justification"] = "Press officer", ["approvedBy"] = "CISO" });
        }));

        var oneByOne = state.GroupByName("IntuneBanSync – TikTok – exempt");
        Assert.Equal([user], oneByOne.MemberIds);
        Assert.Contains($"exclusionGroupAssignmentTarget:{pilot}", Targets(Single(harness, IosPolicy)));
        Assert.Contains($"exclusionGroupAssignmentTarget:{oneByOne.Id}", Targets(Single(harness, IosPolicy)));
    }

    [Fact]
    public async Task A_look_alike_policy_with_the_same_name_is_never_touched_not_even_on_expiry()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        using var http = SimulatorGraph.Http();
        var lookAlike = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.iosCompliancePolicy",
            ["displayName"] = IosPolicy,
            ["restrictedApps"] = new JsonArray(new JsonObject { ["name"] = "Other", ["appId"] = "com.example.other" }),
            ["scheduledActionsForRule"] = new JsonArray(new JsonObject
            {
                ["ruleName"] = "PasswordRequired",
                ["scheduledActionConfigurations"] = new JsonArray(new JsonObject { ["actionType"] = "block", ["gracePeriodHours"] = 72 }),
            }),
        };
        var created = await http.PostAsJsonAsync($"{harness.Tenant.BetaUrl}/deviceManagement/deviceCompliancePolicies", lookAlike);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var group = harness.Tenant.State.GroupByName("IBS Dept Legal").Id;
        var assign = new JsonObject { ["assignments"] = new JsonArray(new JsonObject { ["target"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.groupAssignmentTarget", ["groupId"] = group } }) };
        (await http.PostAsJsonAsync($"{harness.Tenant.BetaUrl}/deviceManagement/deviceCompliancePolicies/{id}/assign", assign)).EnsureSuccessStatusCode();
        var before = Snapshot(harness, id);

        await EnforceAsync(harness, Ban(harness));
        var whileEnforced = Snapshot(harness, id);
        harness.Clock.Advance(TimeSpan.FromDays(151));
        await EnforceAsync(harness, Ban(harness));

        Assert.Equal(before, whileEnforced);
        Assert.Equal(before, Snapshot(harness, id));
        Assert.Equal(id, Assert.Single(Named(harness, IosPolicy)).Id);
    }

    [Fact]
    public async Task On_expiry_the_policies_are_unassigned_and_deleted_with_their_template()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await EnforceAsync(harness, Ban(harness));
        harness.Clock.Advance(TimeSpan.FromDays(151));

        var report = await EnforceAsync(harness, Ban(harness));

        Assert.True(report.Bans.Single().Enforcement!.WoundDown);
        Assert.Empty(Policies(harness));
        Assert.Empty(Templates(harness));
        Assert.Equal(2, report.Writes.Count(w => w.Action == ComplianceMechanism.UnassignPolicy.Name));
        var resources = await harness.Journal.GetBanResourcesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.All(resources!.Of(ComplianceMechanism.Id), r => Assert.NotNull(r.RetiredAt));
    }

    [Fact]
    public async Task A_ban_that_leaves_the_list_takes_its_policies_and_template_with_it()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await EnforceAsync(harness, Ban(harness));
        var other = Ban(harness, b => { b["id"] = "other"; b["name"] = "Other"; }, d => d["exemptions"] = new JsonArray());

        var report = await EnforceAsync(harness, other);

        Assert.Empty(Named(harness, IosPolicy));
        Assert.Empty(Named(harness, AndroidPolicy));
        Assert.DoesNotContain(Templates(harness), t => t.Text("displayName") == TemplateName);
        Assert.Contains(report.Writes, w => w.BanId == "tiktok" && w.Action == ComplianceMechanism.DeleteTemplate.Name);
    }

    [Theory]
    [InlineData("POST /beta/deviceManagement/notificationMessageTemplates ")]
    [InlineData("POST /beta/deviceManagement/deviceCompliancePolicies ")]
    public async Task A_crash_right_after_a_create_is_reconciled_without_creating_it_again(string create)
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        // Right after the first such create, whatever the mechanism running beside the compliance policies had sent by then.
        var recorder = new WriteRecorder(crashAfter: 1, counts: w => w.StartsWith(create, StringComparison.Ordinal));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.EnforceAsync(harness.EnforceBan(), recorder));
        recorder.CrashAfter = null;
        var recovered = await harness.EnforceAsync(harness.EnforceBan(), recorder);

        Assert.Equal(SweepStatus.Completed, recovered.Status);
        var creates = create.Contains("Policies", StringComparison.Ordinal) ? 2 : 1;
        Assert.Equal(creates, recorder.Writes.Count(w => w.StartsWith(create, StringComparison.Ordinal)));
        Assert.Single(Named(harness, IosPolicy));
        Assert.Single(Named(harness, AndroidPolicy));
        Assert.Single(Templates(harness));
        var resources = await harness.Journal.GetBanResourcesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.Contains(resources!.Live(ComplianceMechanism.Id, ComplianceMechanism.Policy), r => r.GraphId == Single(harness, IosPolicy).Id);
        Assert.Contains(resources.Live(ComplianceMechanism.Id, ComplianceMechanism.Template), r => r.GraphId == Templates(harness)[0].Id);
    }

    private static TenantSimulator.PolicyEntity Single(SweepHarness harness, string name) => Assert.Single(Named(harness, name));

    private static string Snapshot(SweepHarness harness, string id)
    {
        var policy = Policies(harness).Single(p => p.Id == id);
        return policy.Body.ToJsonString() + string.Join(",", policy.Assignments.Select(a => a.ToJsonString()));
    }
}
