namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// The tenant's managed Google Play: the packages approved for the enterprise, and the androidManagedStoreApp catalog entries a
/// syncApps brings in once they are approved. An androidManagedStoreApp exists only this way (approve, then sync); Graph cannot create
/// one. Approval alone assigns nothing: the synced app has no assignment.
/// </summary>
public sealed class ManagedGooglePlay(Lock gate)
{
    // Titles as Google Play lists them, for the packages the generator installs.
    private static readonly Dictionary<string, (string Title, string Publisher)> Listings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["com.zhiliaoapp.musically"] = ("TikTok", "TikTok Pte. Ltd."),
        ["com.zhiliaoapp.musically.go"] = ("TikTok Lite", "TikTok Pte. Ltd."),
        ["com.ss.android.ugc.trill"] = ("TikTok", "TikTok Pte. Ltd."),
        ["com.microsoft.office.outlook"] = ("Microsoft Outlook", "Microsoft Corporation"),
    };

    private readonly HashSet<string> approved = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string PackageId, DateTimeOffset Due)> syncing = [];

    /// <summary>The packages approved through approveApps, in the order they were first approved.</summary>
    public IReadOnlyList<string> Approved
    {
        get
        {
            lock (gate)
            {
                return [.. approved];
            }
        }
    }

    internal DateTimeOffset? LastAppSync { get; private set; }

    internal void ApproveUnlocked(string packageId) => approved.Add(packageId);

    /// <summary>Every approved package not yet in the catalog is listed at <paramref name="due"/>.</summary>
    internal void SyncUnlocked(TenantState state, DateTimeOffset now, DateTimeOffset due)
    {
        LastAppSync = now;
        foreach (var packageId in approved.Where(p => !InCatalog(state, p) && !syncing.Any(s => string.Equals(s.PackageId, p, StringComparison.OrdinalIgnoreCase))))
        {
            syncing.Add((packageId, due));
        }
    }

    /// <summary>The synced apps whose time has come enter the catalog; called before the catalog is read.</summary>
    internal void ArriveUnlocked(TenantState state, DateTimeOffset now, Func<string> newId)
    {
        foreach (var (packageId, _) in syncing.Where(s => s.Due <= now).ToList())
        {
            syncing.RemoveAll(s => string.Equals(s.PackageId, packageId, StringComparison.OrdinalIgnoreCase));
            if (InCatalog(state, packageId))
            {
                continue;
            }

            var (title, publisher) = Listings.GetValueOrDefault(packageId, (packageId, ""));
            state.AddMobileApp(new MobileApp(
                newId(), "androidManagedStoreApp", title, publisher, null, packageId, null,
                $"https://play.google.com/store/apps/details?id={Uri.EscapeDataString(packageId)}", now, []));
        }
    }

    private static bool InCatalog(TenantState state, string packageId) =>
        state.MobileAppsUnlocked.Any(a => a.ODataType == "androidManagedStoreApp" && string.Equals(a.PackageId, packageId, StringComparison.OrdinalIgnoreCase));
}
