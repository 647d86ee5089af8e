namespace IntuneBanSync.Tests.Planning;

/// <summary>A TikTok ban, a device that is in its scope, and the dates around its deadlines; tests change one thing at a time.</summary>
internal static class Fleet
{
    public static readonly DateTimeOffset EffectiveFrom = new(2023, 2, 23, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset UninstallBy = new(2023, 3, 15, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ExpiresOn = new(2023, 9, 14, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset InGrace = new(2023, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset TenDaysLate = UninstallBy.AddDays(10).AddHours(12);
    public static readonly TimeSpan InventoryMaxAge = TimeSpan.FromDays(7);

    public const string DeviceId = "d0000000-0000-4000-8000-000000000001";
    public const string UserId = "u0000000-0000-4000-8000-000000000001";
    public const string EntraDeviceId = "e0000000-0000-4000-8000-000000000001";
    public const string IncludeGroup = "10000000-0000-4000-8000-000000000001";
    public const string OtherIncludeGroup = "10000000-0000-4000-8000-000000000002";
    public const string ExcludeGroup = "20000000-0000-4000-8000-000000000001";
    public const string OtherExcludeGroup = "20000000-0000-4000-8000-000000000002";
    public const string ExemptGroup = "30000000-0000-4000-8000-000000000001";

    public static readonly DetectedAppRecord TikTok = new("app-tiktok-ios", "TikTok", "32.1.0", "ios");

    public static Ban Ban(string id = "tiktok", BanScope? scope = null) =>
        new(id, "TikTok", null, null, new BanApps(["TikTok"], [], [], [], []), scope ?? ScopeOf(), EffectiveFrom, UninstallBy, ExpiresOn, EnforcementMode.Report);

    public static BanScope ScopeOf(
        IReadOnlyList<string>? include = null,
        IReadOnlyList<string>? exclude = null,
        IReadOnlySet<DeviceOwnership>? ownership = null,
        IReadOnlySet<DevicePlatform>? platforms = null) =>
        new(
            include ?? [],
            exclude ?? [],
            ownership ?? new HashSet<DeviceOwnership> { DeviceOwnership.Company, DeviceOwnership.Personal },
            platforms ?? new HashSet<DevicePlatform> { DevicePlatform.Ios, DevicePlatform.Android });

    /// <summary>A company iPhone that synced a day before <see cref="TenDaysLate"/>.</summary>
    public static DeviceRecord Device(
        string id = DeviceId,
        string? userId = UserId,
        string? entraDeviceId = EntraDeviceId,
        string? operatingSystem = "iOS",
        string? ownerType = "company",
        DateTimeOffset? lastSync = null) =>
        new(id, "iPhone of Alex", userId, userId is null ? null : "alex@contoso.example", entraDeviceId, operatingSystem, ownerType, false,
            lastSync ?? TenDaysLate.AddDays(-1));

    public static DeviceObservation Seen(DeviceRecord device, params DetectedAppRecord[] apps) => new(device, apps);

    public static DeviceObservation NotSeen(DeviceRecord device) => new(device, []);

    public static Exemption Exemption(string id, ExemptionSubjectKind kind, string subjectId, string banId = "tiktok", DateTimeOffset? expiresOn = null) =>
        new(id, banId, new ExemptionSubject(kind, subjectId), "Official communications", "CISO", expiresOn);

    public static GroupMembers Members(string groupId, IReadOnlyList<string>? users = null, IReadOnlyList<string>? devices = null) =>
        new(groupId, (users ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase), (devices ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase));

    public static GroupDirectory Groups(params GroupMembers[] groups) => new(groups, new Dictionary<string, string>());

    public static GroupDirectory GroupsWithUnreadable(string unreadableGroup, params GroupMembers[] groups) =>
        new(groups, new Dictionary<string, string> { [unreadableGroup] = "403 Forbidden" });

    public static BanPlanner Planner(
        Ban ban,
        DateTimeOffset now,
        GroupDirectory? groups = null,
        InventoryCoverage? coverage = null,
        IReadOnlyList<Exemption>? exemptions = null) =>
        new(new BanListDocument(1, [ban], exemptions ?? []), groups ?? GroupDirectory.Empty, coverage ?? new InventoryCoverage(), now, InventoryMaxAge);
}
