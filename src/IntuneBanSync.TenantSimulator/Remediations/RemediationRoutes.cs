namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// beta deviceManagement/deviceHealthScripts (Remediations): the collection (intune-devices-devicehealthscript-create.md: @odata.type
/// deviceHealthScript, base64 detectionScriptContent and remediationScriptContent, runAsAccount system|user), its /assign with
/// deviceHealthScriptAssignments (intune-devices-devicehealthscript-assign.md; a deviceHealthScriptHourlySchedule interval is 1 to 23,
/// intune-devices-devicehealthscripthourlyschedule.md), its deviceRunStates (intune-devices-devicehealthscriptdevicestate-list.md) and
/// managedDevices/{id}/initiateOnDemandProactiveRemediation (intune-devices-manageddevice-initiateondemandproactiveremediation.md).
/// Permissions: DeviceManagementScripts.* since 31 July 2025 (the current Graph reference pages; DeviceManagementConfiguration.* no
/// longer reaches scripts). The on-demand action's page lists read permissions, but like every remote action (syncDevice) it needs
/// DeviceManagementManagedDevices.PrivilegedOperations.All in practice: the simulator asks for that.
/// </summary>
internal sealed class RemediationRoutes(TenantState state, SimulatorOptions options, RemediationRuns runs, Func<string> newId)
{
    private static readonly Needs Read = Needs.Any("DeviceManagementScripts.Read.All");
    private static readonly Needs Write = Needs.Any("DeviceManagementScripts.ReadWrite.All");
    private static readonly HashSet<string> Schedules = new(StringComparer.Ordinal)
    {
        "microsoft.graph.deviceHealthScriptHourlySchedule", "microsoft.graph.deviceHealthScriptDailySchedule", "microsoft.graph.deviceHealthScriptRunOnceSchedule",
    };

    private DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    public static PolicyCollection Collection { get; } = new(RemediationRuns.Collection, "displayName", "deviceHealthScriptAssignments", Read, Write, Validate);

    /// <summary>Its own /assign first (the router takes the first match), then the collection's generic routes, then the rest.</summary>
    public void Register(GraphRouter router, PolicyRoutes policies)
    {
        const string path = $"deviceManagement/{RemediationRuns.Collection}";
        router.Write("POST", $"{path}/{{id}}/assign", ThrottleCategory.Apps, Write, Assign, betaOnly: true);
        policies.Register(router, Collection);
        router.Get($"{path}/{{id}}/deviceRunStates", ThrottleCategory.Apps, Read, RunStates, betaOnly: true);
        router.Write(
            "POST", "deviceManagement/managedDevices/{id}/initiateOnDemandProactiveRemediation", ThrottleCategory.Devices,
            Needs.Any("DeviceManagementManagedDevices.PrivilegedOperations.All"), OnDemand, betaOnly: true);
    }

    private static string? Validate(JsonObject body, bool creating)
    {
        if ((body["@odata.type"]?.GetValue<string>() ?? "").TrimStart('#') != "microsoft.graph.deviceHealthScript")
            return "The @odata.type must be #microsoft.graph.deviceHealthScript.";
        if (string.IsNullOrWhiteSpace(body["displayName"]?.GetValue<string>()))
            return "displayName is required.";
        if (body["detectionScriptContent"]?.GetValue<string>() is not { Length: > 0 } detection || !IsBase64(detection))
            return "detectionScriptContent is required, as base64 (Edm.Binary).";
        if (body["remediationScriptContent"] is JsonValue remediation && !IsBase64(remediation.GetValue<string>()))
            return "remediationScriptContent must be base64 (Edm.Binary).";
        return body["runAsAccount"]?.GetValue<string>() is { } account && account is not ("system" or "user")
            ? "runAsAccount must be system or user."
            : null;
    }

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);

    private GraphResponse Assign(GraphRequest request, RouteArgs args)
    {
        if (request.Body?["deviceHealthScriptAssignments"] is not JsonArray items)
            return GraphJson.BadRequest("deviceHealthScriptAssignments is required.", Now);
        var assignments = new List<JsonObject>();
        foreach (var item in items)
        {
            if (item is not JsonObject assignment || assignment["target"] is not JsonObject target || AssignmentTargets.Parse(target) is null)
                return GraphJson.BadRequest("Each assignment needs a target of a known type.", Now);
            if (assignment["runSchedule"] is JsonObject schedule && Refusal(schedule) is { } refusal)
                return GraphJson.BadRequest(refusal, Now);
            var copy = (JsonObject)assignment.DeepClone();
            copy["id"] = $"{args["id"]}:{newId()}";
            assignments.Add(copy);
        }

        lock (state.Gate)
        {
            if (state.Policies.Find(RemediationRuns.Collection, args["id"]) is not { } script)
                return NotFound(args["id"]);
            state.Policies.Put(script with { Assignments = assignments });
            return GraphResponse.NoContent();
        }
    }

    private static string? Refusal(JsonObject schedule)
    {
        var type = (schedule["@odata.type"]?.GetValue<string>() ?? "").TrimStart('#');
        if (!Schedules.Contains(type))
            return $"Unknown runSchedule type '{type}'.";
        return schedule["interval"] is JsonValue interval && interval.TryGetValue<int>(out var hours) && hours is >= 1 and <= 23
            ? null
            : "runSchedule.interval must be from 1 to 23.";
    }

    private GraphResponse RunStates(GraphRequest request, RouteArgs args)
    {
        var expand = request.QueryValue("$expand")?.Contains("managedDevice", StringComparison.OrdinalIgnoreCase) == true;
        lock (state.Gate)
        {
            if (state.Policies.Find(RemediationRuns.Collection, args["id"]) is null)
                return NotFound(args["id"]);
            return Paging.Page(request, runs.Of(args["id"]), 100, options.MaxTop, $"deviceManagement/{RemediationRuns.Collection}('{args["id"]}')/deviceRunStates", run => Shape(run, expand), Now);
        }
    }

    private JsonObject Shape(RemediationRun run, bool expand)
    {
        var shape = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceHealthScriptDeviceState",
            ["id"] = $"{run.ScriptId}:{run.DeviceId}",
            ["detectionState"] = run.DetectionState,
            ["lastStateUpdateDateTime"] = GraphJson.Date(run.LastStateUpdate),
            ["expectedStateUpdateDateTime"] = GraphJson.Date(run.LastStateUpdate.AddHours(1)),
            ["lastSyncDateTime"] = GraphJson.Date(run.LastStateUpdate),
            ["preRemediationDetectionScriptOutput"] = run.PreRemediationOutput,
            ["preRemediationDetectionScriptError"] = null,
            ["remediationScriptError"] = run.RemediationError,
            ["postRemediationDetectionScriptOutput"] = run.PostRemediationOutput,
            ["postRemediationDetectionScriptError"] = null,
            ["remediationState"] = run.RemediationState,
        };
        if (expand && state.FindManagedDevice(run.DeviceId) is { } device)
            shape["managedDevice"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.managedDevice", ["id"] = device.Id, ["deviceName"] = device.DeviceName };
        return shape;
    }

    /// <summary>Runs detection and remediation on the device at once, whether or not the script is assigned to it (as Intune's "Run remediation").</summary>
    private GraphResponse OnDemand(GraphRequest request, RouteArgs args)
    {
        if (request.Body?["scriptPolicyId"]?.GetValue<string>() is not { Length: > 0 } scriptId)
            return GraphJson.BadRequest("scriptPolicyId is required.", Now);
        lock (state.Gate)
        {
            if (state.FindManagedDevice(args["id"]) is not { } device)
                return GraphJson.NotFound($"managedDevice '{args["id"]}' not found.", Now);
            if (state.Policies.Find(RemediationRuns.Collection, scriptId) is not { } script)
                return NotFound(scriptId);
            var (after, removed) = runs.Run(script, device, remediate: true, Now);
            if (removed.Count > 0)
                state.ReplaceManagedDevice(after);
            return GraphResponse.NoContent();
        }
    }

    private GraphResponse NotFound(string id) => GraphJson.NotFound($"deviceHealthScript '{id}' not found.", Now);
}
