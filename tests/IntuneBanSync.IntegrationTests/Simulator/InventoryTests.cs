using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace IntuneBanSync.IntegrationTests.Simulator;

public sealed class InventoryTests(ReadOnlyTenantFixture fixture) : IClassFixture<ReadOnlyTenantFixture>
{
    private readonly SimulatedTenant tenant = fixture.Tenant;

    [Fact]
    public async Task Paging_managed_devices_yields_every_device_the_tenant_holds()
    {
        using var client = SimulatorGraph.Client(tenant);
        var seen = new List<string>();

        var firstPage = await client.DeviceManagement.ManagedDevices.GetAsync(r => r.QueryParameters.Top = 7);
        var iterator = PageIterator<Microsoft.Graph.Models.ManagedDevice, ManagedDeviceCollectionResponse>
            .CreatePageIterator(client, firstPage!, device => { seen.Add(device.Id!); return true; });
        await iterator.IterateAsync();

        Assert.Equal(tenant.State.ManagedDevices.Select(d => d.Id), seen);
    }

    [Fact]
    public async Task Managed_devices_filtered_by_gt_and_lt_on_lastSyncDateTime_are_those_synced_in_between()
    {
        using var client = SimulatorGraph.Client(tenant);
        var times = tenant.State.ManagedDevices.Select(d => d.LastSyncDateTime).Order().ToList();
        var (after, before) = (times[30], times[90]);
        var filter = $"lastSyncDateTime gt {after.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'} and lastSyncDateTime lt {before.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}";

        var page = await client.DeviceManagement.ManagedDevices.GetAsync(r => { r.QueryParameters.Filter = filter; r.QueryParameters.Top = 1000; });

        var expected = tenant.State.ManagedDevices.Where(d => d.LastSyncDateTime > after && d.LastSyncDateTime < before).Select(d => d.Id);
        Assert.Equal(expected, page!.Value!.Select(d => d.Id));
        Assert.InRange(page.Value!.Count, 50, 59);
    }

    [Theory]
    [InlineData("lastSyncDateTime ge 2026-01-01T00:00:00Z")]
    [InlineData("lastSyncDateTime le 2026-01-01T00:00:00Z")]
    [InlineData("lastSyncDateTime gt '2026-01-01T00:00:00Z'")]
    [InlineData("enrolledDateTime gt 2026-01-01T00:00:00Z")]
    [InlineData("lastSyncDateTime gt 2026-01-01T00:00:00Z and lastSyncDateTime gt 2026-02-01T00:00:00Z")]
    [InlineData("lastSyncDateTime gt 2026-01-01T00:00:00Z or lastSyncDateTime lt 2025-01-01T00:00:00Z")]
    public async Task A_lastSyncDateTime_filter_beyond_the_documented_gt_and_lt_is_refused(string filter)
    {
        using var client = SimulatorGraph.Client(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => client.DeviceManagement.ManagedDevices.GetAsync(r => r.QueryParameters.Filter = filter));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Contains("filter", error.Error!.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Paging_detected_apps_yields_one_entry_per_visible_name_version_and_platform()
    {
        using var client = SimulatorGraph.Client(tenant);
        var expected = ExpectedDetectedApps(tenant.State);
        var seen = new List<DetectedApp>();

        var firstPage = await client.DeviceManagement.DetectedApps.GetAsync();
        var iterator = PageIterator<DetectedApp, DetectedAppCollectionResponse>
            .CreatePageIterator(client, firstPage!, app => { seen.Add(app); return true; });
        await iterator.IterateAsync();

        Assert.True(seen.Count > 10, "the inventory should span several pages");
        var actual = seen.ToDictionary(a => (a.DisplayName!, a.Version!, PlatformName(a.Platform)), a => a.DeviceCount ?? 0);
        Assert.Equal(expected.OrderBy(e => e.Key), actual.OrderBy(e => e.Key));
    }

    [Fact]
    public async Task Detected_app_devices_are_sparse_devices_that_have_the_app()
    {
        using var client = SimulatorGraph.Client(tenant);
        var apps = await client.DeviceManagement.DetectedApps.GetAsync(r => r.QueryParameters.Top = 1000);
        var tikTok = apps!.Value!.First(a => a.DisplayName!.Trim().Equals("TikTok", StringComparison.OrdinalIgnoreCase));

        var devices = await client.DeviceManagement.DetectedApps[tikTok.Id].ManagedDevices.GetAsync();

        Assert.Equal(tikTok.DeviceCount, devices!.Value!.Count);
        Assert.All(devices.Value, device =>
        {
            var truth = tenant.State.ManagedDeviceById(device.Id!);
            Assert.Equal(truth.DeviceName, device.DeviceName);
            Assert.Null(device.OperatingSystem);
            Assert.Null(device.ManagedDeviceOwnerType);
            Assert.Contains(truth.InstalledApps, a => a.DisplayName == tikTok.DisplayName && a.Version == tikTok.Version);
        });
    }

    [Fact]
    public async Task Personal_devices_never_report_user_installed_apps()
    {
        using var beta = SimulatorGraph.BetaClient(tenant);
        var personal = tenant.State.ManagedDevices
            .Where(d => d.Ownership == "personal" && d.InstalledApps.Any(a => a.Source == AppSource.User))
            .Take(10)
            .ToList();

        var reported = new Dictionary<string, HashSet<(string, string)>>();
        foreach (var device in personal)
        {
            var apps = await beta.DeviceManagement.DetectedApps
                .WithUrl($"{tenant.BetaUrl}/deviceManagement/managedDevices/{device.Id}/detectedApps")
                .GetAsync();
            reported[device.Id] = [.. apps!.Value!.Select(a => (a.DisplayName!, a.Version!))];
        }

        Assert.NotEmpty(personal);
        Assert.All(personal, device => Assert.Equal(
            device.InstalledApps.Where(a => a.Source == AppSource.Managed).Select(a => (a.DisplayName, a.Version)).ToHashSet(),
            reported[device.Id]));
    }

    [Fact]
    public async Task Managed_devices_filter_by_user_id()
    {
        using var client = SimulatorGraph.Client(tenant);
        var userId = tenant.State.ManagedDevices.First(d => d.UserId is not null).UserId!;

        var devices = await client.DeviceManagement.ManagedDevices.GetAsync(r => r.QueryParameters.Filter = $"userId eq '{userId}'");

        Assert.Equal(
            tenant.State.ManagedDevices.Where(d => d.UserId == userId).Select(d => d.Id),
            devices!.Value!.Select(d => d.Id));
    }

    [Fact]
    public async Task Unsupported_filter_is_refused_with_400()
    {
        using var client = SimulatorGraph.Client(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() =>
            client.DeviceManagement.ManagedDevices.GetAsync(r => r.QueryParameters.Filter = "startswith(deviceName,'A')"));

        Assert.Equal(400, error.ResponseStatusCode);
    }

    [Fact]
    public async Task Unknown_route_is_404_with_a_graph_error_body()
    {
        using var client = SimulatorGraph.Client(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => client.Sites.GetAsync());

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.False(string.IsNullOrEmpty(error.Error?.Code));
    }

    private static Dictionary<(string, string, string), int> ExpectedDetectedApps(TenantState state) =>
        state.ManagedDevices
            .SelectMany(d => state.VisibleApps(d).Select(a => (Key: (a.DisplayName, a.Version, ExpectedPlatform(d)), d.Id)))
            .Distinct()
            .GroupBy(x => x.Key)
            .ToDictionary(g => g.Key, g => g.Count());

    private static string ExpectedPlatform(TenantSimulator.ManagedDevice device) => device.OperatingSystem switch
    {
        "iOS" or "iPadOS" => "ios",
        "macOS" => "macOS",
        "Windows" => "windows",
        "Android" => device.AndroidMode switch
        {
            AndroidMode.FullyManaged or AndroidMode.Dedicated => "androidDedicatedAndFullyManaged",
            AndroidMode.DeviceAdministrator => "androidDeviceAdministrator",
            _ => "androidWorkProfile",
        },
        _ => "unknown",
    };

    private static string PlatformName(DetectedAppPlatformType? platform) => platform switch
    {
        DetectedAppPlatformType.Ios => "ios",
        DetectedAppPlatformType.MacOS => "macOS",
        DetectedAppPlatformType.Windows => "windows",
        DetectedAppPlatformType.AndroidDedicatedAndFullyManaged => "androidDedicatedAndFullyManaged",
        DetectedAppPlatformType.AndroidWorkProfile => "androidWorkProfile",
        DetectedAppPlatformType.AndroidDeviceAdministrator => "androidDeviceAdministrator",
        _ => "unknown",
    };
}
