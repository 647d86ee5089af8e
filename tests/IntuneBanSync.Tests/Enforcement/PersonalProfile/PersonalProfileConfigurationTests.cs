namespace IntuneBanSync.Tests.Enforcement.PersonalProfile;

public sealed class PersonalProfileConfigurationTests
{
    [Fact]
    public void The_configuration_blocks_each_package_as_an_app_list_item_in_blocked_apps_mode()
    {
        var body = PersonalProfileConfiguration.Create("IntuneBanSync – TikTok – personal profile", "why", "TikTok", ["com.zhiliaoapp.musically", "com.ss.android.ugc.trill"]);

        Assert.Equal(("#microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration", "blockedApps"), ((string)body["@odata.type"]!, (string)body["personalProfilePlayStoreMode"]!));
        var items = body["personalProfilePersonalApplications"]!.AsArray();
        Assert.Equal(["com.zhiliaoapp.musically", "com.ss.android.ugc.trill"], items.Select(i => (string)i!["appId"]!));
        Assert.All(items, i => Assert.Equal("#microsoft.graph.appListItem", (string)i!["@odata.type"]!));
        Assert.Equal("https://play.google.com/store/apps/details?id=com.zhiliaoapp.musically", (string)items[0]!["appStoreUrl"]!);
    }

    [Fact]
    public void A_configuration_blocks_the_packages_when_its_list_and_mode_match()
    {
        var read = Read(PersonalProfileConfiguration.Patch("TikTok", ["b.two", "a.one"]));

        Assert.True(PersonalProfileConfiguration.Blocks(read, ["a.one", "b.two"]));
        Assert.False(PersonalProfileConfiguration.Blocks(read, ["a.one"]));
    }

    [Fact]
    public void An_allow_list_is_not_a_block_list()
    {
        var patch = PersonalProfileConfiguration.Patch("TikTok", ["a.one"]);
        patch["personalProfilePlayStoreMode"] = "allowedApps";

        Assert.False(PersonalProfileConfiguration.Blocks(Read(patch), ["a.one"]));
    }

    private static JsonElement Read(System.Text.Json.Nodes.JsonObject body) => JsonDocument.Parse(body.ToJsonString()).RootElement.Clone();
}
