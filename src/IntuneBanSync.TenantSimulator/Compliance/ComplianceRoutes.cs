namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// The compliance route's resources: beta deviceManagement/deviceCompliancePolicies (with the scheduleActionsForRules action),
/// deviceManagement/notificationMessageTemplates with their localizedNotificationMessages, and v1.0 identity/conditionalAccess/policies,
/// seeded with one enabled policy that grants access only to compliant devices for all users (tests delete it through Graph).
/// </summary>
internal sealed class ComplianceRoutes(TenantState state, SimulatorOptions options, Func<string> newId)
{
    public const string PoliciesCollection = "deviceCompliancePolicies";
    public const string TemplatesCollection = "notificationMessageTemplates";

    /// <summary>Kept in the policy store beside the Intune collections; never served under deviceManagement.</summary>
    public const string ConditionalAccessCollection = "conditionalAccessPolicies";

    public const string SeededConditionalAccessName = "Require a compliant device (seeded)";

    private const string ConfigurationRead = "DeviceManagementConfiguration.Read.All";
    private const string ConfigurationReadWrite = "DeviceManagementConfiguration.ReadWrite.All";

    // intune-notification-notificationmessagetemplate-create.md (v1.0): application DeviceManagementServiceConfig.ReadWrite.All.
    private const string ServiceConfigRead = "DeviceManagementServiceConfig.Read.All";
    private const string ServiceConfigReadWrite = "DeviceManagementServiceConfig.ReadWrite.All";

    // conditionalaccessroot-list-policies.md: Policy.Read.All; conditionalaccesspolicy-delete.md (and create, update): Policy.Read.All and Policy.ReadWrite.ConditionalAccess.
    private static readonly Needs ConditionalAccessRead = Needs.Any("Policy.Read.All");
    private static readonly Needs ConditionalAccessWrite = Needs.All("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess");

    // The deviceCompliancePolicy types of the beta metadata (intune-shared-devicecompliancepolicy.md, "derived types").
    private static readonly HashSet<string> PolicyTypes = new(StringComparer.Ordinal)
    {
        "microsoft.graph.iosCompliancePolicy", "microsoft.graph.androidCompliancePolicy", "microsoft.graph.androidWorkProfileCompliancePolicy",
        "microsoft.graph.androidDeviceOwnerCompliancePolicy", "microsoft.graph.aospDeviceOwnerCompliancePolicy", "microsoft.graph.androidForWorkCompliancePolicy",
        "microsoft.graph.macOSCompliancePolicy", "microsoft.graph.windows10CompliancePolicy", "microsoft.graph.windows10MobileCompliancePolicy",
        "microsoft.graph.windows81CompliancePolicy", "microsoft.graph.windowsPhone81CompliancePolicy", "microsoft.graph.defaultDeviceCompliancePolicy",
    };

    // deviceComplianceActionType (intune-deviceconfig-devicecomplianceactiontype.md).
    private static readonly HashSet<string> ActionTypes = new(StringComparer.Ordinal)
    {
        "noAction", "notification", "block", "retire", "wipe", "removeResourceAccessProfiles", "pushNotification", "remoteLock",
    };

    // notificationTemplateBrandingOptions, a flags enum (intune-notification-notificationtemplatebrandingoptions.md).
    private static readonly HashSet<string> BrandingOptions = new(StringComparer.Ordinal)
    {
        "none", "includeCompanyLogo", "includeCompanyName", "includeContactInformation", "includeCompanyPortalLink", "includeDeviceDetails", "unknownFutureValue",
    };

    private DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    public static PolicyCollection Policies { get; } = new(
        PoliciesCollection, "displayName", "assignments", Needs.Any(ConfigurationRead), Needs.Any(ConfigurationReadWrite), ValidatePolicy,
        Navigation: ["scheduledActionsForRule"]);

    public static PolicyCollection Templates { get; } = new(
        TemplatesCollection, "displayName", "assignments", Needs.Any(ServiceConfigRead), Needs.Any(ServiceConfigReadWrite), ValidateTemplate,
        Navigation: ["localizedNotificationMessages"]);

    public void Register(GraphRouter router)
    {
        const ThrottleCategory apps = ThrottleCategory.Apps;
        router.Write("POST", $"deviceManagement/{PoliciesCollection}/{{id}}/scheduleActionsForRules", apps, Needs.Any(ConfigurationReadWrite), ScheduleActions, betaOnly: true);
        var messages = $"deviceManagement/{TemplatesCollection}/{{id}}/localizedNotificationMessages";
        router.Get(messages, apps, Needs.Any(ServiceConfigRead), ListMessages, betaOnly: true);
        router.Write("POST", messages, apps, Needs.Any(ServiceConfigReadWrite), CreateMessage, betaOnly: true);
        router.Write("PATCH", $"{messages}/{{messageId}}", apps, Needs.Any(ServiceConfigReadWrite), PatchMessage, betaOnly: true);
        router.Write("DELETE", $"{messages}/{{messageId}}", apps, Needs.Any(ServiceConfigReadWrite), DeleteMessage, betaOnly: true);

        const ThrottleCategory none = ThrottleCategory.None;
        const string policies = "identity/conditionalAccess/policies";
        router.Get(policies, none, ConditionalAccessRead, ListConditionalAccess);
        router.Get($"{policies}/{{id}}", none, ConditionalAccessRead, GetConditionalAccess);
        router.Write("POST", policies, none, ConditionalAccessWrite, CreateConditionalAccess);
        router.Write("PATCH", $"{policies}/{{id}}", none, ConditionalAccessWrite, PatchConditionalAccess);
        router.Write("DELETE", $"{policies}/{{id}}", none, ConditionalAccessWrite, DeleteConditionalAccess);
        SeedConditionalAccess();
    }

    /// <summary>
    /// A create must carry scheduledActionsForRule with exactly one block action ("Compliance policy must have one and only one block
    /// scheduled action": microsoft-graph-docs#7746, #7912, ugurkocde/TenuVault#25; intune-deviceconfig-androidcompliancepolicy.md calls it
    /// required). restrictedApps holds at most 100 entries (intune-deviceconfig-ioscompliancepolicy-create.md).
    /// </summary>
    private static string? ValidatePolicy(JsonObject body, bool creating)
    {
        var type = (Text(body, "@odata.type") ?? "").TrimStart('#');
        if (!PolicyTypes.Contains(type))
            return $"Unknown or missing @odata.type '{Text(body, "@odata.type")}': a compliance policy must name its platform type, e.g. #microsoft.graph.iosCompliancePolicy.";
        if (string.IsNullOrWhiteSpace(Text(body, "displayName")))
            return "displayName is required.";
        if (body["restrictedApps"] is JsonNode restricted)
        {
            if (restricted is not JsonArray apps)
                return "restrictedApps must be a collection of appListItem.";
            if (apps.Count > 100)
                return $"restrictedApps can contain a maximum of 100 elements; it has {apps.Count}.";
            if (apps.Any(a => a is not JsonObject item || string.IsNullOrWhiteSpace(Text(item, "appId"))))
                return "Each restrictedApps entry needs an appId.";
        }

        if (!creating)
            return null;
        return body["scheduledActionsForRule"] is JsonArray rules
            ? ValidateRules(rules)
            : "Compliance policy must have one and only one block scheduled action: scheduledActionsForRule is required when creating a compliance policy.";
    }

    /// <summary>gracePeriodHours: "Valid values 0 to 8760" (intune-deviceconfig-devicecomplianceactionitem.md).</summary>
    private static string? ValidateRules(JsonArray rules)
    {
        var actions = rules.OfType<JsonObject>().SelectMany(r => r["scheduledActionConfigurations"] as JsonArray ?? []).ToList();
        if (actions.Any(a => a is not JsonObject action || Text(action, "actionType") is not { } t || !ActionTypes.Contains(t)))
            return "Each scheduled action configuration needs a known actionType.";
        foreach (var action in actions.OfType<JsonObject>())
        {
            if (action["gracePeriodHours"] is JsonValue hours && (!hours.TryGetValue<int>(out var value) || value is < 0 or > 8760))
                return "gracePeriodHours must be between 0 and 8760.";
        }

        return actions.Count(a => Text((JsonObject)a!, "actionType") == "block") == 1
            ? null
            : "Compliance policy must have one and only one block scheduled action.";
    }

    private static string? ValidateTemplate(JsonObject body, bool creating)
    {
        if (Text(body, "@odata.type") is { } type && type.TrimStart('#') != "microsoft.graph.notificationMessageTemplate")
            return $"Unknown @odata.type '{type}'.";
        if (string.IsNullOrWhiteSpace(Text(body, "displayName")))
            return "displayName is required.";
        return Text(body, "brandingOptions") is { } branding && branding.Split(',', StringSplitOptions.TrimEntries).Any(b => !BrandingOptions.Contains(b))
            ? $"brandingOptions '{branding}' is not a notificationTemplateBrandingOptions value."
            : null;
    }

    private GraphResponse ScheduleActions(GraphRequest request, RouteArgs args)
    {
        if (request.Body?["deviceComplianceScheduledActionForRules"] is not JsonArray rules)
            return GraphJson.BadRequest("deviceComplianceScheduledActionForRules is required.", Now);
        if (ValidateRules(rules) is { } refusal)
            return GraphJson.BadRequest(refusal, Now);
        lock (state.Gate)
        {
            if (state.Policies.Find(PoliciesCollection, args["id"]) is not { } policy)
                return GraphJson.NotFound($"{PoliciesCollection} '{args["id"]}' not found.", Now);
            var body = (JsonObject)policy.Body.DeepClone();
            body["scheduledActionsForRule"] = WithIds(rules);
            state.Policies.Put(policy with { Body = body });
            return GraphResponse.NoContent();
        }
    }

    private JsonArray WithIds(JsonArray rules)
    {
        var copy = (JsonArray)rules.DeepClone();
        foreach (var rule in copy.OfType<JsonObject>())
        {
            rule["id"] ??= newId();
            foreach (var action in (rule["scheduledActionConfigurations"] as JsonArray ?? []).OfType<JsonObject>())
                action["id"] ??= newId();
        }

        return copy;
    }

    private GraphResponse ListMessages(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return state.Policies.Find(TemplatesCollection, args["id"]) is { } template
                ? Paging.Page(request, [.. Messages(template)], 100, options.MaxTop, $"deviceManagement/{TemplatesCollection}('{args["id"]}')/localizedNotificationMessages", m => m.DeepClone(), Now)
                : TemplateNotFound(args["id"]);
        }
    }

    /// <summary>locale, subject and messageTemplate are the message (intune-notification-localizednotificationmessage-create.md).</summary>
    private GraphResponse CreateMessage(GraphRequest request, RouteArgs args)
    {
        if (request.Body is not JsonObject body)
            return GraphJson.BadRequest("A JSON object is required.", Now);
        if (new[] { "locale", "subject", "messageTemplate" }.FirstOrDefault(p => string.IsNullOrWhiteSpace(Text(body, p))) is { } missing)
            return GraphJson.BadRequest($"{missing} is required.", Now);
        lock (state.Gate)
        {
            if (state.Policies.Find(TemplatesCollection, args["id"]) is not { } template)
                return TemplateNotFound(args["id"]);
            var message = (JsonObject)body.DeepClone();
            message["@odata.type"] = "#microsoft.graph.localizedNotificationMessage";
            message["id"] = newId();
            message["lastModifiedDateTime"] = GraphJson.Date(Now);
            message["isDefault"] = body["isDefault"]?.GetValue<bool>() == true;
            PutMessages(template, [.. Messages(template).Select(m => m.DeepClone()).OfType<JsonObject>(), message], message);
            return GraphResponse.Created(message.DeepClone());
        }
    }

    private GraphResponse PatchMessage(GraphRequest request, RouteArgs args)
    {
        if (request.Body is not JsonObject patch)
            return GraphJson.BadRequest("A JSON object is required.", Now);
        lock (state.Gate)
        {
            if (state.Policies.Find(TemplatesCollection, args["id"]) is not { } template)
                return TemplateNotFound(args["id"]);
            var messages = Messages(template).Select(m => (JsonObject)m.DeepClone()).ToList();
            if (messages.FirstOrDefault(m => Text(m, "id") == args["messageId"]) is not { } message)
                return GraphJson.NotFound($"localizedNotificationMessage '{args["messageId"]}' not found.", Now);
            foreach (var (name, value) in patch.Where(p => p.Key is not ("id" or "@odata.type")))
                message[name] = value?.DeepClone();
            message["lastModifiedDateTime"] = GraphJson.Date(Now);
            PutMessages(template, messages, patch["isDefault"]?.GetValue<bool>() == true ? message : null);
            return GraphResponse.NoContent();
        }
    }

    private GraphResponse DeleteMessage(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            if (state.Policies.Find(TemplatesCollection, args["id"]) is not { } template)
                return TemplateNotFound(args["id"]);
            var messages = Messages(template).Select(m => (JsonObject)m.DeepClone()).ToList();
            if (messages.RemoveAll(m => Text(m, "id") == args["messageId"]) == 0)
                return GraphJson.NotFound($"localizedNotificationMessage '{args["messageId"]}' not found.", Now);
            PutMessages(template, messages, null);
            return GraphResponse.NoContent();
        }
    }

    private static IEnumerable<JsonObject> Messages(PolicyEntity template) =>
        (template.Body["localizedNotificationMessages"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>isDefault "can only be set. To unset, set this property to true on another" message (intune-notification-localizednotificationmessage.md).</summary>
    private void PutMessages(PolicyEntity template, List<JsonObject> messages, JsonObject? newDefault)
    {
        if (newDefault?["isDefault"]?.GetValue<bool>() == true)
        {
            foreach (var other in messages.Where(m => !ReferenceEquals(m, newDefault)))
                other["isDefault"] = false;
        }

        var body = (JsonObject)template.Body.DeepClone();
        body["localizedNotificationMessages"] = new JsonArray([.. messages]);
        state.Policies.Put(template with { Body = body });
    }

    private GraphResponse TemplateNotFound(string id) => GraphJson.NotFound($"{TemplatesCollection} '{id}' not found.", Now);

    private void SeedConditionalAccess()
    {
        lock (state.Gate)
        {
            if (state.Policies.OfUnlocked(ConditionalAccessCollection).Count > 0)
                return;
            var body = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.conditionalAccessPolicy",
                ["displayName"] = SeededConditionalAccessName,
                ["state"] = "enabled",
                ["conditions"] = new JsonObject
                {
                    ["clientAppTypes"] = new JsonArray("all"),
                    ["applications"] = new JsonObject { ["includeApplications"] = new JsonArray("All"), ["excludeApplications"] = new JsonArray() },
                    ["users"] = new JsonObject
                    {
                        ["includeUsers"] = new JsonArray("All"),
                        ["excludeUsers"] = new JsonArray(),
                        ["includeGroups"] = new JsonArray(),
                        ["excludeGroups"] = new JsonArray(),
                    },
                    ["platforms"] = null,
                },
                ["grantControls"] = new JsonObject { ["operator"] = "OR", ["builtInControls"] = new JsonArray("compliantDevice") },
            };
            var id = newId();
            body["id"] = id;
            state.Policies.Put(new PolicyEntity(id, ConditionalAccessCollection, body, [], Now));
        }
    }

    private GraphResponse ListConditionalAccess(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return Paging.Page(request, [.. state.Policies.OfUnlocked(ConditionalAccessCollection)], 100, options.MaxTop, "identity/conditionalAccess/policies", ConditionalAccessShape, Now);
        }
    }

    private GraphResponse GetConditionalAccess(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return state.Policies.Find(ConditionalAccessCollection, args["id"]) is { } policy
                ? GraphResponse.Ok(GraphJson.Entity(request, "identity/conditionalAccess/policies", (JsonObject)Paging.Select(request, ConditionalAccessShape(policy))))
                : GraphJson.NotFound($"conditionalAccessPolicy '{args["id"]}' not found.", Now);
        }
    }

    private GraphResponse CreateConditionalAccess(GraphRequest request, RouteArgs args)
    {
        if (request.Body is not JsonObject body || string.IsNullOrWhiteSpace(Text(body, "displayName")) || body["conditions"] is not JsonObject)
            return GraphJson.BadRequest("A conditionalAccessPolicy needs a displayName and conditions.", Now);
        lock (state.Gate)
        {
            var id = newId();
            var copy = (JsonObject)body.DeepClone();
            copy["id"] = id;
            var policy = new PolicyEntity(id, ConditionalAccessCollection, copy, [], Now);
            state.Policies.Put(policy);
            return GraphResponse.Created(ConditionalAccessShape(policy));
        }
    }

    private GraphResponse PatchConditionalAccess(GraphRequest request, RouteArgs args)
    {
        if (request.Body is not JsonObject patch)
            return GraphJson.BadRequest("A JSON object is required.", Now);
        lock (state.Gate)
        {
            if (state.Policies.Find(ConditionalAccessCollection, args["id"]) is not { } policy)
                return GraphJson.NotFound($"conditionalAccessPolicy '{args["id"]}' not found.", Now);
            var body = (JsonObject)policy.Body.DeepClone();
            foreach (var (name, value) in patch.Where(p => p.Key != "id"))
                body[name] = value?.DeepClone();
            state.Policies.Put(policy with { Body = body });
            return GraphResponse.NoContent();
        }
    }

    private GraphResponse DeleteConditionalAccess(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return state.Policies.Remove(ConditionalAccessCollection, args["id"])
                ? GraphResponse.NoContent()
                : GraphJson.NotFound($"conditionalAccessPolicy '{args["id"]}' not found.", Now);
        }
    }

    private static JsonObject ConditionalAccessShape(PolicyEntity policy)
    {
        var shape = (JsonObject)policy.Body.DeepClone();
        shape["id"] = policy.Id;
        shape["createdDateTime"] = GraphJson.Date(policy.CreatedDateTime);
        return shape;
    }

    private static string? Text(JsonObject body, string property) =>
        body[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
