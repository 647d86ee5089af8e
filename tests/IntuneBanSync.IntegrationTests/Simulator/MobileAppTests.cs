using Microsoft.Graph.DeviceAppManagement.MobileApps.Item.Assign;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace IntuneBanSync.IntegrationTests.Simulator;

public sealed class MobileAppTests : SimulatorTests
{
    [Fact]
    public async Task Catalog_filtered_by_type_holds_the_seeded_ios_TikTok_with_its_available_assignment()
    {
        var tenant = await StartAsync();

        var apps = await Client.DeviceAppManagement.MobileApps.GetAsync(r => r.QueryParameters.Filter = "isof('microsoft.graph.iosStoreApp')");

        Assert.All(apps!.Value!, app => Assert.IsType<IosStoreApp>(app));
        var tikTok = apps.Value!.OfType<IosStoreApp>().Single(a => a.BundleId == "com.zhiliaoapp.musically");
        var assignments = await Client.DeviceAppManagement.MobileApps[tikTok.Id].Assignments.GetAsync();
        var assignment = Assert.Single(assignments!.Value!);
        Assert.Equal(InstallIntent.Available, assignment.Intent);
        Assert.Equal(tenant.State.GroupByName("IBS All Staff").Id, Assert.IsType<GroupAssignmentTarget>(assignment.Target).GroupId);
    }

    [Fact]
    public async Task Posting_an_assignment_adds_while_assign_replaces_them_all()
    {
        var tenant = await StartAsync();
        var tikTok = IosTikTok(tenant);
        var police = tenant.State.GroupByName("IBS Police").Id;
        var pilot = tenant.State.GroupByName("IBS Pilot Devices").Id;

        await Client.DeviceAppManagement.MobileApps[tikTok.Id].Assignments.PostAsync(Assignment(InstallIntent.Uninstall, pilot));
        var afterAdd = tenant.State.MobileApps.Single(a => a.Id == tikTok.Id).Assignments;
        await Client.DeviceAppManagement.MobileApps[tikTok.Id].Assign.PostAsync(new AssignPostRequestBody
        {
            MobileAppAssignments = [Assignment(InstallIntent.Uninstall, police)],
        });
        var afterAssign = tenant.State.MobileApps.Single(a => a.Id == tikTok.Id).Assignments;

        Assert.Equal([("available", tikTok.Assignments[0].GroupId), ("uninstall", pilot)], afterAdd.Select(a => (a.Intent, a.GroupId)));
        Assert.Equal([("uninstall", police)], afterAssign.Select(a => (a.Intent, a.GroupId)));
    }

    [Fact]
    public async Task A_group_carries_only_one_assignment_per_app()
    {
        var tenant = await StartAsync();
        var tikTok = IosTikTok(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => Client.DeviceAppManagement.MobileApps[tikTok.Id].Assignments
            .PostAsync(Assignment(InstallIntent.Uninstall, tikTok.Assignments[0].GroupId)));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Single(tenant.State.MobileApps.Single(a => a.Id == tikTok.Id).Assignments);
    }

    [Fact]
    public async Task Deleting_an_assignment_removes_only_that_one()
    {
        var tenant = await StartAsync();
        var tikTok = IosTikTok(tenant);
        var added = await Client.DeviceAppManagement.MobileApps[tikTok.Id].Assignments
            .PostAsync(Assignment(InstallIntent.Uninstall, tenant.State.GroupByName("IBS Pilot Devices").Id));

        await Client.DeviceAppManagement.MobileApps[tikTok.Id].Assignments[added!.Id].DeleteAsync();

        Assert.Equal([tikTok.Assignments[0].Id], tenant.State.MobileApps.Single(a => a.Id == tikTok.Id).Assignments.Select(a => a.Id));
    }

    [Fact]
    public async Task Android_store_app_takes_its_package_id_from_the_store_url()
    {
        var tenant = await StartAsync();

        var created = await Client.DeviceAppManagement.MobileApps.PostAsync(new AndroidStoreApp
        {
            DisplayName = "TikTok",
            Publisher = "TikTok Pte. Ltd.",
            AppStoreUrl = "https://play.google.com/store/apps/details?id=com.zhiliaoapp.musically",
            MinimumSupportedOperatingSystem = new AndroidMinimumOperatingSystem { V80 = true },
        });

        var android = Assert.IsType<AndroidStoreApp>(created);
        Assert.Equal("com.zhiliaoapp.musically", android.PackageId);
        Assert.Equal("com.zhiliaoapp.musically", tenant.State.MobileApps.Single(a => a.Id == android.Id).PackageId);
    }

    [Fact]
    public async Task Android_managed_store_apps_cannot_be_created()
    {
        var tenant = await StartAsync();
        var body = """{"@odata.type":"#microsoft.graph.androidManagedStoreApp","displayName":"TikTok","packageId":"com.zhiliaoapp.musically"}""";

        using var response = await Http.PostAsync(
            $"{tenant.BetaUrl}/deviceAppManagement/mobileApps",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\\\"_version\\\": 3", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(tenant.State.MobileApps, a => a.ODataType == "androidManagedStoreApp" && a.PackageId == "com.zhiliaoapp.musically");
    }

    [Fact]
    public async Task WinGet_apps_are_created_under_beta_only()
    {
        var tenant = await StartAsync();
        var body = """{"@odata.type":"#microsoft.graph.winGetApp","displayName":"TikTok","packageIdentifier":"9NH2GPH4JZS4"}""";

        using var v1 = await Http.PostAsync($"{tenant.GraphUrl}/deviceAppManagement/mobileApps", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        using var beta = await Http.PostAsync($"{tenant.BetaUrl}/deviceAppManagement/mobileApps", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, v1.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Created, beta.StatusCode);
        Assert.Single(tenant.State.MobileApps, a => a.ODataType == "winGetApp" && a.PackageIdentifier == "9NH2GPH4JZS4");
    }

    private static TenantSimulator.MobileApp IosTikTok(SimulatedTenant tenant) =>
        tenant.State.MobileApps.Single(a => a.ODataType == "iosStoreApp" && a.BundleId == "com.zhiliaoapp.musically");

    private static MobileAppAssignment Assignment(InstallIntent intent, string groupId) =>
        new() { Intent = intent, Target = new GroupAssignmentTarget { GroupId = groupId } };
}
