namespace IntuneBanSync.IntegrationTests.Simulator;

public sealed class RemediationRouteTests : SimulatorTests
{
    [Theory]
    [InlineData("@odata.type", "#microsoft.graph.deviceManagementScript", "@odata.type")]
    [InlineData("detectionScriptContent", "not base64!", "detectionScriptContent")]
    [InlineData("runAsAccount", "administrator", "runAsAccount")]
    public async Task A_remediation_graph_would_refuse_is_refused_with_400(string property, string value, string named)
    {
        var tenant = await StartAsync();
        var body = Script();
        body[property] = value;

        using var response = await PostAsync(Http, $"{tenant.BetaUrl}/deviceManagement/deviceHealthScripts", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(tenant.State.Policies.Of("deviceHealthScripts"));
    }

    [Fact]
    public async Task An_hourly_schedule_outside_1_to_23_hours_is_refused()
    {
        var tenant = await StartAsync();
        var id = await CreateAsync(tenant, Http, Script());

        using var response = await PostAsync(Http, $"{tenant.BetaUrl}/deviceManagement/deviceHealthScripts/{id}/assign", Assign(interval: 24));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(tenant.State.Policies.Of("deviceHealthScripts").Single().Assignments);
    }

    [Fact]
    public async Task Without_the_scripts_permission_a_remediation_cannot_be_created_and_without_privileged_operations_not_run()
    {
        var tenant = await StartAsync();
        using var configurationOnly = SimulatorGraph.Http(new LoopbackCredential(["DeviceManagementConfiguration.ReadWrite.All", "DeviceManagementManagedDevices.Read.All"]));
        using var scriptsOnly = SimulatorGraph.Http(new LoopbackCredential([GraphPermissions.ScriptsReadWrite.Name]));
        var device = tenant.State.ManagedDevices.First(d => d.OperatingSystem == "Windows").Id;
        using var all = SimulatorGraph.Http();
        var id = await CreateAsync(tenant, all, Script());

        using var create = await PostAsync(configurationOnly, $"{tenant.BetaUrl}/deviceManagement/deviceHealthScripts", Script());
        using var run = await PostAsync(scriptsOnly, $"{tenant.BetaUrl}/deviceManagement/managedDevices/{device}/initiateOnDemandProactiveRemediation", new JsonObject { ["scriptPolicyId"] = id });

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("DeviceManagementScripts.ReadWrite.All", await create.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
        Assert.Contains("DeviceManagementManagedDevices.PrivilegedOperations.All", await run.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_on_demand_run_removes_a_targeted_app_at_once_and_records_its_run_state()
    {
        var tenant = await StartAsync(devices: 300);
        var device = tenant.State.ManagedDevices.First(d => d.OperatingSystem == "Windows" && d.InstalledApps.Any(a => a.Identifier == "9NH2GPH4JZS4"));
        var id = await CreateAsync(tenant, Http, Script(marker: """{"ban":"tiktok","displayNames":["TikTok"],"identifiers":["9NH2GPH4JZS4"]}"""));

        using var response = await PostAsync(Http, $"{tenant.BetaUrl}/deviceManagement/managedDevices/{device.Id}/initiateOnDemandProactiveRemediation", new JsonObject { ["scriptPolicyId"] = id });
        using var states = await Http.GetAsync($"{tenant.BetaUrl}/deviceManagement/deviceHealthScripts/{id}/deviceRunStates?$expand=managedDevice($select=id)");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.DoesNotContain(tenant.State.ManagedDeviceById(device.Id).InstalledApps, a => a.Identifier == "9NH2GPH4JZS4");
        var state = JsonNode.Parse(await states.Content.ReadAsStringAsync())!["value"]!.AsArray().Single()!;
        Assert.Equal((device.Id, "fail", "success"), (state["managedDevice"]!["id"]!.GetValue<string>(), state["detectionState"]!.GetValue<string>(), state["remediationState"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_script_without_the_targets_line_is_never_run()
    {
        var tenant = await StartAsync(devices: 300);
        var device = tenant.State.ManagedDevices.First(d => d.OperatingSystem == "Windows" && d.InstalledApps.Any(a => a.Identifier == "9NH2GPH4JZS4"));
        var id = await CreateAsync(tenant, Http, Script());

        await PostAsync(Http, $"{tenant.BetaUrl}/deviceManagement/managedDevices/{device.Id}/initiateOnDemandProactiveRemediation", new JsonObject { ["scriptPolicyId"] = id });

        Assert.Contains(tenant.State.ManagedDeviceById(device.Id).InstalledApps, a => a.Identifier == "9NH2GPH4JZS4");
        Assert.Empty(tenant.Remediations.Runs);
    }

    private static JsonObject Script(string? marker = null) => new()
    {
        ["@odata.type"] = "#microsoft.graph.deviceHealthScript",
        ["displayName"] = "Contoso – remove TikTok",
        ["detectionScriptContent"] = Base64((marker is null ? "" : $"# IntuneBanSync-Targets: {marker}\n") + "exit 1"),
        ["remediationScriptContent"] = Base64("exit 0"),
        ["runAsAccount"] = "system",
    };

    private static JsonObject Assign(int interval) => new()
    {
        ["deviceHealthScriptAssignments"] = new JsonArray(new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceHealthScriptAssignment",
            ["target"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.allDevicesAssignmentTarget" },
            ["runRemediationScript"] = true,
            ["runSchedule"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.deviceHealthScriptHourlySchedule", ["interval"] = interval },
        }),
    };

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string url, JsonObject body) =>
        http.PostAsync(url, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    private static async Task<string> CreateAsync(SimulatedTenant tenant, HttpClient http, JsonObject body)
    {
        using var created = await PostAsync(http, $"{tenant.BetaUrl}/deviceManagement/deviceHealthScripts", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }
}
