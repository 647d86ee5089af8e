using Microsoft.Graph.Models;
using GraphGroup = Microsoft.Graph.Models.Group;

namespace IntuneBanSync.IntegrationTests.Simulator;

public sealed class CheckInTests : SimulatorTests
{
    [Fact]
    public async Task Check_in_removes_a_managed_app_under_uninstall_but_keeps_a_user_installed_one()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.Zero));
        var tenant = await StartAsync(devices: 300, options: new SimulatorOptions { TimeProvider = clock });
        var managedInstall = IosDeviceWithTikTok(tenant, AppSource.Managed);
        var userInstall = IosDeviceWithTikTok(tenant, AppSource.User);
        var banGroup = await BanGroupAsync(Client, tenant, managedInstall, userInstall);
        var tikTok = tenant.State.MobileApps.Single(a => a.ODataType == "iosStoreApp" && a.BundleId == "com.zhiliaoapp.musically");
        await Client.DeviceAppManagement.MobileApps[tikTok.Id].Assignments.PostAsync(new MobileAppAssignment
        {
            Intent = InstallIntent.Uninstall,
            Target = new GroupAssignmentTarget { GroupId = banGroup },
        });

        var removed = tenant.CheckIn(managedInstall.Id);
        var kept = tenant.CheckIn(userInstall.Id);

        Assert.Equal(["com.zhiliaoapp.musically"], removed.RemovedApps.Select(a => a.Identifier));
        Assert.Empty(kept.RemovedApps);
        Assert.DoesNotContain(tenant.State.ManagedDeviceById(managedInstall.Id).InstalledApps, a => a.Identifier == "com.zhiliaoapp.musically");
        Assert.Contains(tenant.State.ManagedDeviceById(userInstall.Id).InstalledApps, a => a.Identifier == "com.zhiliaoapp.musically");
        Assert.Equal(clock.GetUtcNow(), tenant.State.ManagedDeviceById(managedInstall.Id).LastSyncDateTime);
    }

    [Fact]
    public async Task Check_in_removes_the_app_from_the_device_inventory()
    {
        var tenant = await StartAsync(devices: 300);
        var device = IosDeviceWithTikTok(tenant, AppSource.Managed);
        var install = device.InstalledApps.First(a => a.Identifier == "com.zhiliaoapp.musically");
        var tikTok = tenant.State.MobileApps.Single(a => a.ODataType == "iosStoreApp" && a.BundleId == "com.zhiliaoapp.musically");
        var userGroup = tenant.State.Groups.First(g => g.MemberIds.Contains(device.UserId!)).Id;
        await Client.DeviceAppManagement.MobileApps[tikTok.Id].Assignments.PostAsync(new MobileAppAssignment
        {
            Intent = InstallIntent.Uninstall,
            Target = new GroupAssignmentTarget { GroupId = userGroup },
        });

        var before = await DetectedOnDeviceAsync(tenant, device.Id);
        tenant.CheckInAll();
        var after = await DetectedOnDeviceAsync(tenant, device.Id);

        Assert.Contains((install.DisplayName, install.Version), before);
        Assert.DoesNotContain((install.DisplayName, install.Version), after);
        Assert.Equal(before.Count - 1, after.Count);
    }

    private static async Task<List<(string, string)>> DetectedOnDeviceAsync(SimulatedTenant tenant, string deviceId)
    {
        using var beta = SimulatorGraph.BetaClient(tenant);
        var apps = await beta.DeviceManagement.DetectedApps
            .WithUrl($"{tenant.BetaUrl}/deviceManagement/managedDevices/{deviceId}/detectedApps")
            .GetAsync();
        return [.. apps!.Value!.Select(a => (a.DisplayName!, a.Version!))];
    }

    private static TenantSimulator.ManagedDevice IosDeviceWithTikTok(SimulatedTenant tenant, AppSource source) =>
        tenant.State.ManagedDevices.First(d => d.OperatingSystem is "iOS" or "iPadOS" && d.UserId is not null
            && d.InstalledApps.Any(a => a.Identifier == "com.zhiliaoapp.musically" && a.Source == source));

    private static async Task<string> BanGroupAsync(Microsoft.Graph.GraphServiceClient client, SimulatedTenant tenant, params TenantSimulator.ManagedDevice[] devices)
    {
        var members = devices
            .Select(d => tenant.State.EntraDevices.Single(e => e.DeviceId == d.AzureAdDeviceId).Id)
            .Select(SimulatorGraph.DirectoryObjectUrl)
            .ToList();
        var group = await client.Groups.PostAsync(new GraphGroup
        {
            DisplayName = "IBS Ban tiktok",
            MailEnabled = false,
            SecurityEnabled = true,
            MailNickname = "ibsbantiktok",
            AdditionalData = new Dictionary<string, object> { ["members@odata.bind"] = members },
        });
        return group!.Id!;
    }
}
