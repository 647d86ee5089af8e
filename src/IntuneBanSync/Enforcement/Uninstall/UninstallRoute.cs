using IntuneBanSync.BanList;

namespace IntuneBanSync.Enforcement.Uninstall;

/// <summary>How an uninstall can reach a device: which catalog app type, with which identifiers, and whether we may create it.</summary>
public sealed record UninstallRoute(string Name, CatalogAppKind? Kind, IReadOnlyList<string> Identifiers, bool Creatable, string? Unenforceable)
{
    public bool CanEnforce => Kind is not null && Unenforceable is null;

    /// <summary>
    /// The route for one banned app seen on one device. The detected app's platform tells the management mode:
    /// Android Enterprise (work profile, fully managed) takes managed Google Play apps, which Graph cannot create.
    /// </summary>
    public static UninstallRoute For(Ban ban, string? detectedAppPlatform)
    {
        var platform = (detectedAppPlatform ?? "").Trim().ToLowerInvariant();
        return platform switch
        {
            "ios" => Store("ios", CatalogAppKind.IosStoreApp, ban.Apps.Ios, creatable: true),
            "windows" => Store("windows", CatalogAppKind.WinGetApp, ban.Apps.Windows, creatable: true),
            "androiddeviceadministrator" => Store("android-admin", CatalogAppKind.AndroidStoreApp, ban.Apps.Android, creatable: true),
            "androidworkprofile" or "androiddedicatedandfullymanaged" or "androidosp" =>
                Store("android-enterprise", CatalogAppKind.AndroidManagedStoreApp, ban.Apps.Android, creatable: false),
            "macos" => new("macos", null, ban.Apps.Macos, false, "no uninstall route for macOS store apps: use a compliance policy or a notification"),
            _ => new(platform.Length == 0 ? "unknown" : platform, null, [], false, $"no uninstall route for platform '{detectedAppPlatform}'"),
        };
    }

    private static UninstallRoute Store(string name, CatalogAppKind kind, IReadOnlyList<string> identifiers, bool creatable) =>
        identifiers.Count == 0
            ? new(name, kind, identifiers, creatable, $"the ban list gives no {name} identifier for this app")
            : new(name, kind, identifiers, creatable, null);
}
