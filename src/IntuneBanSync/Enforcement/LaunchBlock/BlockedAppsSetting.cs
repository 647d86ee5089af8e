namespace IntuneBanSync.Enforcement.LaunchBlock;

/// <summary>
/// The settings catalog's Blocked Apps restriction (Apple's blockedAppBundleIDs, mdm/profiles/com.apple.applicationaccess.yaml in
/// apple/device-management: "the system prevents showing or launching apps with bundle IDs in the array"; supervised iOS 15 and later,
/// forbidden under user enrollment). In Graph it is a simple-setting collection of string values, a child of the restrictions group
/// setting collection — the shape Microsoft's own example policy uses (memdocs, "Optional restrictions" for iPads:
/// com.apple.applicationaccess_com.apple.applicationaccess → children → com.apple.applicationaccess_blockedappbundleids), with
/// deviceManagementConfigurationGroupSettingCollectionInstance and deviceManagementConfigurationSimpleSettingCollectionInstance as
/// their beta resource pages document them. Pure: builds and reads JSON, nothing else.
/// </summary>
public static class BlockedAppsSetting
{
    public const string RestrictionsGroup = "com.apple.applicationaccess_com.apple.applicationaccess";
    public const string BlockedAppBundleIds = "com.apple.applicationaccess_blockedappbundleids";

    private const string Graph = "#microsoft.graph.";

    /// <summary>The body of a new settings catalog policy for iOS carrying only the restriction.</summary>
    public static JsonObject Policy(string name, string description, IReadOnlyList<string> bundleIds) => new()
    {
        ["@odata.type"] = Graph + "deviceManagementConfigurationPolicy",
        ["name"] = name,
        ["description"] = description,
        ["platforms"] = "iOS",
        ["technologies"] = "mdm",
        ["roleScopeTagIds"] = new JsonArray("0"),
        ["settings"] = Settings(bundleIds),
    };

    /// <summary>The policy's settings: one group setting collection holding the blocked apps (every collection an array, even of one).</summary>
    public static JsonArray Settings(IReadOnlyList<string> bundleIds) =>
    [
        new JsonObject
        {
            ["@odata.type"] = Graph + "deviceManagementConfigurationSetting",
            ["settingInstance"] = new JsonObject
            {
                ["@odata.type"] = Graph + "deviceManagementConfigurationGroupSettingCollectionInstance",
                ["settingDefinitionId"] = RestrictionsGroup,
                ["groupSettingCollectionValue"] = new JsonArray(new JsonObject
                {
                    ["children"] = new JsonArray(new JsonObject
                    {
                        ["@odata.type"] = Graph + "deviceManagementConfigurationSimpleSettingCollectionInstance",
                        ["settingDefinitionId"] = BlockedAppBundleIds,
                        ["simpleSettingCollectionValue"] = new JsonArray([.. bundleIds.Select(id => (JsonNode)new JsonObject
                        {
                            ["@odata.type"] = Graph + "deviceManagementConfigurationStringSettingValue",
                            ["value"] = id,
                        })]),
                    }),
                }),
            },
        },
    ];

    /// <summary>True when a policy's settings (as {id}/settings lists them) configure the blocked apps anywhere.</summary>
    public static bool ManagesBlockedApps(IEnumerable<JsonElement> settings) =>
        settings.Any(s => s.TryGetProperty("settingInstance", out var instance) && Instances(instance).Any(i => DefinitionOf(i) == BlockedAppBundleIds));

    /// <summary>
    /// True when the settings are exactly what <see cref="Settings"/> writes for these bundle ids (in any order): one restrictions
    /// group holding only the blocked apps. Anything else in our policy is put back by the next write.
    /// </summary>
    public static bool AreExactly(IReadOnlyList<JsonElement> settings, IReadOnlyList<string> bundleIds)
    {
        if (settings.Count != 1 || !settings[0].TryGetProperty("settingInstance", out var group) || DefinitionOf(group) != RestrictionsGroup)
            return false;
        if (!group.TryGetProperty("groupSettingCollectionValue", out var values) || values.ValueKind != JsonValueKind.Array || values.GetArrayLength() != 1)
            return false;
        if (!values[0].TryGetProperty("children", out var children) || children.ValueKind != JsonValueKind.Array || children.GetArrayLength() != 1)
            return false;
        var blocked = children[0];
        if (DefinitionOf(blocked) != BlockedAppBundleIds || !blocked.TryGetProperty("simpleSettingCollectionValue", out var items) || items.ValueKind != JsonValueKind.Array)
            return false;
        var present = items.EnumerateArray()
            .Select(i => i.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null)
            .ToList();
        return present.All(p => p is not null) && present.Order(StringComparer.Ordinal).SequenceEqual(bundleIds.Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private static string? DefinitionOf(JsonElement instance) =>
        instance.TryGetProperty("settingDefinitionId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>A setting instance and every instance nested in it (group collections, groups, choices and their children).</summary>
    private static IEnumerable<JsonElement> Instances(JsonElement instance)
    {
        if (instance.ValueKind != JsonValueKind.Object)
            yield break;
        yield return instance;
        foreach (var child in ChildrenOf(instance))
        {
            foreach (var nested in Instances(child))
                yield return nested;
        }
    }

    private static IEnumerable<JsonElement> ChildrenOf(JsonElement instance)
    {
        var values = new List<JsonElement>();
        foreach (var property in new[] { "groupSettingCollectionValue", "choiceSettingCollectionValue" })
        {
            if (instance.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array)
                values.AddRange(list.EnumerateArray());
        }

        foreach (var property in new[] { "groupSettingValue", "choiceSettingValue" })
        {
            if (instance.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object)
                values.Add(value);
        }

        return values.SelectMany(v => v.TryGetProperty("children", out var children) && children.ValueKind == JsonValueKind.Array
            ? children.EnumerateArray()
            : Enumerable.Empty<JsonElement>());
    }
}
