using Microsoft.Graph.Models;

namespace IntuneBanSync.IntegrationTests.Simulator;

/// <summary>The simulated compliance resources refuse what Graph refuses, and a compliance policy acts on devices at check-in.</summary>
public sealed class ComplianceSimulatorTests : SimulatorTests
{
    private const string TikTok = "com.zhiliaoapp.musically";

    [Fact]
    public async Task A_compliance_policy_create_without_scheduled_actions_is_refused()
    {
        var tenant = await StartAsync();
        var body = Policy("#microsoft.graph.iosCompliancePolicy", graceHours: null);

        var response = await Http.PostAsJsonAsync(Policies(tenant), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("one and only one block scheduled action", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(tenant.State.Policies.Of("deviceCompliancePolicies"));
    }

    [Fact]
    public async Task A_compliance_policy_of_an_unknown_type_is_refused()
    {
        var tenant = await StartAsync();

        var response = await Http.PostAsJsonAsync(Policies(tenant), Policy("#microsoft.graph.iosRestrictionPolicy", graceHours: 0));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("@odata.type", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_100_restricted_apps_are_refused()
    {
        var tenant = await StartAsync();
        var body = Policy("#microsoft.graph.iosCompliancePolicy", graceHours: 0);
        body["restrictedApps"] = new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode)new JsonObject { ["name"] = $"App {i}", ["appId"] = $"com.example.app{i}" })]);

        var response = await Http.PostAsJsonAsync(Policies(tenant), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("maximum of 100", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scheduled_actions_are_shown_only_when_expanded_and_replaced_by_schedule_actions_for_rules()
    {
        var tenant = await StartAsync();
        var id = await CreateAsync(Http, tenant, Policy("#microsoft.graph.iosCompliancePolicy", graceHours: 24));
        var schedule = new JsonObject { ["deviceComplianceScheduledActionForRules"] = Rules(graceHours: 12) };

        var plain = await Http.GetFromJsonAsync<JsonObject>($"{Policies(tenant)}/{id}");
        var scheduled = await Http.PostAsJsonAsync($"{Policies(tenant)}/{id}/scheduleActionsForRules", schedule);
        var expanded = await Http.GetFromJsonAsync<JsonObject>($"{Policies(tenant)}/{id}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)");

        Assert.False(plain!.ContainsKey("scheduledActionsForRule"));
        Assert.Equal(HttpStatusCode.NoContent, scheduled.StatusCode);
        Assert.Equal(12, expanded!["scheduledActionsForRule"]![0]!["scheduledActionConfigurations"]![0]!["gracePeriodHours"]!.GetValue<int>());
    }

    [Fact]
    public async Task Notification_templates_need_the_service_configuration_permission_and_keep_one_default_message()
    {
        var tenant = await StartAsync();
        using var configurationOnly = SimulatorGraph.Http(new LoopbackCredential([GraphPermissions.ConfigurationReadWrite.Name]));
        var template = new JsonObject { ["displayName"] = "Notice", ["defaultLocale"] = "en-us", ["brandingOptions"] = "none" };

        var refused = await configurationOnly.PostAsJsonAsync(Templates(tenant), template);
        var id = await CreateAsync(Http, tenant, template, Templates(tenant));
        var messages = $"{Templates(tenant)}/{id}/localizedNotificationMessages";
        (await Http.PostAsJsonAsync(messages, Message("en-us", isDefault: true))).EnsureSuccessStatusCode();
        (await Http.PostAsJsonAsync(messages, Message("fr-fr", isDefault: true))).EnsureSuccessStatusCode();
        var listed = await Http.GetFromJsonAsync<JsonObject>(messages);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(["fr-fr"], listed!["value"]!.AsArray().Where(m => m!["isDefault"]!.GetValue<bool>()).Select(m => m!["locale"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_device_with_a_restricted_app_is_in_grace_then_noncompliant_when_the_grace_is_over()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.Zero));
        var (tenant, device) = await StartWithIosTikTokAsync(AppSource.User, new SimulatorOptions { TimeFactor = 0.01, TimeProvider = clock });
        await AssignedPolicyAsync(Http, tenant, UserGroupOf(tenant, device), graceHours: 2);

        var inGrace = ComplianceAtCheckIn(tenant, device);
        clock.Advance(TimeSpan.FromHours(2));
        var afterGrace = ComplianceAtCheckIn(tenant, device);

        Assert.Equal(("inGracePeriod", "noncompliant"), (inGrace, afterGrace));
    }

    [Fact]
    public async Task A_noncompliant_device_is_compliant_again_once_the_app_is_gone()
    {
        var (tenant, device) = await StartWithIosTikTokAsync(AppSource.Managed);
        var group = UserGroupOf(tenant, device);
        await AssignedPolicyAsync(Http, tenant, group, graceHours: 0);
        var whileInstalled = ComplianceAtCheckIn(tenant, device);
        var catalogApp = tenant.State.MobileApps.Single(a => a.ODataType == "iosStoreApp" && a.BundleId == TikTok);
        await Client.DeviceAppManagement.MobileApps[catalogApp.Id].Assignments.PostAsync(new MobileAppAssignment
        {
            Intent = InstallIntent.Uninstall,
            Target = new GroupAssignmentTarget { GroupId = group },
        });

        var afterUninstall = ComplianceAtCheckIn(tenant, device);

        Assert.Equal(("noncompliant", "compliant"), (whileInstalled, afterUninstall));
    }

    [Fact]
    public async Task A_policy_assigned_elsewhere_leaves_the_device_as_it_was()
    {
        var (tenant, device) = await StartWithIosTikTokAsync(AppSource.User);
        var elsewhere = tenant.State.Groups.First(g => !tenant.State.TransitiveMemberIds(g.Id).Contains(device.UserId!) && g.DisplayName.StartsWith("IBS Dept", StringComparison.Ordinal)).Id;
        await AssignedPolicyAsync(Http, tenant, elsewhere, graceHours: 0);

        var after = ComplianceAtCheckIn(tenant, device);

        Assert.Equal(device.ComplianceState, after);
    }

    [Fact]
    public async Task The_seeded_conditional_access_policy_requires_a_compliant_device_and_needs_policy_read_all()
    {
        var tenant = await StartAsync();
        using var without = SimulatorGraph.Http(new LoopbackCredential([GraphPermissions.ManagedDevicesRead.Name]));

        var listed = await Http.GetFromJsonAsync<JsonObject>($"{tenant.GraphUrl}/identity/conditionalAccess/policies");
        var refused = await without.GetAsync($"{tenant.GraphUrl}/identity/conditionalAccess/policies");

        var policy = Assert.Single(listed!["value"]!.AsArray())!;
        Assert.Equal("enabled", policy["state"]!.GetValue<string>());
        Assert.Equal(["compliantDevice"], policy["grantControls"]!["builtInControls"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private static string Policies(SimulatedTenant tenant) => $"{tenant.BetaUrl}/deviceManagement/deviceCompliancePolicies";

    private static string Templates(SimulatedTenant tenant) => $"{tenant.BetaUrl}/deviceManagement/notificationMessageTemplates";

    private static JsonObject Policy(string type, int? graceHours)
    {
        var policy = new JsonObject
        {
            ["@odata.type"] = type,
            ["displayName"] = "Restrict TikTok",
            ["restrictedApps"] = new JsonArray(new JsonObject { ["name"] = "TikTok", ["appId"] = TikTok }),
        };
        if (graceHours is { } hours)
            policy["scheduledActionsForRule"] = Rules(hours);
        return policy;
    }

    private static JsonArray Rules(int graceHours) =>
        [new JsonObject { ["ruleName"] = "PasswordRequired", ["scheduledActionConfigurations"] = new JsonArray(new JsonObject { ["actionType"] = "block", ["gracePeriodHours"] = graceHours }) }];

    private static JsonObject Message(string locale, bool isDefault) =>
        new() { ["locale"] = locale, ["subject"] = "TikTok", ["messageTemplate"] = "Remove it.", ["isDefault"] = isDefault };

    private static async Task<string> CreateAsync(HttpClient http, SimulatedTenant tenant, JsonObject body, string? collection = null)
    {
        var response = await http.PostAsJsonAsync(collection ?? Policies(tenant), body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private static async Task AssignedPolicyAsync(HttpClient http, SimulatedTenant tenant, string groupId, int graceHours)
    {
        var id = await CreateAsync(http, tenant, Policy("#microsoft.graph.iosCompliancePolicy", graceHours));
        var assign = new JsonObject
        {
            ["assignments"] = new JsonArray(new JsonObject { ["target"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.groupAssignmentTarget", ["groupId"] = groupId } }),
        };
        (await http.PostAsJsonAsync($"{Policies(tenant)}/{id}/assign", assign)).EnsureSuccessStatusCode();
    }

    /// <summary>A tenant of 300 devices, and its first compliant company iPhone with a user that carries TikTok from this source.</summary>
    private async Task<(SimulatedTenant Tenant, ManagedDevice Device)> StartWithIosTikTokAsync(AppSource source, SimulatorOptions? options = null)
    {
        var tenant = await StartAsync(devices: 300, options);
        var device = tenant.State.ManagedDevices.First(d => d.OperatingSystem == "iOS" && d.Ownership == "company" && d.UserId is not null && d.ComplianceState == "compliant"
            && d.InstalledApps.Any(a => a.Identifier == TikTok && a.Source == source));
        return (tenant, device);
    }

    /// <summary>The device checks in; answers its compliance state then.</summary>
    private static string? ComplianceAtCheckIn(SimulatedTenant tenant, ManagedDevice device)
    {
        tenant.CheckIn(device.Id);
        return tenant.State.ManagedDeviceById(device.Id).ComplianceState;
    }

    private static string UserGroupOf(SimulatedTenant tenant, ManagedDevice device) => tenant.State.Groups.First(g => g.MemberIds.Contains(device.UserId!)).Id;
}
