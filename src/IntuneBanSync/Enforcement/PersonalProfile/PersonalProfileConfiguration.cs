namespace IntuneBanSync.Enforcement.PersonalProfile;

/// <summary>
/// The Android Enterprise device restrictions profile for company-owned devices (beta androidDeviceOwnerGeneralDeviceConfiguration,
/// intune-deviceconfig-androiddeviceownergeneraldeviceconfiguration.md): personalProfilePlayStoreMode = blockedApps with
/// personalProfilePersonalApplications, an appListItem collection of at most 500 elements (name, publisher, appStoreUrl, appId).
/// Only these two properties are set; every other setting stays "not configured". Pure: builds and reads JSON.
/// </summary>
public static class PersonalProfileConfiguration
{
    public const string ODataType = "#microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration";
    public const string BlockedApps = "blockedApps";
    public const int MaxApplications = 500;

    public static JsonObject Create(string displayName, string description, string appName, IReadOnlyList<string> packageIds)
    {
        var body = Patch(appName, packageIds);
        body["displayName"] = displayName;
        body["description"] = description;
        body["roleScopeTagIds"] = new JsonArray("0");
        return body;
    }

    /// <summary>The properties that carry the block list; a PATCH of a device configuration names its concrete type.</summary>
    public static JsonObject Patch(string appName, IReadOnlyList<string> packageIds) => new()
    {
        ["@odata.type"] = ODataType,
        ["personalProfilePlayStoreMode"] = BlockedApps,
        ["personalProfilePersonalApplications"] = new JsonArray([.. packageIds.Select(id => (JsonNode)new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.appListItem",
            ["name"] = appName,
            ["appId"] = id,
            ["appStoreUrl"] = $"https://play.google.com/store/apps/details?id={Uri.EscapeDataString(id)}",
        })]),
    };

    /// <summary>True when the configuration blocks exactly these packages in the personal profile.</summary>
    public static bool Blocks(JsonElement configuration, IReadOnlyList<string> packageIds)
    {
        if (!configuration.TryGetProperty("personalProfilePlayStoreMode", out var mode) || mode.ValueKind != JsonValueKind.String || mode.GetString() != BlockedApps)
            return false;
        if (!configuration.TryGetProperty("personalProfilePersonalApplications", out var apps) || apps.ValueKind != JsonValueKind.Array)
            return packageIds.Count == 0;
        var present = apps.EnumerateArray()
            .Select(a => a.TryGetProperty("appId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null)
            .ToList();
        return present.All(p => p is not null) && present.Order(StringComparer.Ordinal).SequenceEqual(packageIds.Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }
}
