namespace IntuneBanSync.IntegrationTests.Enforcement.Uninstall;

/// <summary>GraphUninstall against the simulated tenant, whose members come seven to a page so that paging is exercised.</summary>
public sealed class GraphUninstallTests : SimulatorTests
{
    private const string TikTokBundleId = "com.zhiliaoapp.musically";
    private const string AllStaff = "IBS All Staff";
    private const string Police = "IBS Police";
    private const string PilotDevices = "IBS Pilot Devices";

    [Fact]
    public async Task Catalog_apps_of_ios_kind_hold_the_seeded_TikTok_with_its_bundle_id()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);

        var apps = await graph.CatalogAppsAsync(CatalogAppKind.IosStoreApp, default);

        Assert.All(apps, app => Assert.Equal(CatalogAppKind.IosStoreApp, app.Kind));
        Assert.Contains(apps, app => app.Id == IosTikTok(tenant).Id && app.Identifier == TikTokBundleId);
        Assert.Equal(tenant.State.MobileApps.Count(a => a.ODataType == "iosStoreApp"), apps.Count);
    }

    [Fact]
    public async Task Adding_an_uninstall_assignment_keeps_the_existing_available_assignment()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        var tikTok = IosTikTok(tenant);
        var allStaff = tenant.State.GroupByName(AllStaff).Id;
        var pilot = tenant.State.GroupByName(PilotDevices).Id;

        var added = await graph.AddGroupAssignmentAsync(tikTok.Id, pilot, "uninstall", default);
        var assignments = await graph.AssignmentsAsync(tikTok.Id, default);

        Assert.Equal(new AppAssignmentInfo(added.Id, "uninstall", pilot), added);
        Assert.Equal(
            [("available", allStaff), ("uninstall", pilot)],
            assignments.Select(a => (a.Intent, a.GroupId)).Select(a => (a.Intent, a.GroupId!)));
        Assert.Equal(0, tenant.Requests.ByKind.GetValueOrDefault("POST deviceAppManagement/mobileApps/{id}/assign"));
    }

    [Fact]
    public async Task A_group_excluded_from_an_assignment_reads_as_excluded_not_as_given_the_intent()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var options = new GraphOptions { BaseUrl = tenant.GraphUrl, RetryDelaySeconds = 0 };
        var client = GraphClientBuilder.Create(options);
        var tikTok = IosTikTok(tenant);
        var police = tenant.State.GroupByName(Police).Id;
        await client.DeviceAppManagement.MobileApps[tikTok.Id].Assignments.PostAsync(new Microsoft.Graph.Models.MobileAppAssignment
        {
            Intent = Microsoft.Graph.Models.InstallIntent.Available,
            Target = new Microsoft.Graph.Models.ExclusionGroupAssignmentTarget { GroupId = police },
        });

        var assignments = await new GraphUninstall(client, options).AssignmentsAsync(tikTok.Id, default);

        var exclusion = Assert.Single(assignments, a => a.GroupId == police);
        Assert.Equal(("available", true), (exclusion.Intent, exclusion.Excludes));
        Assert.All(assignments.Where(a => a.GroupId != police), a => Assert.False(a.Excludes));
    }

    [Fact]
    public async Task A_second_assignment_for_the_same_group_is_refused_with_400()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        var tikTok = IosTikTok(tenant);
        var allStaff = tenant.State.GroupByName(AllStaff).Id;

        var error = await Assert.ThrowsAsync<GraphWriteException>(() => graph.AddGroupAssignmentAsync(tikTok.Id, allStaff, "uninstall", default));

        Assert.Equal(400, error.Status);
        Assert.Equal(["available"], IosTikTok(tenant).Assignments.Select(a => a.Intent));
    }

    [Fact]
    public async Task An_unknown_intent_is_rejected_before_any_request()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        var pilot = tenant.State.GroupByName(PilotDevices).Id;

        await Assert.ThrowsAsync<ArgumentException>(() => graph.AddGroupAssignmentAsync(IosTikTok(tenant).Id, pilot, "remove", default));

        Assert.Equal(0, tenant.Requests.Writes);
    }

    [Fact]
    public async Task Deleting_an_assignment_answers_true_then_false_once_it_is_gone()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        var tikTok = IosTikTok(tenant);
        var added = await graph.AddGroupAssignmentAsync(tikTok.Id, tenant.State.GroupByName(PilotDevices).Id, "uninstall", default);

        var first = await graph.DeleteAssignmentAsync(tikTok.Id, added.Id, default);
        var second = await graph.DeleteAssignmentAsync(tikTok.Id, added.Id, default);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal([tikTok.Assignments[0].Id], IosTikTok(tenant).Assignments.Select(a => a.Id));
    }

    [Fact]
    public async Task A_created_ios_store_app_is_found_by_its_bundle_id()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);

        var created = await graph.CreateCatalogAppAsync(CatalogAppKind.IosStoreApp, "TikTok Lite", "com.example.lite", default);
        var apps = await graph.CatalogAppsAsync(CatalogAppKind.IosStoreApp, default);

        Assert.Equal(new CatalogApp(created.Id, CatalogAppKind.IosStoreApp, "TikTok Lite", "com.example.lite"), Assert.Single(apps, a => a.Id == created.Id));
        Assert.Equal("IntuneBanSync", tenant.State.MobileApps.Single(a => a.Id == created.Id).Publisher);
    }

    [Fact]
    public async Task A_created_android_store_app_takes_its_package_id_from_the_store_url()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);

        var created = await graph.CreateCatalogAppAsync(CatalogAppKind.AndroidStoreApp, "TikTok Lite", "com.zhiliaoapp.musically.go", default);
        var apps = await graph.CatalogAppsAsync(CatalogAppKind.AndroidStoreApp, default);

        var app = tenant.State.MobileApps.Single(a => a.Id == created.Id);
        Assert.Equal(("androidStoreApp", "com.zhiliaoapp.musically.go"), (app.ODataType, app.PackageId));
        Assert.Equal("https://play.google.com/store/apps/details?id=com.zhiliaoapp.musically.go", app.AppStoreUrl);
        Assert.Equal("com.zhiliaoapp.musically.go", Assert.Single(apps, a => a.Id == created.Id).Identifier);
    }

    [Fact]
    public async Task A_created_winget_app_is_made_on_beta_and_found_by_its_package_identifier()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);

        var created = await graph.CreateCatalogAppAsync(CatalogAppKind.WinGetApp, "TikTok", "9NH2GPH4JZS4", default);
        var apps = await graph.CatalogAppsAsync(CatalogAppKind.WinGetApp, default);

        var app = tenant.State.MobileApps.Single(a => a.Id == created.Id);
        Assert.Equal(("winGetApp", "9NH2GPH4JZS4"), (app.ODataType, app.PackageIdentifier));
        Assert.Equal(new CatalogApp(created.Id, CatalogAppKind.WinGetApp, "TikTok", "9NH2GPH4JZS4"), Assert.Single(apps, a => a.Id == created.Id));
        Assert.All(apps, a => Assert.Equal("winGetApp", tenant.State.MobileApps.Single(m => m.Id == a.Id).ODataType));
    }

    [Fact]
    public async Task Managed_Google_Play_apps_cannot_be_created()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);

        var error = await Assert.ThrowsAsync<NotSupportedException>(
            () => graph.CreateCatalogAppAsync(CatalogAppKind.AndroidManagedStoreApp, "TikTok", TikTokBundleId, default));

        Assert.Contains("approved and synced", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, tenant.Requests.Writes);
    }

    [Fact]
    public async Task A_group_is_found_by_its_exact_name_only()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);

        var police = await graph.FindGroupByNameAsync(Police, default);
        var otherCase = await graph.FindGroupByNameAsync(Police.ToUpperInvariant(), default);
        var quoted = await graph.FindGroupByNameAsync("IBS O'Police", default);

        Assert.Equal(tenant.State.GroupByName(Police).Id, police);
        Assert.Null(otherCase);
        Assert.Null(quoted);
    }

    [Fact]
    public async Task A_created_security_group_is_found_by_name_and_has_no_members()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);

        var id = await graph.CreateSecurityGroupAsync("IBS Uninstall TikTok", "Devices IntuneBanSync uninstalls TikTok from", default);

        Assert.Equal(id, await graph.FindGroupByNameAsync("IBS Uninstall TikTok", default));
        Assert.Empty(await graph.DirectMemberIdsAsync(id, default));
    }

    [Fact]
    public async Task Adding_45_devices_takes_three_patches_and_all_are_done()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        var group = await graph.CreateSecurityGroupAsync("IBS Uninstall TikTok", "", default);
        var devices = tenant.State.EntraDevices.Take(45).Select(d => d.Id).ToList();
        tenant.Requests.Reset();

        var results = await graph.AddMembersAsync(group, devices, default);

        Assert.Equal(devices.Order(), results.Keys.Order());
        Assert.All(results.Values, change => Assert.Equal(MemberChange.Done, change));
        Assert.Equal(3, tenant.Requests.ByKind["PATCH groups/{id}"]);
        Assert.Equal(3, tenant.Requests.Writes);
        Assert.Equal(devices.ToHashSet(), (await graph.DirectMemberIdsAsync(group, default)).ToHashSet());
    }

    [Fact]
    public async Task A_chunk_with_a_member_already_present_falls_back_to_ref_and_reports_it_already_done()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        var group = await graph.CreateSecurityGroupAsync("IBS Uninstall TikTok", "", default);
        var devices = tenant.State.EntraDevices.Take(5).Select(d => d.Id).ToList();
        await graph.AddMembersAsync(group, [devices[2]], default);
        tenant.Requests.Reset();

        var results = await graph.AddMembersAsync(group, devices, default);

        Assert.Equal(MemberChange.AlreadyDone, results[devices[2]]);
        Assert.All(devices.Where((_, i) => i != 2), id => Assert.Equal(MemberChange.Done, results[id]));
        Assert.Equal(1, tenant.Requests.ByKind["PATCH groups/{id}"]);
        Assert.Equal(5, tenant.Requests.ByKind["POST groups/{id}/members/$ref"]);
        Assert.Equal(devices.ToHashSet(), (await graph.DirectMemberIdsAsync(group, default)).ToHashSet());
    }

    [Fact]
    public async Task A_missing_object_is_reported_not_found_and_the_rest_are_added()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        var group = await graph.CreateSecurityGroupAsync("IBS Uninstall TikTok", "", default);
        var devices = tenant.State.EntraDevices.Take(3).Select(d => d.Id).ToList();
        var missing = Guid.NewGuid().ToString();

        var results = await graph.AddMembersAsync(group, [devices[0], missing, devices[1], devices[2]], default);

        Assert.Equal(MemberOutcome.NotFound, results[missing].Outcome);
        Assert.All(devices, id => Assert.Equal(MemberChange.Done, results[id]));
        Assert.Equal(devices.ToHashSet(), (await graph.DirectMemberIdsAsync(group, default)).ToHashSet());
    }

    [Fact]
    public async Task A_patch_refused_for_another_reason_reports_its_members_failed_without_ref_fallback()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        var group = await graph.CreateSecurityGroupAsync("IBS Uninstall TikTok", "", default);
        var devices = tenant.State.EntraDevices.Take(3).Select(d => d.Id).ToList();
        tenant.Faults.FailPath(@"^groups/[^/]+$", 403);
        tenant.Requests.Reset();

        var results = await graph.AddMembersAsync(group, devices, default);

        Assert.All(devices, id => Assert.Equal(MemberOutcome.Failed, results[id].Outcome));
        Assert.Contains("403", results[devices[0]].Detail, StringComparison.Ordinal);
        Assert.Equal(0, tenant.Requests.ByKind.GetValueOrDefault("POST groups/{id}/members/$ref"));
    }

    [Fact]
    public async Task Removing_a_member_twice_is_done_then_already_done()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        var group = await graph.CreateSecurityGroupAsync("IBS Uninstall TikTok", "", default);
        var device = tenant.State.EntraDevices[0].Id;
        await graph.AddMembersAsync(group, [device], default);

        var first = await graph.RemoveMemberAsync(group, device, default);
        var second = await graph.RemoveMemberAsync(group, device, default);

        Assert.Equal(MemberChange.Done, first);
        Assert.Equal(MemberChange.AlreadyDone, second);
        Assert.Empty(await graph.DirectMemberIdsAsync(group, default));
    }

    [Fact]
    public async Task Entra_object_ids_are_found_15_a_request_in_one_batch_and_an_unknown_device_is_left_out()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        var known = tenant.State.EntraDevices.Take(40).ToList();
        var unknown = Guid.NewGuid().ToString();

        var found = await graph.EntraDeviceObjectIdsAsync([.. known.Select(d => d.DeviceId.ToUpperInvariant()), unknown], default);

        Assert.Equal(known.ToDictionary(d => d.DeviceId, d => d.Id), found.ToDictionary(f => f.Key.ToLowerInvariant(), f => f.Value));
        Assert.False(found.ContainsKey(unknown));
        Assert.Equal(1, tenant.Requests.Batches);
        Assert.Equal(3, tenant.Requests.ByKind["GET devices"]);
    }

    [Fact]
    public async Task A_device_id_that_is_not_a_guid_is_rejected_before_any_request()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);

        await Assert.ThrowsAsync<ArgumentException>(() => graph.EntraDeviceObjectIdsAsync(["x' or deviceId ne 'y"], default));

        Assert.Equal(0, tenant.Requests.Reads);
    }

    [Fact]
    public async Task Devices_are_asked_to_check_in_20_a_batch_each_counted_as_a_write()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        var devices = tenant.State.ManagedDevices.Take(25).Select((d, i) => ($"w{i}", d.Id)).ToList();

        var answers = await graph.SyncDevicesAsync(devices, default);

        Assert.All(devices, d => Assert.True(answers[d.Item1].Done));
        Assert.Equal(25, tenant.Requests.Writes);
        Assert.Equal(2, tenant.Requests.Batches);
        Assert.Equal(25, tenant.Requests.ByKind["POST deviceManagement/managedDevices/{id}/syncDevice"]);
    }

    [Fact]
    public async Task A_refused_check_in_is_answered_with_its_status_and_the_service_message()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        var device = tenant.State.ManagedDevices[0].Id;
        tenant.Faults.FailPath("deviceManagement/managedDevices", 403);

        var answer = (await graph.SyncDevicesAsync([("w", device)], default))["w"];

        Assert.False(answer.Done);
        Assert.Equal(403, answer.Status);
        Assert.StartsWith("HTTP 403", answer.Detail);
    }

    [Fact]
    public async Task Members_that_cannot_be_read_after_retries_raise_GraphReadException()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant, maxRetry: 2);
        var police = tenant.State.GroupByName(Police).Id;
        tenant.Faults.FailPath("groups", 503);

        var error = await Assert.ThrowsAsync<GraphReadException>(() => graph.DirectMemberIdsAsync(police, default));

        Assert.Contains(police, error.What, StringComparison.Ordinal);
        Assert.Equal(3, tenant.Requests.Faults);
    }

    [Fact]
    public async Task A_cancelled_read_is_cancelled_not_a_read_failure()
    {
        var tenant = await StartAsync(options: SmallMemberPages);
        var graph = Enforcement(tenant);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => graph.DirectMemberIdsAsync(tenant.State.GroupByName(Police).Id, cancelled.Token));
    }

    private static SimulatorOptions SmallMemberPages => new() { TimeFactor = 0.01, MembersPageSize = 7 };

    private static GraphUninstall Enforcement(SimulatedTenant tenant, int maxRetry = 10)
    {
        var options = new GraphOptions { BaseUrl = tenant.GraphUrl, RetryDelaySeconds = 0, MaxRetry = maxRetry };
        return new GraphUninstall(GraphClientBuilder.Create(options), options);
    }

    private static TenantSimulator.MobileApp IosTikTok(SimulatedTenant tenant) =>
        tenant.State.MobileApps.Single(a => a.ODataType == "iosStoreApp" && a.BundleId == TikTokBundleId);
}
