namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// beta deviceManagement/deviceConfigurations (intune-deviceconfig-deviceconfiguration-*.md): DeviceManagementConfiguration
/// permissions; deviceConfiguration is abstract, so a body names a concrete type; a displayName is required. The Android device
/// owner configuration (intune-deviceconfig-androiddeviceownergeneraldeviceconfiguration.md) is checked as its page documents:
/// personalProfilePlayStoreMode one of notConfigured, blockedApps, allowedApps; personalProfilePersonalApplications an appListItem
/// collection of at most 500 elements.
/// </summary>
internal static class DeviceConfigurationRoutes
{
    public const string DeviceOwnerGeneral = "microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration";
    public const int MaxPersonalApplications = 500;

    // The concrete types the simulator knows; Graph refuses a type its model lacks.
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal)
    {
        DeviceOwnerGeneral,
        "microsoft.graph.androidWorkProfileGeneralDeviceConfiguration",
        "microsoft.graph.androidGeneralDeviceConfiguration",
        "microsoft.graph.iosGeneralDeviceConfiguration",
        "microsoft.graph.iosCustomConfiguration",
        "microsoft.graph.macOSGeneralDeviceConfiguration",
        "microsoft.graph.windows10GeneralConfiguration",
        "microsoft.graph.windows10CustomConfiguration",
    };

    private static readonly HashSet<string> PlayStoreModes = new(StringComparer.Ordinal) { "notConfigured", "blockedApps", "allowedApps" };

    public static PolicyCollection Collection { get; } = new(
        "deviceConfigurations",
        "displayName",
        "assignments",
        Needs.Any("DeviceManagementConfiguration.Read.All"),
        Needs.Any("DeviceManagementConfiguration.ReadWrite.All"),
        Validate);

    /// <summary>The package ids a device owner configuration blocks in the personal profile (none unless its mode is blockedApps).</summary>
    public static IReadOnlySet<string> PersonalProfileBlocked(PolicyEntity configuration) =>
        configuration.ODataType == DeviceOwnerGeneral && configuration.Text("personalProfilePlayStoreMode") == "blockedApps"
            ? (configuration.Body["personalProfilePersonalApplications"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Select(item => item["appId"]?.GetValue<string>())
                .OfType<string>()
                .ToHashSet(StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>();

    private static string? Validate(JsonObject body, bool creating)
    {
        var type = (body["@odata.type"]?.GetValue<string>() ?? "").TrimStart('#');
        if (!Types.Contains(type))
            return type.Length == 0
                ? "The @odata.type is required: deviceConfiguration is abstract."
                : $"Unknown @odata.type '#{type}'.";
        if (string.IsNullOrWhiteSpace(body["displayName"]?.GetValue<string>()))
            return "displayName is required.";
        if (type != DeviceOwnerGeneral)
            return null;
        if (body["personalProfilePlayStoreMode"] is { } mode && (mode is not JsonValue value || !value.TryGetValue<string>(out var text) || !PlayStoreModes.Contains(text)))
            return $"personalProfilePlayStoreMode must be one of {string.Join(", ", PlayStoreModes)}.";
        if (body["personalProfilePersonalApplications"] is not { } apps)
            return null;
        if (apps is not JsonArray items)
            return "personalProfilePersonalApplications must be an array.";
        if (items.Count > MaxPersonalApplications)
            return $"personalProfilePersonalApplications can contain a maximum of {MaxPersonalApplications} elements.";
        return items.All(i => i is JsonObject item
                && (item["@odata.type"]?.GetValue<string>() ?? "microsoft.graph.appListItem").TrimStart('#') == "microsoft.graph.appListItem"
                && item["appId"]?.GetValue<string>() is { Length: > 0 })
            ? null
            : "Each personalProfilePersonalApplications entry must be a #microsoft.graph.appListItem with an appId.";
    }
}
