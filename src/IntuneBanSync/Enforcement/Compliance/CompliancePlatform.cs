using IntuneBanSync.Inventory;

namespace IntuneBanSync.Enforcement.Compliance;

/// <summary>
/// A platform with a restricted-apps compliance setting: iOS/iPadOS (<c>iosCompliancePolicy</c>) and Android device administrator
/// (<c>androidCompliancePolicy</c>). Android Enterprise compliance policies have no restricted apps; macOS and Windows neither.
/// </summary>
/// <param name="Label">What the ledger, the policy's name and the route shown to administrators call it.</param>
/// <param name="FilterPlatform">The assignment filter platform of the policy's targets (deviceAndAppManagementAssignmentFilter.platform).</param>
public sealed record CompliancePlatform(string Label, string ODataType, string FilterPlatform, DevicePlatform Platform)
{
    public static readonly CompliancePlatform Ios = new("ios", "#microsoft.graph.iosCompliancePolicy", "iOS", DevicePlatform.Ios);

    public static readonly CompliancePlatform AndroidDeviceAdministrator =
        new("android", "#microsoft.graph.androidCompliancePolicy", "android", DevicePlatform.Android);

    public static IReadOnlyList<CompliancePlatform> All { get; } = [Ios, AndroidDeviceAdministrator];

    public string Route => $"compliance ({Label})";

    /// <summary>The ban's identifiers for this platform: bundle ids on iOS, package names on Android.</summary>
    public IReadOnlyList<string> Identifiers(Ban ban) => Platform == DevicePlatform.Ios ? ban.Apps.Ios : ban.Apps.Android;

    /// <summary>The ban has a policy on this platform: the platform is in its scope and the ban list names the app's identifiers there.</summary>
    public bool Applies(Ban ban) => ban.Scope.Platforms.Contains(Platform) && Identifiers(ban).Count > 0;

    /// <summary>The policy that reaches a device of this class; null for a class the compliance route does not take.</summary>
    public static CompliancePlatform? For(DeviceClass deviceClass) => deviceClass switch
    {
        DeviceClass.IosSupervised or DeviceClass.IosCompany or DeviceClass.IosPersonal or DeviceClass.IosUserEnrollment => Ios,
        // A personal Android device of unknown mode may be a device administrator: the policy reaches it if so, and nothing otherwise.
        DeviceClass.AndroidDeviceAdministrator or DeviceClass.AndroidPersonalUnknownMode => AndroidDeviceAdministrator,
        _ => null,
    };

    public static CompliancePlatform? ByLabel(string? label) => All.FirstOrDefault(p => p.Label == label);
}
