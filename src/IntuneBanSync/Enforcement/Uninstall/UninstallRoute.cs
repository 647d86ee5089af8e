namespace IntuneBanSync.Enforcement.Uninstall;

/// <summary>How the catalog app of a route comes to exist: IntuneBanSync creates it, or approves it in managed Google Play and has Intune sync it.</summary>
public enum AppSupply { Create, ManagedGooglePlay }

/// <summary>How an uninstall can reach a device: which catalog app type, with which identifiers, and how that app comes to exist.</summary>
public sealed record UninstallRoute(string Name, CatalogAppKind? Kind, IReadOnlyList<string> Identifiers, AppSupply Supply, string? Unenforceable)
{
    public const string AospUnreachable =
        "an AOSP device (Android without Google Play services) takes no managed Google Play app, and Intune uninstalls there only the line-of-business apps it installed";

    public bool CanEnforce => Kind is not null && Unenforceable is null;

    /// <summary>
    /// The route for one banned app seen on one device. The detected app's platform tells the management mode: Android Enterprise
    /// (work profile, fully managed, dedicated) takes managed Google Play apps, which Graph cannot create but can approve and sync.
    /// </summary>
    public static UninstallRoute For(Ban ban, string? detectedAppPlatform)
    {
        var platform = (detectedAppPlatform ?? "").Trim().ToLowerInvariant();
        return platform switch
        {
            "ios" => Store("ios", CatalogAppKind.IosStoreApp, ban.Apps.Ios, AppSupply.Create),
            "windows" => Store("windows", CatalogAppKind.WinGetApp, ban.Apps.Windows, AppSupply.Create),
            "androiddeviceadministrator" => Store("android-admin", CatalogAppKind.AndroidStoreApp, ban.Apps.Android, AppSupply.Create),
            "androidworkprofile" or "androiddedicatedandfullymanaged" =>
                Store("android-enterprise", CatalogAppKind.AndroidManagedStoreApp, ban.Apps.Android, AppSupply.ManagedGooglePlay),
            "androidosp" => new("android-aosp", null, ban.Apps.Android, AppSupply.Create, AospUnreachable),
            "macos" => new("macos", null, ban.Apps.Macos, AppSupply.Create, RoutePlanner.MacosUnreachable),
            _ => new(platform.Length == 0 ? "unknown" : platform, null, [], AppSupply.Create, $"no uninstall route for platform '{detectedAppPlatform}'"),
        };
    }

    private static UninstallRoute Store(string name, CatalogAppKind kind, IReadOnlyList<string> identifiers, AppSupply supply) =>
        identifiers.Count == 0
            ? new(name, kind, identifiers, supply, $"the ban list gives no {name} identifier for this app")
            : new(name, kind, identifiers, supply, null);
}
