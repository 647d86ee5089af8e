namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// beta deviceManagement/assignmentFilters (intune-policyset-deviceandappmanagementassignmentfilter-create.md): DeviceManagementConfiguration
/// permissions; a platform and a rule are required.
/// </summary>
internal static class AssignmentFilterRoutes
{
    private static readonly HashSet<string> Platforms = new(StringComparer.Ordinal)
    {
        "android", "androidForWork", "iOS", "macOS", "windowsPhone81", "windows81AndLater", "windows10AndLater", "androidWorkProfile", "androidAOSP",
    };

    public static PolicyCollection Collection { get; } = new(
        "assignmentFilters",
        "displayName",
        "assignments",
        Needs.Any("DeviceManagementConfiguration.Read.All"),
        Needs.Any("DeviceManagementConfiguration.ReadWrite.All"),
        Validate);

    private static string? Validate(JsonObject body, bool creating)
    {
        if ((body["@odata.type"]?.GetValue<string>() ?? "").TrimStart('#') != "microsoft.graph.deviceAndAppManagementAssignmentFilter")
            return "The @odata.type must be #microsoft.graph.deviceAndAppManagementAssignmentFilter.";
        if (string.IsNullOrWhiteSpace(body["displayName"]?.GetValue<string>()))
            return "displayName is required.";
        if (body["platform"]?.GetValue<string>() is not { } platform || !Platforms.Contains(platform))
            return $"platform must be one of {string.Join(", ", Platforms)}.";
        return string.IsNullOrWhiteSpace(body["rule"]?.GetValue<string>()) ? "rule is required." : null;
    }
}
