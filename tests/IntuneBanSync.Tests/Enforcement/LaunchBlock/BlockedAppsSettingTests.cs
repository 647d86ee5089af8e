namespace IntuneBanSync.Tests.Enforcement.LaunchBlock;

public sealed class BlockedAppsSettingTests
{
    [Fact]
    public void The_blocked_apps_are_a_simple_setting_collection_inside_the_restrictions_group_collection()
    {
        var policy = BlockedAppsSetting.Policy("IntuneBanSync – TikTok – launch block", "why", ["com.zhiliaoapp.musically"]);

        var instance = policy["settings"]![0]!["settingInstance"]!;
        var child = instance["groupSettingCollectionValue"]![0]!["children"]![0]!;
        Assert.Equal(("iOS", "mdm"), ((string)policy["platforms"]!, (string)policy["technologies"]!));
        Assert.Equal("#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance", (string)instance["@odata.type"]!);
        Assert.Equal(BlockedAppsSetting.RestrictionsGroup, (string)instance["settingDefinitionId"]!);
        Assert.Equal("#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance", (string)child["@odata.type"]!);
        Assert.Equal(BlockedAppsSetting.BlockedAppBundleIds, (string)child["settingDefinitionId"]!);
        var value = Assert.Single(child["simpleSettingCollectionValue"]!.AsArray())!;
        Assert.Equal(("#microsoft.graph.deviceManagementConfigurationStringSettingValue", "com.zhiliaoapp.musically"), ((string)value["@odata.type"]!, (string)value["value"]!));
    }

    [Fact]
    public void Our_settings_read_back_are_exactly_ours_whatever_the_order_of_the_bundle_ids()
    {
        var settings = Read(BlockedAppsSetting.Settings(["b.two", "a.one"]));

        Assert.True(BlockedAppsSetting.AreExactly(settings, ["a.one", "b.two"]));
        Assert.False(BlockedAppsSetting.AreExactly(settings, ["a.one"]));
        Assert.False(BlockedAppsSetting.AreExactly(settings, ["a.one", "b.two", "c.three"]));
    }

    [Fact]
    public void Settings_with_another_restriction_beside_ours_are_not_exactly_ours()
    {
        var settings = BlockedAppsSetting.Settings(["a.one"]);
        settings[0]!["settingInstance"]!["groupSettingCollectionValue"]![0]!["children"]!.AsArray().Add(Choice("com.apple.applicationaccess_allowcamera"));

        Assert.False(BlockedAppsSetting.AreExactly(Read(settings), ["a.one"]));
    }

    [Fact]
    public void A_policy_setting_blocked_apps_among_other_restrictions_manages_blocked_apps()
    {
        var settings = BlockedAppsSetting.Settings(["com.apple.facetime"]);
        settings[0]!["settingInstance"]!["groupSettingCollectionValue"]![0]!["children"]!.AsArray().Insert(0, Choice("com.apple.applicationaccess_allowbluetoothmodification"));

        Assert.True(BlockedAppsSetting.ManagesBlockedApps(Read(settings)));
    }

    [Fact]
    public void A_policy_with_other_restrictions_only_does_not_manage_blocked_apps()
    {
        var settings = new JsonArray(new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationSetting",
            ["settingInstance"] = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
                ["settingDefinitionId"] = BlockedAppsSetting.RestrictionsGroup,
                ["groupSettingCollectionValue"] = new JsonArray(new JsonObject { ["children"] = new JsonArray(Choice("com.apple.applicationaccess_allowcamera")) }),
            },
        });

        Assert.False(BlockedAppsSetting.ManagesBlockedApps(Read(settings)));
    }

    private static JsonObject Choice(string definition) => new()
    {
        ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
        ["settingDefinitionId"] = definition,
        ["choiceSettingValue"] = new JsonObject { ["value"] = definition + "_false", ["children"] = new JsonArray() },
    };

    private static List<JsonElement> Read(JsonArray settings) =>
        [.. JsonDocument.Parse(settings.ToJsonString()).RootElement.EnumerateArray().Select(e => e.Clone())];
}
