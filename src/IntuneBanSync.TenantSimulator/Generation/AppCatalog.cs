namespace IntuneBanSync.TenantSimulator;

internal enum AppPlatform
{
    Ios,
    Android,
    Windows,
    MacOs,
    Other,
}

internal sealed record AppTemplate(string DisplayName, string? Identifier, string[] Versions, double Share, bool UsuallyManaged);

/// <summary>The apps the generator installs and the catalog it seeds.</summary>
internal static class AppCatalog
{
    public static readonly AppTemplate[] Decoys =
    [
        new("TikTak Timer", "com.tiktak.timer", ["2.1.0", "2.2.4"], 1, false),
        new("TikTok Shop Seller Center", "com.tiktokshop.seller", ["3.9.0"], 1, false),
        new("Tik Tok Downloader", "com.video.tiktokdownloader", ["1.0.7"], 1, false),
    ];

    private static readonly AppTemplate[] Ios =
    [
        new("Microsoft Outlook", "com.microsoft.Office.Outlook", ["4.2447.0", "4.2450.1"], 0.9, true),
        new("Microsoft Teams", "com.microsoft.skype.teams", ["6.24.1", "6.25.0"], 0.85, true),
        new("Microsoft Edge", "com.microsoft.msedge", ["131.2903.86"], 0.4, true),
        new("Microsoft Authenticator", "com.microsoft.azureauthenticator", ["6.8.19"], 0.8, true),
        new("WhatsApp", "net.whatsapp.WhatsApp", ["24.23.78"], 0.6, false),
        new("Signal", "org.whispersystems.signal", ["7.40"], 0.2, false),
        new("itsme", "be.bmid.itsme", ["5.12.0"], 0.5, false),
    ];

    private static readonly AppTemplate[] Android =
    [
        new("Microsoft Outlook", "com.microsoft.office.outlook", ["4.2447.1"], 0.9, true),
        new("Microsoft Teams", "com.microsoft.teams", ["1416/1.0.0.2024"], 0.85, true),
        new("Microsoft Authenticator", "com.azure.authenticator", ["6.2410.7"], 0.8, true),
        new("WhatsApp", "com.whatsapp", ["2.24.23.78"], 0.6, false),
        new("Signal", "org.thoughtcrime.securesms", ["7.26.3"], 0.2, false),
        new("itsme", "be.bmid.itsme", ["5.12.0"], 0.5, false),
    ];

    private static readonly AppTemplate[] Windows =
    [
        new("Microsoft Edge", null, ["131.0.2903.86"], 0.95, true),
        new("Microsoft Teams", null, ["24295.605.3225.8804"], 0.9, true),
        new("Microsoft 365 Apps for enterprise - en-us", null, ["16.0.18129.20158"], 0.9, true),
        new("7-Zip 24.08 (x64)", null, ["24.08"], 0.3, false),
        new("WhatsApp", "9NKSQGP7F2NH", ["2.2445.3.0"], 0.25, false),
    ];

    private static readonly AppTemplate[] MacOs =
    [
        new("Microsoft Outlook", "com.microsoft.Outlook", ["16.91"], 0.9, true),
        new("Microsoft Teams", "com.microsoft.teams2", ["24295.605"], 0.9, true),
        new("Google Chrome", "com.google.Chrome", ["131.0.6778.86"], 0.5, false),
    ];

    private static readonly AppTemplate[] Other =
    [
        new("Firefox", null, ["133.0"], 0.8, false),
    ];

    public static AppPlatform PlatformOf(string operatingSystem) => operatingSystem.Trim().ToLowerInvariant() switch
    {
        "ios" or "ipados" => AppPlatform.Ios,
        "android" => AppPlatform.Android,
        "windows" => AppPlatform.Windows,
        "macos" => AppPlatform.MacOs,
        _ => AppPlatform.Other,
    };

    public static IReadOnlyList<AppTemplate> OrdinaryApps(AppPlatform platform) => platform switch
    {
        AppPlatform.Ios => Ios,
        AppPlatform.Android => Android,
        AppPlatform.Windows => Windows,
        AppPlatform.MacOs => MacOs,
        _ => Other,
    };

    /// <summary>The catalog types whose identifier ties to installs on the platform.</summary>
    public static bool CatalogTypeServes(string odataType, AppPlatform platform) => (odataType, platform) switch
    {
        ("iosStoreApp", AppPlatform.Ios) => true,
        ("androidStoreApp" or "androidManagedStoreApp", AppPlatform.Android) => true,
        ("winGetApp", AppPlatform.Windows) => true,
        _ => false,
    };

    public static List<MobileApp> SeedCatalog(string allStaffGroupId, Func<string> newId, DateTimeOffset now)
    {
        var created = now - TimeSpan.FromDays(400);
        return
        [
            new(newId(), "iosStoreApp", "TikTok", "TikTok Ltd.", "com.zhiliaoapp.musically", null, null,
                "https://apps.apple.com/us/app/tiktok/id835599320", created,
                [new AppAssignment(newId(), "available", allStaffGroupId)]),
            new(newId(), "iosStoreApp", "Microsoft Outlook", "Microsoft Corporation", "com.microsoft.Office.Outlook", null, null,
                "https://apps.apple.com/us/app/microsoft-outlook/id951937596", created,
                [new AppAssignment(newId(), "required", allStaffGroupId)]),
            new(newId(), "androidStoreApp", "Microsoft Outlook", "Microsoft Corporation", null, "com.microsoft.office.outlook", null,
                "https://play.google.com/store/apps/details?id=com.microsoft.office.outlook", created,
                [new AppAssignment(newId(), "required", allStaffGroupId)]),
            new(newId(), "iosStoreApp", "Microsoft Teams", "Microsoft Corporation", "com.microsoft.skype.teams", null, null,
                "https://apps.apple.com/us/app/microsoft-teams/id1113153706", created, []),
            new(newId(), "winGetApp", "Company Portal", "Microsoft Corporation", null, null, "9WZDNCRFJ3PZ",
                null, created, []),

            // Approved in managed Google Play long ago; TikTok is not: enforcement must approve it.
            new(newId(), "androidManagedStoreApp", "Microsoft Outlook", "Microsoft Corporation", null, "com.microsoft.office.outlook", null,
                "https://play.google.com/store/apps/details?id=com.microsoft.office.outlook", created,
                [new AppAssignment(newId(), "required", allStaffGroupId)]),
        ];
    }
}
