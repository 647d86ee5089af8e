namespace IntuneBanSync.Inventory;

/// <summary>
/// The one place where Intune's free-text platform and ownership values map onto a ban's scope.
/// Null means unknown: callers report such a device as out of scope, they never drop it silently.
/// </summary>
public static class DeviceClassification
{
    /// <summary>Maps <c>managedDevice.operatingSystem</c> (e.g. "iOS", "iPadOS", "Android Enterprise", "Windows 10", "Mac OS X").</summary>
    public static DevicePlatform? PlatformOf(string? operatingSystem)
    {
        var os = Normalize(operatingSystem);
        return os switch
        {
            null => null,
            _ when StartsWithWord(os, "ios") || StartsWithWord(os, "ipados") => DevicePlatform.Ios,
            _ when os.StartsWith("android", StringComparison.Ordinal) => DevicePlatform.Android,
            _ when os.StartsWith("windows", StringComparison.Ordinal) => DevicePlatform.Windows,
            _ when StartsWithWord(os, "macos") || StartsWithWord(os, "mac os") || StartsWithWord(os, "os x") || StartsWithWord(os, "osx")
                => DevicePlatform.Macos,
            _ => null,
        };
    }

    /// <summary>Maps <c>managedDevice.managedDeviceOwnerType</c>; "unknown" and anything else is null.</summary>
    public static DeviceOwnership? OwnershipOf(string? managedDeviceOwnerType) => Normalize(managedDeviceOwnerType) switch
    {
        "company" => DeviceOwnership.Company,
        "personal" => DeviceOwnership.Personal,
        _ => null,
    };

    /// <summary>Maps <c>detectedApp.platform</c> (a Graph enum such as "androidWorkProfile").</summary>
    public static DevicePlatform? PlatformOfDetectedApp(string? detectedAppPlatform) => Normalize(detectedAppPlatform) switch
    {
        "ios" => DevicePlatform.Ios,
        "macos" => DevicePlatform.Macos,
        "windows" or "windowsmobile" or "windowsholographic" => DevicePlatform.Windows,
        "androidworkprofile" or "androiddeviceadministrator" or "androiddedicatedandfullymanaged" or "androidosp" => DevicePlatform.Android,
        _ => null,
    };

    private static string? Normalize(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();

    // "iOS 17" is iOS, but "iosomething" is not.
    private static bool StartsWithWord(string value, string word) =>
        value.StartsWith(word, StringComparison.Ordinal) && (value.Length == word.Length || !char.IsLetter(value[word.Length]));
}
