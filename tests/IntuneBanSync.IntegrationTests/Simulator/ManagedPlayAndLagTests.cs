using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using GraphGroup = Microsoft.Graph.Models.Group;

namespace IntuneBanSync.IntegrationTests.Simulator;

/// <summary>
/// What a real tenant does that a first simulator did not: managed Google Play's approve-then-sync, a WinGet app that processes
/// before it takes assignments, a group that answers 404 while Entra replicates it, checkMemberGroups' 20 groups, $select.
/// </summary>
public sealed class ManagedPlayAndLagTests : SimulatorTests
{
    private const string Settings = "deviceManagement/androidManagedStoreAccountEnterpriseSettings";

    [Fact]
    public async Task Approved_packages_enter_the_catalog_only_after_a_sync_and_its_delay_with_no_assignment()
    {
        var clock = new FakeTimeProvider(TenantSeed.Small.Now);
        var tenant = await StartAsync(options: new SimulatorOptions { TimeProvider = clock, TimeFactor = 0.01, ManagedPlaySync = TimeSpan.FromHours(1) });

        using var approve = await PostAsync(Http, $"{tenant.BetaUrl}/{Settings}/approveApps", """{"packageIds":["app:com.zhiliaoapp.musically"],"approveAllPermissions":true}""");
        var afterApprove = await ManagedAppsAsync(Http, tenant);
        using var sync = await PostAsync(Http, $"{tenant.BetaUrl}/{Settings}/syncApps", null);
        var afterSync = await ManagedAppsAsync(Http, tenant);
        clock.Advance(TimeSpan.FromSeconds(36));
        var later = await ManagedAppsAsync(Http, tenant);

        Assert.Equal(HttpStatusCode.NoContent, approve.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, sync.StatusCode);
        Assert.DoesNotContain("com.zhiliaoapp.musically", afterApprove);
        Assert.DoesNotContain("com.zhiliaoapp.musically", afterSync);
        Assert.Contains("com.zhiliaoapp.musically", later);
        var app = tenant.State.MobileApps.Single(a => a.ODataType == "androidManagedStoreApp" && a.PackageId == "com.zhiliaoapp.musically");
        Assert.Equal(("TikTok", 0), (app.DisplayName, app.Assignments.Count));
    }

    [Theory]
    [InlineData("""{"packageIds":["com.zhiliaoapp.musically"]}""")]
    [InlineData("""{"packageIds":[]}""")]
    [InlineData("""{"approveAllPermissions":true}""")]
    [InlineData("""{"packageIds":["app:com.zhiliaoapp.musically"],"approveAllPermissions":"yes"}""")]
    public async Task An_approval_without_product_ids_of_the_form_app_package_is_refused(string body)
    {
        var tenant = await StartAsync();

        using var response = await PostAsync(Http, $"{tenant.BetaUrl}/{Settings}/approveApps", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(tenant.State.ManagedGooglePlay.Approved);
    }

    [Fact]
    public async Task An_unbound_tenant_says_so_and_refuses_approvals()
    {
        var tenant = await StartAsync(options: new SimulatorOptions { ManagedPlayBinding = IntuneBanSync.TenantSimulator.ManagedPlayBinding.NotBound });

        var settings = JsonNode.Parse(await Http.GetStringAsync($"{tenant.BetaUrl}/{Settings}"))!;
        using var approve = await PostAsync(Http, $"{tenant.BetaUrl}/{Settings}/approveApps", """{"packageIds":["app:com.zhiliaoapp.musically"]}""");

        Assert.Equal("notBound", settings["bindStatus"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, approve.StatusCode);
        Assert.Empty(tenant.State.ManagedGooglePlay.Approved);
    }

    [Fact]
    public async Task The_enterprise_settings_are_read_with_DeviceManagementConfiguration_and_approved_with_its_ReadWrite()
    {
        var tenant = await StartAsync();
        using var reader = SimulatorGraph.Http(new IntuneBanSync.Graph.LoopbackCredential(["DeviceManagementConfiguration.Read.All"]));

        using var read = await reader.GetAsync($"{tenant.BetaUrl}/{Settings}");
        using var approve = await PostAsync(reader, $"{tenant.BetaUrl}/{Settings}/approveApps", """{"packageIds":["app:com.zhiliaoapp.musically"]}""");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Contains("DeviceManagementConfiguration.ReadWrite.All", await approve.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_managed_Google_Play_uninstall_removes_the_managed_profile_copy_whoever_installed_it_and_never_the_personal_profile_one()
    {
        var tenant = await StartAsync(devices: 300);
        var fullyManagedUser = DeviceWith(tenant, AndroidMode.FullyManaged, "com.whatsapp", AppSource.User);
        var corporateUser = DeviceWith(tenant, AndroidMode.CorporateWorkProfile, "com.whatsapp", AppSource.User);
        var personalUser = DeviceWith(tenant, AndroidMode.PersonalWorkProfile, "com.whatsapp", AppSource.User);
        var corporateManaged = DeviceWith(tenant, AndroidMode.CorporateWorkProfile, "com.microsoft.teams", AppSource.Managed);
        var personalManaged = DeviceWith(tenant, AndroidMode.PersonalWorkProfile, "com.microsoft.teams", AppSource.Managed);
        var administrator = DeviceWith(tenant, AndroidMode.DeviceAdministrator, "com.microsoft.teams", AppSource.Managed);
        var devices = new[] { fullyManagedUser, corporateUser, personalUser, corporateManaged, personalManaged, administrator };
        using var _ = await PostAsync(Http, $"{tenant.BetaUrl}/{Settings}/approveApps", """{"packageIds":["app:com.whatsapp","app:com.microsoft.teams"]}""");
        using var __ = await PostAsync(Http, $"{tenant.BetaUrl}/{Settings}/syncApps", null);
        var group = await Client.Groups.PostAsync(new GraphGroup { DisplayName = "AE uninstall", MailEnabled = false, SecurityEnabled = true, MailNickname = "aeuninstall" });
        await Client.Groups[group!.Id].PatchAsync(new GraphGroup
        {
            AdditionalData = new Dictionary<string, object> { ["members@odata.bind"] = devices.Select(d => SimulatorGraph.DirectoryObjectUrl(EntraId(tenant, d))).ToList() },
        });
        foreach (var app in tenant.State.MobileApps.Where(a => a.ODataType == "androidManagedStoreApp" && a.PackageId is "com.whatsapp" or "com.microsoft.teams"))
            await Client.DeviceAppManagement.MobileApps[app.Id].Assignments.PostAsync(new MobileAppAssignment { Intent = InstallIntent.Uninstall, Target = new GroupAssignmentTarget { GroupId = group.Id } });

        tenant.CheckInAll();

        Assert.False(Has(tenant, fullyManagedUser, "com.whatsapp"), "fully managed: every copy goes");
        Assert.False(Has(tenant, corporateManaged, "com.microsoft.teams"), "corporate work profile: the work profile's copy goes");
        Assert.False(Has(tenant, personalManaged, "com.microsoft.teams"), "personal work profile: the work profile's copy goes");
        Assert.True(Has(tenant, corporateUser, "com.whatsapp"), "corporate work profile: the personal profile's copy stays");
        Assert.True(Has(tenant, personalUser, "com.whatsapp"), "personal work profile: the personal profile's copy stays");
        Assert.True(Has(tenant, administrator, "com.microsoft.teams"), "a device administrator device takes no managed Google Play app");
    }

    [Fact]
    public async Task A_WinGet_app_processes_before_it_takes_an_assignment_and_the_refusal_has_the_app_service_shape()
    {
        var clock = new FakeTimeProvider(TenantSeed.Small.Now);
        var tenant = await StartAsync(options: new SimulatorOptions { TimeProvider = clock, TimeFactor = 0.01, WinGetPublishing = TimeSpan.FromHours(1) });
        var group = tenant.State.GroupByName("IBS Pilot Devices").Id;
        using var created = await PostAsync(Http, $"{tenant.BetaUrl}/deviceAppManagement/mobileApps",
            """{"@odata.type":"#microsoft.graph.winGetApp","displayName":"TikTok","publisher":"IntuneBanSync","packageIdentifier":"9NH2GPH4JZS4"}""");
        var app = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var assignment = $$$"""{"intent":"uninstall","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"{{{group}}}"}}""";

        using var early = await PostAsync(Http, $"{tenant.GraphUrl}/deviceAppManagement/mobileApps/{app["id"]}/assignments", assignment);
        clock.Advance(TimeSpan.FromSeconds(36));
        var published = JsonNode.Parse(await Http.GetStringAsync($"{tenant.GraphUrl}/deviceAppManagement/mobileApps/{app["id"]}"))!;
        using var later = await PostAsync(Http, $"{tenant.GraphUrl}/deviceAppManagement/mobileApps/{app["id"]}/assignments", assignment);

        Assert.Equal("processing", app["publishingState"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        var message = JsonNode.Parse(await early.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>();
        Assert.Contains("app's PublishingState is not 'Published'", JsonNode.Parse(message)!["Message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("published", published["publishingState"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
    }

    [Fact]
    public async Task A_group_created_a_moment_ago_answers_404_until_it_has_replicated()
    {
        var clock = new FakeTimeProvider(TenantSeed.Small.Now);
        var tenant = await StartAsync(options: new SimulatorOptions { TimeProvider = clock, TimeFactor = 0.01, GroupReplication = TimeSpan.FromMinutes(10) });
        using var client = SimulatorGraph.Client(tenant, retries: false);
        var device = SimulatorGraph.DirectoryObjectUrl(tenant.State.EntraDevices[0].Id);
        var group = await client.Groups.PostAsync(new GraphGroup { DisplayName = "Fresh", MailEnabled = false, SecurityEnabled = true, MailNickname = "fresh" });

        var get = await Assert.ThrowsAsync<ODataError>(() => client.Groups[group!.Id].GetAsync());
        var members = await Assert.ThrowsAsync<ODataError>(() => client.Groups[group!.Id].Members.GetAsync());
        var patch = await Assert.ThrowsAsync<ODataError>(() => client.Groups[group!.Id].PatchAsync(new GraphGroup
        {
            AdditionalData = new Dictionary<string, object> { ["members@odata.bind"] = new List<string> { device } },
        }));
        var reference = await Assert.ThrowsAsync<ODataError>(() => client.Groups[group!.Id].Members.Ref.PostAsync(new ReferenceCreate { OdataId = device }));
        clock.Advance(TimeSpan.FromSeconds(6));
        await client.Groups[group!.Id].Members.Ref.PostAsync(new ReferenceCreate { OdataId = device });

        Assert.All(new[] { get, members, patch, reference }, e => Assert.Equal(404, e.ResponseStatusCode));
        Assert.Equal([tenant.State.EntraDevices[0].Id], tenant.State.Groups.Single(g => g.Id == group.Id).MemberIds);
    }

    [Fact]
    public async Task Checking_more_than_20_groups_at_once_is_refused_with_400()
    {
        var tenant = await StartAsync();
        var user = tenant.State.Users[0].Id;
        var groups = Enumerable.Range(0, 21).Select(_ => Guid.NewGuid().ToString()).ToList();

        var error = await Assert.ThrowsAsync<ODataError>(() => Client.Users[user].CheckMemberGroups.PostAsCheckMemberGroupsPostResponseAsync(new() { GroupIds = groups }));
        var twenty = await Client.Users[user].CheckMemberGroups.PostAsCheckMemberGroupsPostResponseAsync(new() { GroupIds = groups[..20] });

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.NotNull(twenty);
    }

    [Fact]
    public async Task A_group_read_with_select_carries_only_the_selected_fields()
    {
        var tenant = await StartAsync();
        var police = tenant.State.GroupByName("IBS Police");

        var selected = await Client.Groups[police.Id].GetAsync(r => r.QueryParameters.Select = ["id"]);
        var listed = await Client.Groups.GetAsync(r => { r.QueryParameters.Filter = "displayName eq 'IBS Police'"; r.QueryParameters.Select = ["id"]; });
        var device = await Client.Devices[tenant.State.EntraDevices[0].Id].GetAsync(r => r.QueryParameters.Select = ["id"]);

        Assert.Equal((police.Id, null, null), (selected!.Id, selected.DisplayName, selected.SecurityEnabled));
        Assert.Null(Assert.Single(listed!.Value!).DisplayName);
        Assert.Null(device!.DeviceId);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string url, string? body) =>
        await http.PostAsync(url, body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<List<string>> ManagedAppsAsync(HttpClient http, SimulatedTenant tenant)
    {
        var page = JsonNode.Parse(await http.GetStringAsync(
            $"{tenant.BetaUrl}/deviceAppManagement/mobileApps?$filter={Uri.EscapeDataString("isof('microsoft.graph.androidManagedStoreApp')")}"))!;
        return [.. page["value"]!.AsArray().Select(a => a!["packageId"]!.GetValue<string>())];
    }

    private static ManagedDevice DeviceWith(SimulatedTenant tenant, AndroidMode mode, string packageId, AppSource source) =>
        tenant.State.ManagedDevices.FirstOrDefault(d => d.AndroidMode == mode && d.InstalledApps.Any(a => a.Identifier == packageId && a.Source == source))
        ?? throw new InvalidOperationException($"the seed holds no {mode} device with {packageId} installed by {source}");

    private static string EntraId(SimulatedTenant tenant, ManagedDevice device) =>
        tenant.State.EntraDevices.Single(e => e.DeviceId == device.AzureAdDeviceId).Id;

    private static bool Has(SimulatedTenant tenant, ManagedDevice device, string packageId) =>
        tenant.State.ManagedDeviceById(device.Id).InstalledApps.Any(a => a.Identifier == packageId);
}
