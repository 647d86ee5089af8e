namespace IntuneBanSync.IntegrationTests.Enforcement.Uninstall;

/// <summary>A ban names several packages of one app (TikTok, TikTok Lite, the Asian TikTok): each gets a catalog app and an uninstall of its own.</summary>
public sealed class EveryPackageTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    [Fact]
    public async Task TikTok_Lite_installed_by_Intune_on_a_device_administrator_device_is_removed_through_an_app_of_its_own()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Demo);
        var lite = ExpectedReport.OffendingDevices(harness.Tenant.State)
            .Where(d => d.AndroidMode == AndroidMode.DeviceAdministrator && d.InstalledApps.Any(a => a.Source == AppSource.Managed && a.Identifier is "com.zhiliaoapp.musically.go" or "com.ss.android.ugc.trill"))
            .ToList();
        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromHours(1));

        harness.Tenant.CheckInAll();

        Assert.NotEmpty(lite);
        Assert.All(lite, d => Assert.DoesNotContain(harness.Tenant.State.ManagedDeviceById(d.Id).InstalledApps, a => a.Identifier is "com.zhiliaoapp.musically.go" or "com.ss.android.ugc.trill"));
        Assert.Equal(3, harness.Tenant.State.MobileApps.Count(a => a.ODataType == "androidStoreApp" && a.PackageId!.StartsWith("com.", StringComparison.Ordinal) && a.Publisher == "IntuneBanSync"));
    }
}
