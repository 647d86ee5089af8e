namespace IntuneBanSync.IntegrationTests.Simulator;

/// <summary>The simulator's settings catalog and device configurations refuse what Graph refuses, and their check-in effects.</summary>
public sealed class ConfigurationPolicyTests : SimulatorTests
{
    [Fact]
    public async Task Settings_are_not_part_of_the_policy_and_their_own_route_pages_them_by_25()
    {
        var tenant = await StartAsync(devices: 20);
        var policy = Policy("thirty settings", [.. Enumerable.Range(0, 30).Select(i => Setting(Choice($"settings_item_{i}")))]);
        var id = await CreateAsync(Http, tenant, "configurationPolicies", policy);

        var plain = await Http.GetFromJsonAsync<JsonObject>($"{tenant.BetaUrl}/deviceManagement/configurationPolicies/{id}");
        var expanded = await Http.GetFromJsonAsync<JsonObject>($"{tenant.BetaUrl}/deviceManagement/configurationPolicies/{id}?$expand=settings");
        var page = await Http.GetFromJsonAsync<JsonObject>($"{tenant.BetaUrl}/deviceManagement/configurationPolicies/{id}/settings");

        Assert.False(plain!.ContainsKey("settings"));
        Assert.Equal(30, expanded!["settings"]!.AsArray().Count);
        Assert.Equal(25, page!["value"]!.AsArray().Count);
        Assert.NotNull(page["@odata.nextLink"]);
    }

    [Fact]
    public async Task A_patch_carrying_settings_is_refused_and_a_put_replaces_the_policy_whole()
    {
        var tenant = await StartAsync(devices: 20);
        var id = await CreateAsync(Http, tenant, "configurationPolicies", BlockedAppsSetting.Policy("ours", "d", ["a.one"]));
        var url = $"{tenant.BetaUrl}/deviceManagement/configurationPolicies/{id}";

        var patch = await Http.PatchAsync(url, JsonContent.Create(new JsonObject { ["settings"] = BlockedAppsSetting.Settings(["b.two"]) }));
        var put = await Http.PutAsync(url, JsonContent.Create(BlockedAppsSetting.Policy("ours", "d", ["b.two"])));

        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Contains("Cannot apply PATCH to navigation property 'settings'", await patch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var settings = await Http.GetFromJsonAsync<JsonObject>($"{url}/settings");
        Assert.Contains("b.two", settings!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("a.one", settings.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a collection sent as an object")]
    [InlineData("a restriction outside its group")]
    [InlineData("an unknown instance type")]
    [InlineData("an unknown platform")]
    public async Task A_policy_graph_would_refuse_is_refused(string defect)
    {
        var tenant = await StartAsync(devices: 20);
        var body = BlockedAppsSetting.Policy("defective", "d", ["a.one"]);
        var instance = body["settings"]![0]!["settingInstance"]!;
        switch (defect)
        {
            case "a collection sent as an object":
                instance["groupSettingCollectionValue"] = instance["groupSettingCollectionValue"]![0]!.DeepClone();
                break;
            case "a restriction outside its group":
                body["settings"]![0]!["settingInstance"] = instance["groupSettingCollectionValue"]![0]!["children"]![0]!.DeepClone();
                break;
            case "an unknown instance type":
                instance["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationMadeUpInstance";
                break;
            default:
                body["platforms"] = "iPhoneOS";
                break;
        }

        var response = await Http.PostAsync($"{tenant.BetaUrl}/deviceManagement/configurationPolicies", JsonContent.Create(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(tenant.State.Policies.Of("configurationPolicies"));
    }

    [Theory]
    [InlineData(500, HttpStatusCode.Created)]
    [InlineData(501, HttpStatusCode.BadRequest)]
    public async Task A_personal_profile_list_holds_at_most_500_apps(int apps, HttpStatusCode expected)
    {
        var tenant = await StartAsync(devices: 20);
        var body = PersonalProfileConfiguration.Create("many", "d", "App", [.. Enumerable.Range(0, apps).Select(i => $"com.example.app{i}")]);

        var response = await Http.PostAsync($"{tenant.BetaUrl}/deviceManagement/deviceConfigurations", JsonContent.Create(body));

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("#microsoft.graph.deviceConfiguration")]
    [InlineData("#microsoft.graph.androidDeviceOwnerMadeUpConfiguration")]
    public async Task A_device_configuration_needs_a_concrete_type_graph_knows(string? type)
    {
        var tenant = await StartAsync(devices: 20);
        var body = PersonalProfileConfiguration.Create("typed", "d", "App", ["com.example.app"]);
        body["@odata.type"] = type;

        var response = await Http.PostAsync($"{tenant.BetaUrl}/deviceManagement/deviceConfigurations", JsonContent.Create(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_supervised_iphone_reached_by_a_blocked_apps_policy_blocks_the_bundle_ids_at_check_in_and_an_unsupervised_one_does_not()
    {
        var tenant = await StartAsync(devices: 300);
        var supervised = tenant.State.ManagedDevices.First(d => d is { OperatingSystem: "iOS", IsSupervised: true, UserId: not null });
        var unsupervised = tenant.State.ManagedDevices.First(d => d is { OperatingSystem: "iOS", IsSupervised: false, UserId: not null });
        var id = await CreateAsync(Http, tenant, "configurationPolicies", BlockedAppsSetting.Policy("block", "d", ["com.zhiliaoapp.musically"]));
        await AssignAllDevicesAsync(Http, tenant, "configurationPolicies", id);

        tenant.CheckInAll();

        Assert.Equal(["com.zhiliaoapp.musically"], tenant.State.ManagedDeviceById(supervised.Id).BlockedAppIdentifiers);
        Assert.Null(tenant.State.ManagedDeviceById(unsupervised.Id).BlockedAppIdentifiers);
    }

    [Fact]
    public async Task A_cope_device_reached_by_a_personal_profile_block_list_loses_its_personal_copy_and_keeps_its_work_profile_copy()
    {
        var tenant = await StartAsync(devices: 300);
        var cope = tenant.State.ManagedDevices.First(d => d.AndroidMode == AndroidMode.CorporateWorkProfile);
        var fullyManaged = tenant.State.ManagedDevices.First(d => d.AndroidMode == AndroidMode.FullyManaged);
        InstalledApp[] both = [new("TikTok", "37.0.1", AppSource.Managed, "com.zhiliaoapp.musically"), new("TikTok", "37.0.1", AppSource.User, "com.zhiliaoapp.musically")];
        tenant.State.Arrange(cope with { InstalledApps = [.. cope.InstalledApps, .. both] });
        tenant.State.Arrange(fullyManaged with { InstalledApps = [.. fullyManaged.InstalledApps, both[1]] });
        var id = await CreateAsync(Http, tenant, "deviceConfigurations", PersonalProfileConfiguration.Create("block", "d", "TikTok", ["com.zhiliaoapp.musically"]));
        await AssignAllDevicesAsync(Http, tenant, "deviceConfigurations", id);

        var removed = tenant.CheckIn(cope.Id);
        tenant.CheckIn(fullyManaged.Id);

        Assert.Equal([AppSource.User], removed.RemovedApps.Select(a => a.Source));
        Assert.Contains(tenant.State.ManagedDeviceById(cope.Id).InstalledApps, a => a.Identifier == "com.zhiliaoapp.musically" && a.Source == AppSource.Managed);
        Assert.Contains(tenant.State.ManagedDeviceById(fullyManaged.Id).InstalledApps, a => a.Identifier == "com.zhiliaoapp.musically");
    }

    private static async Task<string> CreateAsync(HttpClient http, SimulatedTenant tenant, string collection, JsonObject body)
    {
        var response = await http.PostAsync($"{tenant.BetaUrl}/deviceManagement/{collection}", JsonContent.Create(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private static async Task AssignAllDevicesAsync(HttpClient http, SimulatedTenant tenant, string collection, string id)
    {
        var body = new JsonObject
        {
            ["assignments"] = new JsonArray(new JsonObject { ["target"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.allDevicesAssignmentTarget" } }),
        };
        (await http.PostAsync($"{tenant.BetaUrl}/deviceManagement/{collection}/{id}/assign", JsonContent.Create(body))).EnsureSuccessStatusCode();
    }

    private static JsonObject Policy(string name, JsonArray settings) => new()
    {
        ["name"] = name,
        ["platforms"] = "iOS",
        ["technologies"] = "mdm",
        ["settings"] = settings,
    };

    private static JsonObject Setting(JsonObject instance) => new()
    {
        ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationSetting",
        ["settingInstance"] = instance,
    };

    private static JsonObject Choice(string definition) => new()
    {
        ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
        ["settingDefinitionId"] = definition,
        ["choiceSettingValue"] = new JsonObject { ["value"] = definition + "_true", ["children"] = new JsonArray() },
    };
}
