namespace IntuneBanSync.IntegrationTests.Enforcement.Remediation;

/// <summary>The Windows remediation against the simulated tenant (real SDK over HTTP) and a journal in Azurite.</summary>
public sealed class WindowsRemediationTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    private const string ScriptName = "IntuneBanSync – TikTok – remediation";
    private const string Scripts = "deviceHealthScripts";
    private const string OnDemand = "POST deviceManagement/managedDevices/{id}/initiateOnDemandProactiveRemediation";

    [Fact]
    public async Task Enforce_creates_one_remediation_with_the_generated_scripts_run_as_system_in_64_bit()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var banList = harness.EnforceBan();

        await harness.EnforceAsync(banList);

        var script = Assert.Single(harness.Tenant.State.Policies.Of(Scripts));
        var expected = RemediationScripts.For(banList.Bans.Single());
        Assert.Equal(ScriptName, script.Text("displayName"));
        Assert.Equal(expected.Detection, Decoded(script.Text("detectionScriptContent")));
        Assert.Equal(expected.Remediation, Decoded(script.Text("remediationScriptContent")));
        Assert.Equal("system", script.Text("runAsAccount"));
        Assert.False(script.Body["enforceSignatureCheck"]!.GetValue<bool>());
        Assert.False(script.Body["runAs32Bit"]!.GetValue<bool>());
        var resources = await harness.Journal.GetBanResourcesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.Equal(script.Id, Assert.Single(resources!.Live(WindowsRemediation.Id, WindowsRemediation.Script)).GraphId);
    }

    [Fact]
    public async Task The_remediation_runs_hourly_on_the_bans_scope_narrowed_to_company_devices_and_excludes_its_exclusions()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);

        await harness.EnforceAsync(harness.EnforceBan());

        var state = harness.Tenant.State;
        var filter = Assert.Single(state.Policies.Of("assignmentFilters"));
        Assert.Equal(("windows10AndLater", "(device.deviceOwnership -eq \"Corporate\")"), (filter.Text("platform"), filter.Text("rule")));
        var assignments = Ours(harness).Assignments;
        var includes = assignments.Where(a => Type(a) != "exclusionGroupAssignmentTarget").ToList();
        Assert.Equal(["allDevicesAssignmentTarget", "allLicensedUsersAssignmentTarget"], includes.Select(Type).Order());
        Assert.All(includes, a =>
        {
            Assert.Equal((filter.Id, "include"), (a["target"]!["deviceAndAppManagementAssignmentFilterId"]!.GetValue<string>(), a["target"]!["deviceAndAppManagementAssignmentFilterType"]!.GetValue<string>()));
            Assert.True(a["runRemediationScript"]!.GetValue<bool>());
            Assert.Equal(("#microsoft.graph.deviceHealthScriptHourlySchedule", 1), (a["runSchedule"]!["@odata.type"]!.GetValue<string>(), a["runSchedule"]!["interval"]!.GetValue<int>()));
        });
        Assert.Equal(
            new[] { state.GroupByName("IBS Police").Id, state.GroupByName("IBS TikTok Exemptions").Id }.Order(),
            assignments.Where(a => Type(a) == "exclusionGroupAssignmentTarget").Select(a => a["target"]!["groupId"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task With_include_groups_the_remediation_targets_those_groups_and_never_all_devices()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var include = harness.Tenant.State.Groups.First(g => g.DisplayName.StartsWith("IBS Dept", StringComparison.Ordinal)).Id;

        await harness.EnforceAsync(BanList(harness, ban => ban["scope"]!["includeGroups"] = new JsonArray(include)));

        var includes = Ours(harness).Assignments.Where(a => Type(a) != "exclusionGroupAssignmentTarget").ToList();
        var only = Assert.Single(includes);
        Assert.Equal(("groupAssignmentTarget", include), (Type(only), only["target"]!["groupId"]!.GetValue<string>()));
        Assert.NotNull(only["target"]!["deviceAndAppManagementAssignmentFilterId"]);
    }

    [Fact]
    public async Task A_user_installed_TikTok_on_a_company_windows_device_ends_removed_and_resolved_with_the_run_state_proving_it()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var device = UserInstalledCompanyWindowsDevice(harness);

        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.CheckInAll();
        harness.Clock.Advance(TimeSpan.FromHours(1));
        await harness.EnforceAsync(harness.EnforceBan());

        Assert.DoesNotContain(harness.Tenant.State.ManagedDeviceById(device.Id).InstalledApps, IsTikTok);
        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        var final = states[device.Id];
        Assert.Equal(LifecycleState.Resolved, final.State);
        var removed = Assert.Single(final.Reaches!, r => r.Mechanism == WindowsRemediation.Id);
        Assert.Equal((Reach.Removed, WindowsRemediation.RouteLabel), (removed.Reach, removed.Route));
        Assert.Contains("the remediation removed it", removed.Reason, StringComparison.Ordinal);
        // The hourly run at check-in finds nothing left.
        Assert.Equal(("success", "skipped"), Run(harness, device.Id));
    }

    [Fact]
    public async Task A_device_whose_on_demand_run_was_refused_is_removed_by_the_hourly_run_and_resolved_with_the_run_state_proving_it()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var device = UserInstalledCompanyWindowsDevice(harness);
        harness.Tenant.Faults.FailPath($"deviceManagement/managedDevices/{device.Id}/initiateOnDemandProactiveRemediation", 400);

        await harness.EnforceAsync(harness.EnforceBan());
        var refused = (await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None))[device.Id];
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.CheckIn(device.Id);
        var hourly = Run(harness, device.Id);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(Reach.Failed, Assert.Single(refused.Reaches!, r => r.Mechanism == WindowsRemediation.Id).Reach);
        Assert.Equal(("fail", "success"), hourly);
        var final = (await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None))[device.Id];
        Assert.Equal(LifecycleState.Resolved, final.State);
        Assert.Equal(Reach.Removed, Assert.Single(final.Reaches!, r => r.Mechanism == WindowsRemediation.Id).Reach);
    }

    [Fact]
    public async Task The_on_demand_run_is_sent_once_per_newly_offending_device_and_not_again_on_the_next_sweep()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var device = UserInstalledCompanyWindowsDevice(harness);
        harness.Tenant.Remediations.FailOn(device.Id, "Remove-AppxPackage: Access is denied");

        var first = await harness.EnforceAsync(harness.EnforceBan());
        var sentFirst = OnDemandRuns(harness);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal((await OffendingCompanyWindowsAsync(harness, first.RunId)).Count, sentFirst);
        Assert.Equal(sentFirst, OnDemandRuns(harness));
        var audit = await harness.Journal.GetAuditAsync("contoso", "tiktok", CancellationToken.None);
        Assert.Single(audit, e => e.Intent.Action == WindowsRemediation.RunOnDemand && e.Intent.DeviceId == device.Id);
        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        var reach = Assert.Single(states[device.Id].Reaches!, r => r.Mechanism == WindowsRemediation.Id);
        Assert.Equal(Reach.Failed, reach.Reach);
        Assert.Contains("Access is denied", reach.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Personal_windows_devices_are_never_reached_by_the_remediation()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var personal = harness.Tenant.State.ManagedDevices.Where(d => d.OperatingSystem == "Windows" && d.Ownership == "personal" && d.InstalledApps.Any(IsTikTok)).ToList();

        await harness.EnforceAsync(harness.EnforceBan());
        harness.Tenant.CheckInAll();

        Assert.NotEmpty(personal);
        Assert.NotEmpty(harness.Tenant.Remediations.Runs);
        Assert.All(harness.Tenant.Remediations.Runs, r => Assert.Equal("company", harness.Tenant.State.ManagedDeviceById(r.DeviceId).Ownership));
        Assert.All(personal, d => Assert.Equal(
            d.InstalledApps.Count(a => IsTikTok(a) && a.Source == AppSource.User),
            harness.Tenant.State.ManagedDeviceById(d.Id).InstalledApps.Count(a => IsTikTok(a) && a.Source == AppSource.User)));
    }

    [Fact]
    public async Task A_second_sweep_with_nothing_changed_writes_nothing_to_the_remediation()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await harness.EnforceAsync(harness.EnforceBan());
        harness.Tenant.Requests.Reset();

        var second = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Writes);
        Assert.DoesNotContain(second.Writes, w => w.Action.Contains("remediation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_identifier_rewrites_the_scripts_in_place_and_a_new_exclude_group_changes_only_the_assignment()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await harness.EnforceAsync(harness.EnforceBan());
        var before = Ours(harness);
        var extra = harness.Tenant.State.Groups.First(g => g.DisplayName.StartsWith("IBS Dept", StringComparison.Ordinal)).Id;

        var renamed = await harness.EnforceAsync(BanList(harness, ban => ban["apps"]!["windows"] = new JsonArray("9NH2GPH4JZS4", "BytedancePte.Ltd.TikTok")));
        var afterIdentifier = Ours(harness);
        var excluded = await harness.EnforceAsync(BanList(harness, ban =>
        {
            ban["apps"]!["windows"] = new JsonArray("9NH2GPH4JZS4", "BytedancePte.Ltd.TikTok");
            ((JsonArray)ban["scope"]!["excludeGroups"]!).Add(extra);
        }));
        var afterGroup = Ours(harness);

        Assert.Equal(before.Id, afterGroup.Id);
        Assert.Equal([WindowsRemediation.UpdateScript.Name], renamed.Writes.Where(w => w.Action.Contains("remediation", StringComparison.Ordinal)).Select(w => w.Action));
        Assert.Contains("BytedancePte.Ltd.TikTok", Decoded(afterIdentifier.Text("detectionScriptContent")), StringComparison.Ordinal);
        Assert.Equal(before.Assignments, afterIdentifier.Assignments);
        Assert.Equal([WindowsRemediation.AssignScript.Name], excluded.Writes.Where(w => w.Action.Contains("remediation", StringComparison.Ordinal)).Select(w => w.Action));
        Assert.Equal(afterIdentifier.Text("detectionScriptContent"), afterGroup.Text("detectionScriptContent"));
        Assert.Contains(afterGroup.Assignments, a => Type(a) == "exclusionGroupAssignmentTarget" && a["target"]!["groupId"]!.GetValue<string>() == extra);
    }

    [Fact]
    public async Task A_look_alike_remediation_someone_else_made_is_never_touched()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var lookAlike = await CreateLookAlikeAsync(harness);

        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromDays(151));
        await harness.EnforceAsync(harness.EnforceBan());

        var still = Assert.Single(harness.Tenant.State.Policies.Of(Scripts));
        Assert.Equal(lookAlike.Id, still.Id);
        Assert.Equal(lookAlike.Body.ToJsonString(), still.Body.ToJsonString());
        Assert.Empty(still.Assignments);
    }

    [Fact]
    public async Task On_expiry_the_remediation_is_unassigned_and_deleted_and_retired_from_the_ledger()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await harness.EnforceAsync(harness.EnforceBan());
        var id = Ours(harness).Id;
        harness.Clock.Advance(TimeSpan.FromDays(151));

        var report = await harness.EnforceAsync(harness.EnforceBan());

        Assert.True(report.Bans.Single().Enforcement!.WoundDown);
        Assert.Empty(harness.Tenant.State.Policies.Of(Scripts));
        Assert.Equal(
            [WindowsRemediation.AssignScript.Name, WindowsRemediation.DeleteScript.Name],
            report.Writes.Where(w => w.Target.Contains(id, StringComparison.Ordinal)).Select(w => w.Action));
        var resources = await harness.Journal.GetBanResourcesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.NotNull(Assert.Single(resources!.Of(WindowsRemediation.Id), r => r.Kind == WindowsRemediation.Script).RetiredAt);
    }

    [Fact]
    public async Task When_the_ban_leaves_the_list_its_remediation_is_deleted()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await harness.EnforceAsync(harness.EnforceBan());

        var report = await harness.EnforceAsync(OtherBanOnly(harness));

        Assert.DoesNotContain(harness.Tenant.State.Policies.Of(Scripts), p => p.Text("displayName") == ScriptName);
        Assert.Contains(report.Writes, w => w.BanId == "tiktok" && w.Action == WindowsRemediation.DeleteScript.Name);
    }

    [Fact]
    public async Task A_403_stops_the_remediation_naming_its_permissions_while_the_uninstall_goes_on()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);

        var report = await harness.EnforceRefusedAsync(GraphPermissions.ScriptsReadWrite);

        var stopped = SweepHarness.AssertStopped(report, "remediation", GraphPermissions.ScriptsReadWrite);
        Assert.Contains("403", stopped, StringComparison.Ordinal);
        Assert.Empty(harness.Tenant.State.Policies.Of(Scripts));
        Assert.Contains(harness.Tenant.State.Groups, g => g.DisplayName == "IntuneBanSync – TikTok – uninstall");
    }

    [Fact]
    public async Task After_a_crash_right_after_the_create_the_next_sweep_adopts_the_remediation_and_never_creates_a_second()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var crash = new CrashAfter(request => request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith($"/deviceManagement/{Scripts}", StringComparison.Ordinal));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.EnforceAsync(harness.EnforceBan(), crash));
        crash.Armed = false;
        var recovered = await harness.EnforceAsync(harness.EnforceBan(), crash);

        Assert.Equal(SweepStatus.Completed, recovered.Status);
        var script = Assert.Single(harness.Tenant.State.Policies.Of(Scripts));
        Assert.Equal(1, crash.Matched);
        Assert.NotEmpty(script.Assignments);
        var resources = await harness.Journal.GetBanResourcesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.Equal(script.Id, Assert.Single(resources!.Live(WindowsRemediation.Id, WindowsRemediation.Script)).GraphId);
        var audit = await harness.Journal.GetAuditAsync("contoso", "tiktok", CancellationToken.None);
        Assert.Equal(WriteResult.Done, Assert.Single(audit, e => e.Intent.Action == WindowsRemediation.CreateScript).Outcome?.Result);
    }

    [Fact]
    public async Task After_a_crash_before_the_create_reached_graph_a_look_alike_made_earlier_is_not_mistaken_for_ours()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var lookAlike = await CreateLookAlikeAsync(harness);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        var crash = new CrashAfter(request => request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith($"/deviceManagement/{Scripts}", StringComparison.Ordinal))
        {
            BeforeSending = true,
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.EnforceAsync(harness.EnforceBan(), crash));
        crash.Armed = false;
        await harness.EnforceAsync(harness.EnforceBan(), crash);

        var still = harness.Tenant.State.Policies.Of(Scripts).Single(p => p.Id == lookAlike.Id);
        Assert.Equal(lookAlike.Body.ToJsonString(), still.Body.ToJsonString());
        Assert.Empty(still.Assignments);
        Assert.NotEmpty(Ours(harness).Assignments);
        var audit = await harness.Journal.GetAuditAsync("contoso", "tiktok", CancellationToken.None);
        Assert.Equal(
            [WriteResult.Done, WriteResult.NotApplied],
            audit.Where(e => e.Intent.Action == WindowsRemediation.CreateScript).Select(e => e.Outcome!.Result).Order());
    }

    private static PolicyEntity Ours(SweepHarness harness) =>
        harness.Tenant.State.Policies.Of(Scripts).Single(p => p.Text("displayName") == ScriptName && p.Text("publisher") == "IntuneBanSync");

    private static string Type(JsonObject assignment) => assignment["target"]!["@odata.type"]!.GetValue<string>().Replace("#microsoft.graph.", "", StringComparison.Ordinal);

    private static string Decoded(string? base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64!));

    private static bool IsTikTok(InstalledApp app) => app.DisplayName.Trim().Equals("tiktok", StringComparison.OrdinalIgnoreCase);

    private static (string Detection, string Remediation) Run(SweepHarness harness, string deviceId)
    {
        var run = Assert.Single(harness.Tenant.Remediations.Runs, r => r.DeviceId == deviceId);
        return (run.DetectionState, run.RemediationState);
    }

    private static long OnDemandRuns(SweepHarness harness) => harness.Tenant.Requests.Snapshot().ByKind.GetValueOrDefault(OnDemand);

    /// <summary>A company Windows device with TikTok the user installed (the uninstall assignment cannot remove it), in the ban's scope.</summary>
    private static ManagedDevice UserInstalledCompanyWindowsDevice(SweepHarness harness)
    {
        var state = harness.Tenant.State;
        var outside = state.TransitiveMemberIds(state.GroupByName("IBS Police").Id).Concat(state.TransitiveMemberIds(state.GroupByName("IBS TikTok Exemptions").Id)).ToHashSet();
        return state.ManagedDevices.First(d =>
            d.OperatingSystem == "Windows" && d.Ownership == "company" && d.UserId is { } user && !outside.Contains(user)
            && harness.Seed.Now - d.LastSyncDateTime < TimeSpan.FromDays(7)
            && d.InstalledApps.Any(a => IsTikTok(a) && a.Source == AppSource.User));
    }

    private static async Task<List<string>> OffendingCompanyWindowsAsync(SweepHarness harness, string runId)
    {
        var offending = new List<string>();
        await foreach (var finding in harness.Journal.GetFindingsAsync("contoso", runId, CancellationToken.None))
        {
            var device = harness.Tenant.State.ManagedDeviceById(finding.DeviceId);
            if (finding.Decision == DecisionKind.Offending && device.OperatingSystem == "Windows" && device.Ownership == "company")
                offending.Add(finding.DeviceId);
        }

        return offending;
    }

    private static BanListDocument BanList(SweepHarness harness, Action<JsonNode> change)
    {
        var json = JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        change(json["bans"]![0]!);
        var parsed = BanListParser.Parse(json.ToJsonString());
        return parsed.Document ?? throw new InvalidOperationException(string.Join("; ", parsed.Errors));
    }

    /// <summary>The TikTok ban gone from the list; another ban, in report mode, in its place.</summary>
    private static BanListDocument OtherBanOnly(SweepHarness harness)
    {
        var json = JsonNode.Parse(harness.TikTokBanJson("report"))!;
        var ban = json["bans"]![0]!;
        ban["id"] = "wechat";
        ban["name"] = "WeChat";
        ban["apps"]!["displayNames"] = new JsonArray("WeChat");
        json["exemptions"] = new JsonArray();
        return BanListParser.Parse(json.ToJsonString()).Document!;
    }

    private static async Task<PolicyEntity> CreateLookAlikeAsync(SweepHarness harness)
    {
        using var http = SimulatorGraph.Http();
        var body = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceHealthScript",
            ["displayName"] = ScriptName,
            ["publisher"] = "Contoso IT",
            ["detectionScriptContent"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("exit 0")),
            ["remediationScriptContent"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("exit 0")),
            ["runAsAccount"] = "user",
        };
        using var created = await http.PostAsync($"{harness.Tenant.BetaUrl}/deviceManagement/{Scripts}", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return Assert.Single(harness.Tenant.State.Policies.Of(Scripts));
    }

    /// <summary>Passes requests to the tenant; the first matching one reaches it, then the process "dies" before reading the answer.</summary>
    private sealed class CrashAfter(Func<HttpRequestMessage, bool> matches) : DelegatingHandler(new HttpClientHandler())
    {
        public bool Armed { get; set; } = true;

        /// <summary>Die before the request leaves, rather than after its answer.</summary>
        public bool BeforeSending { get; init; }

        public int Matched { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (BeforeSending && Armed && matches(request))
                throw new OperationCanceledException("crash injected before the remediation was created");
            var response = await base.SendAsync(request, cancellationToken);
            if (!BeforeSending && matches(request))
            {
                Matched++;
                if (Armed)
                    throw new OperationCanceledException("crash injected after the remediation was created");
            }

            return response;
        }
    }
}
