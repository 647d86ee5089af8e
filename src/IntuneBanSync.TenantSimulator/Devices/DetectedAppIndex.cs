using System.Security.Cryptography;
using System.Text;

namespace IntuneBanSync.TenantSimulator;

internal sealed record DetectedApp(string Id, string DisplayName, string Version, string Platform, long SizeInByte, string Publisher, IReadOnlyList<string> DeviceIds);

/// <summary>Intune's aggregate inventory: one entry per (name as installed, version, platform) over visible installs.</summary>
internal sealed class DetectedAppIndex(TenantState state)
{
    private (int Version, IReadOnlyList<DetectedApp> Apps, Dictionary<string, DetectedApp> ById)? cache;

    /// <summary>Call under the state's gate.</summary>
    public IReadOnlyList<DetectedApp> All() => Current().Apps;

    public DetectedApp? Find(string id) => Current().ById.GetValueOrDefault(id);

    public static string PlatformOf(ManagedDevice device) => device.OperatingSystem.Trim().ToLowerInvariant() switch
    {
        "ios" or "ipados" => "ios",
        "macos" => "macOS",
        "windows" => "windows",
        "android" => device.AndroidMode switch
        {
            AndroidMode.FullyManaged or AndroidMode.Dedicated => "androidDedicatedAndFullyManaged",
            AndroidMode.DeviceAdministrator => "androidDeviceAdministrator",
            AndroidMode.CorporateWorkProfile or AndroidMode.PersonalWorkProfile => "androidWorkProfile",
            _ => device.Ownership == "company" ? "androidDedicatedAndFullyManaged" : "androidWorkProfile",
        },
        _ => "unknown",
    };

    public static string IdOf(string displayName, string version, string platform)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{displayName}\n{version}\n{platform}"));
        return Convert.ToHexStringLower(hash)[..44];
    }

    private (int Version, IReadOnlyList<DetectedApp> Apps, Dictionary<string, DetectedApp> ById) Current()
    {
        if (cache is { } current && current.Version == state.InventoryVersion)
        {
            return current;
        }

        var installs = new Dictionary<(string Name, string Version, string Platform), List<string>>();
        foreach (var device in state.ManagedDevicesUnlocked)
        {
            var platform = PlatformOf(device);
            foreach (var app in device.InstalledApps.Where(a => state.IsVisibleInInventory(device, a)))
            {
                var key = (app.DisplayName, app.Version, platform);
                if (!installs.TryGetValue(key, out var devices))
                {
                    installs[key] = devices = [];
                }

                // Devices are visited one at a time, so a repeat install on the same device is always the last entry.
                if (devices.Count == 0 || devices[^1] != device.Id)
                {
                    devices.Add(device.Id);
                }
            }
        }

        var apps = installs
            .OrderBy(e => e.Key.Name, StringComparer.Ordinal)
            .ThenBy(e => e.Key.Version, StringComparer.Ordinal)
            .ThenBy(e => e.Key.Platform, StringComparer.Ordinal)
            .Select(e => new DetectedApp(
                IdOf(e.Key.Name, e.Key.Version, e.Key.Platform),
                e.Key.Name,
                e.Key.Version,
                e.Key.Platform,
                SizeOf(e.Key.Name),
                PublisherOf(e.Key.Name),
                e.Value))
            .ToList();
        cache = (state.InventoryVersion, apps, apps.ToDictionary(a => a.Id, StringComparer.OrdinalIgnoreCase));
        return cache.Value;
    }

    private static long SizeOf(string displayName) =>
        1_000_000 + (BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(displayName))) % 400_000_000);

    private static string PublisherOf(string displayName) => displayName.Trim().ToLowerInvariant() switch
    {
        var name when name.StartsWith("microsoft", StringComparison.Ordinal) => "Microsoft Corporation",
        var name when name.StartsWith("tiktok", StringComparison.Ordinal) => "TikTok Pte. Ltd.",
        _ => "",
    };
}
