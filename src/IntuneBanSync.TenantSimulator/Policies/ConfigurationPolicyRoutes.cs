namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// beta deviceManagement/configurationPolicies, the settings catalog (intune-deviceconfigv2-devicemanagementconfigurationpolicy-create.md):
/// DeviceManagementConfiguration permissions; a name, documented platforms and technologies; settings sent inline on create, read
/// back from {id}/settings (a navigation property: PATCH refuses it, PUT replaces the policy whole). Setting instances are checked
/// for the shapes the resource pages document (devicemanagementconfigurationgroupsettingcollectioninstance.md,
/// devicemanagementconfigurationsimplesettingcollectioninstance.md): collections are arrays even with one element, a simple
/// collection holds typed string values, and a restriction of the Apple restrictions payload sits inside its group setting.
/// </summary>
internal static class ConfigurationPolicyRoutes
{
    public const string RestrictionsGroup = "com.apple.applicationaccess_com.apple.applicationaccess";
    public const string BlockedAppBundleIds = "com.apple.applicationaccess_blockedappbundleids";

    private const string Type = "microsoft.graph.";

    private static readonly HashSet<string> Platforms = new(StringComparer.Ordinal)
    {
        "none", "android", "iOS", "macOS", "windows10X", "windows10", "linux", "unknownFutureValue", "androidEnterprise", "aosp", "visionOS", "tvOS",
    };

    private static readonly HashSet<string> Technologies = new(StringComparer.Ordinal)
    {
        "none", "mdm", "windows10XManagement", "configManager", "appleRemoteManagement", "microsoftSense", "exchangeOnline", "mobileApplicationManagement",
        "linuxMdm", "extensibility", "enrollment", "endpointPrivilegeManagement", "unknownFutureValue", "windowsOsRecovery", "android",
    };

    private static readonly HashSet<string> InstanceTypes = new(StringComparer.Ordinal)
    {
        "deviceManagementConfigurationGroupSettingCollectionInstance", "deviceManagementConfigurationGroupSettingInstance",
        "deviceManagementConfigurationSimpleSettingCollectionInstance", "deviceManagementConfigurationSimpleSettingInstance",
        "deviceManagementConfigurationChoiceSettingCollectionInstance", "deviceManagementConfigurationChoiceSettingInstance",
    };

    public static PolicyCollection Collection { get; } = new(
        "configurationPolicies",
        "name",
        "assignments",
        Needs.Any("DeviceManagementConfiguration.Read.All"),
        Needs.Any("DeviceManagementConfiguration.ReadWrite.All"),
        Validate,
        Navigation: ["settings"],
        Replaceable: true);

    /// <summary>The string values of every simple-setting collection with this definition id, wherever it sits in the policy's settings.</summary>
    public static IEnumerable<string> StringValues(JsonObject policy, string settingDefinitionId) =>
        (policy["settings"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(s => Values(s["settingInstance"] as JsonObject, settingDefinitionId));

    private static IEnumerable<string> Values(JsonObject? instance, string settingDefinitionId)
    {
        if (instance is null)
            yield break;
        if (instance["settingDefinitionId"]?.GetValue<string>() == settingDefinitionId && instance["simpleSettingCollectionValue"] is JsonArray values)
        {
            foreach (var value in values.OfType<JsonObject>())
            {
                if (value["value"] is JsonValue text && text.TryGetValue<string>(out var s))
                    yield return s;
            }
        }

        foreach (var child in Children(instance))
        {
            foreach (var value in Values(child, settingDefinitionId))
                yield return value;
        }
    }

    private static IEnumerable<JsonObject> Children(JsonObject instance) =>
        (instance["groupSettingCollectionValue"] as JsonArray ?? [])
            .Append(instance["groupSettingValue"])
            .OfType<JsonObject>()
            .SelectMany(v => v["children"] as JsonArray ?? [])
            .OfType<JsonObject>();

    private static string? Validate(JsonObject body, bool creating)
    {
        if (body["@odata.type"]?.GetValue<string>() is { } type && type.TrimStart('#') != Type + "deviceManagementConfigurationPolicy")
            return $"The @odata.type must be #{Type}deviceManagementConfigurationPolicy.";
        if (string.IsNullOrWhiteSpace(body["name"]?.GetValue<string>()))
            return "name is required.";
        if (!IsFlags(body["platforms"], Platforms))
            return $"platforms must be one or more of {string.Join(", ", Platforms)}.";
        if (!IsFlags(body["technologies"], Technologies))
            return $"technologies must be one or more of {string.Join(", ", Technologies)}.";
        if (body["settings"] is null)
            return null;
        if (body["settings"] is not JsonArray settings)
            return "settings must be an array.";
        foreach (var setting in settings)
        {
            if (setting is not JsonObject s || (s["@odata.type"]?.GetValue<string>() is { } t && t.TrimStart('#') != Type + "deviceManagementConfigurationSetting"))
                return $"Each setting must be a #{Type}deviceManagementConfigurationSetting.";
            if (InstanceRefusal(s["settingInstance"], topLevel: true) is { } refusal)
                return refusal;
        }

        return null;
    }

    private static string? InstanceRefusal(JsonNode? node, bool topLevel)
    {
        if (node is not JsonObject instance)
            return "Each setting needs a settingInstance.";
        var type = (instance["@odata.type"]?.GetValue<string>() ?? "").TrimStart('#');
        if (!type.StartsWith(Type, StringComparison.Ordinal) || !InstanceTypes.Contains(type[Type.Length..]))
            return $"Unknown setting instance type '{type}'.";
        if (instance["settingDefinitionId"]?.GetValue<string>() is not { Length: > 0 } definition)
            return "Each setting instance needs a settingDefinitionId.";
        // The Apple restrictions payload's keys are children of its group setting, never settings of their own.
        if (topLevel && definition.StartsWith("com.apple.applicationaccess_", StringComparison.Ordinal) && definition != RestrictionsGroup)
            return $"Setting '{definition}' must be a child of the group setting '{RestrictionsGroup}'.";
        switch (type[Type.Length..])
        {
            case "deviceManagementConfigurationGroupSettingCollectionInstance":
                if (instance["groupSettingCollectionValue"] is not JsonArray groups)
                    return "groupSettingCollectionValue must be an array.";
                foreach (var group in groups)
                {
                    if (group is not JsonObject g || g["children"] is not JsonArray children)
                        return "Each groupSettingCollectionValue needs a children array.";
                    if (children.Select(c => InstanceRefusal(c, topLevel: false)).FirstOrDefault(r => r is not null) is { } refusal)
                        return refusal;
                }

                return null;
            case "deviceManagementConfigurationSimpleSettingCollectionInstance":
                if (instance["simpleSettingCollectionValue"] is not JsonArray values)
                    return "simpleSettingCollectionValue must be an array.";
                return values.All(v => v is JsonObject o && o["value"] is JsonValue && (o["@odata.type"]?.GetValue<string>() ?? "").TrimStart('#') is
                        Type + "deviceManagementConfigurationStringSettingValue" or Type + "deviceManagementConfigurationIntegerSettingValue")
                    ? null
                    : "Each simpleSettingCollectionValue needs an @odata.type of a string or integer setting value and a value.";
            default:
                return null;
        }
    }

    private static bool IsFlags(JsonNode? node, HashSet<string> members) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
        && text.Split(',', StringSplitOptions.TrimEntries).All(members.Contains);
}
