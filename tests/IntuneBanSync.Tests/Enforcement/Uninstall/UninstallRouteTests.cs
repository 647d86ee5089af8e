namespace IntuneBanSync.Tests.Enforcement.Uninstall;

public sealed class UninstallRouteTests
{
    private static readonly Ban TikTok = Fleet.Ban() with
    {
        Apps = new BanApps(["TikTok"], ["com.zhiliaoapp.musically"], ["com.zhiliaoapp.musically", "com.ss.android.ugc.trill"], ["9NH2GPH4JZS4"], ["1235601864"]),
    };

    private static readonly Ban NamesOnly = Fleet.Ban();

    [Theory]
    [InlineData("ios")]
    [InlineData("Ios")]
    [InlineData("IOS")]
    [InlineData(" ios ")]
    public void iOS_app_is_uninstalled_through_an_iOS_store_app_we_may_create(string platform)
    {
        var route = UninstallRoute.For(TikTok, platform);

        Assert.True(route.CanEnforce);
        Assert.Equal(("ios", CatalogAppKind.IosStoreApp, AppSupply.Create), (route.Name, route.Kind, route.Supply));
        Assert.Equal(["com.zhiliaoapp.musically"], route.Identifiers);
    }

    [Theory]
    [InlineData("windows")]
    [InlineData("Windows")]
    public void Windows_app_is_uninstalled_through_a_WinGet_app_we_may_create(string platform)
    {
        var route = UninstallRoute.For(TikTok, platform);

        Assert.True(route.CanEnforce);
        Assert.Equal(("windows", CatalogAppKind.WinGetApp, AppSupply.Create), (route.Name, route.Kind, route.Supply));
        Assert.Equal(["9NH2GPH4JZS4"], route.Identifiers);
    }

    [Theory]
    [InlineData("AndroidDeviceAdministrator")]
    [InlineData("androiddeviceadministrator")]
    public void Android_device_administrator_app_is_uninstalled_through_an_Android_store_app_we_may_create(string platform)
    {
        var route = UninstallRoute.For(TikTok, platform);

        Assert.True(route.CanEnforce);
        Assert.Equal(("android-admin", CatalogAppKind.AndroidStoreApp, AppSupply.Create), (route.Name, route.Kind, route.Supply));
        Assert.Equal(["com.zhiliaoapp.musically", "com.ss.android.ugc.trill"], route.Identifiers);
    }

    [Theory]
    [InlineData("AndroidWorkProfile")]
    [InlineData("androidDedicatedAndFullyManaged")]
    public void Android_Enterprise_app_is_uninstalled_through_a_managed_Google_Play_app_we_approve_for_every_package(string platform)
    {
        var route = UninstallRoute.For(TikTok, platform);

        Assert.True(route.CanEnforce);
        Assert.Equal(("android-enterprise", CatalogAppKind.AndroidManagedStoreApp, AppSupply.ManagedGooglePlay), (route.Name, route.Kind, route.Supply));
        Assert.Equal(["com.zhiliaoapp.musically", "com.ss.android.ugc.trill"], route.Identifiers);
    }

    [Fact]
    public void AOSP_app_has_no_uninstall_route_as_it_takes_no_managed_Google_Play_app()
    {
        var route = UninstallRoute.For(TikTok, "androidOSP");

        Assert.False(route.CanEnforce);
        Assert.Null(route.Kind);
        Assert.Equal(UninstallRoute.AospUnreachable, route.Unenforceable);
    }

    [Theory]
    [InlineData("MacOS")]
    [InlineData("macOS")]
    public void macOS_app_has_no_uninstall_route(string platform)
    {
        var route = UninstallRoute.For(TikTok, platform);

        Assert.False(route.CanEnforce);
        Assert.Null(route.Kind);
        Assert.Contains("macOS", route.Unenforceable);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void App_of_no_known_platform_has_no_uninstall_route(string? platform)
    {
        var route = UninstallRoute.For(TikTok, platform);

        Assert.False(route.CanEnforce);
        Assert.Equal(("unknown", null), (route.Name, route.Kind));
        Assert.NotNull(route.Unenforceable);
    }

    [Theory]
    [InlineData("chromeOS")]
    [InlineData("windowsMobile")]
    [InlineData("unknown")]
    public void App_of_an_unsupported_platform_has_no_uninstall_route_and_names_the_platform(string platform)
    {
        var route = UninstallRoute.For(TikTok, platform);

        Assert.False(route.CanEnforce);
        Assert.Null(route.Kind);
        Assert.Contains($"'{platform}'", route.Unenforceable);
    }

    [Theory]
    [InlineData("Ios", "ios")]
    [InlineData("Windows", "windows")]
    [InlineData("AndroidDeviceAdministrator", "android-admin")]
    [InlineData("AndroidWorkProfile", "android-enterprise")]
    public void Ban_without_identifiers_for_the_platform_is_unenforceable_there(string platform, string name)
    {
        var route = UninstallRoute.For(NamesOnly, platform);

        Assert.False(route.CanEnforce);
        Assert.Empty(route.Identifiers);
        Assert.Equal($"the ban list gives no {name} identifier for this app", route.Unenforceable);
    }
}
