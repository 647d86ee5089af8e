namespace IntuneBanSync.Enforcement.Compliance;

/// <summary>
/// A ban's compliance policy as Graph takes it (beta deviceCompliancePolicies) and as Graph shows it back: the restricted apps, and
/// the scheduled actions — the notification at once, the block (noncompliance) from the uninstall deadline. Pure.
/// </summary>
public static class CompliancePolicyJson
{
    /// <summary>"Valid values 0 to 8760" (intune-deviceconfig-devicecomplianceactionitem.md).</summary>
    public const int MaxGraceHours = 8760;

    // The rule name Microsoft's own samples and the admin center send (microsoftgraph/powershell-intune-samples, microsoft-graph-docs#7912).
    private const string RuleName = "PasswordRequired";

    /// <summary>$expand Graph needs to show the scheduled actions: a plain GET omits them (microsoft-graph-docs-contrib#7391).</summary>
    public const string ExpandActions = "$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)";

    public static string Name(Ban ban, CompliancePlatform platform) => $"IntuneBanSync – {PlainText.Strip(ban.Name)} – compliance – {platform.Label}";

    public static string Description(Ban ban) =>
        $"Devices in scope of ban '{ban.Id}' with {PlainText.Strip(ban.Name)} installed are notified, then noncompliant from its uninstall deadline. Managed by IntuneBanSync.";

    /// <summary>Hours from now to the uninstall deadline; 0 once it passed; at most what Graph accepts.</summary>
    public static double HoursToDeadline(DateTimeOffset uninstallBy, DateTimeOffset now) => Math.Clamp((uninstallBy - now).TotalHours, 0, MaxGraceHours);

    /// <summary>
    /// The block action's grace: a device found with the app now turns noncompliant at the deadline (to the nearest hour, so a sweep
    /// right after the one that set it finds nothing to change).
    /// </summary>
    public static int GraceHours(DateTimeOffset uninstallBy, DateTimeOffset now) =>
        (int)Math.Round(HoursToDeadline(uninstallBy, now), MidpointRounding.AwayFromZero);

    /// <summary>The grace Graph shows is off from the hours left to the deadline by at least one whole hour.</summary>
    public static bool GraceDrifted(int shown, DateTimeOffset uninstallBy, DateTimeOffset now) => Math.Abs(shown - HoursToDeadline(uninstallBy, now)) >= 1;

    /// <summary>The ban's identifiers on the platform as appListItems (distinct, ≤ 100: the ban list allows no more).</summary>
    public static IReadOnlyList<RestrictedApp> RestrictedApps(Ban ban, CompliancePlatform platform) =>
        [.. platform.Identifiers(ban).Distinct(StringComparer.OrdinalIgnoreCase).Select(id => new RestrictedApp(PlainText.Strip(ban.Name), PlainText.Strip(id)))];

    public static JsonObject Create(Ban ban, CompliancePlatform platform, string templateId, int graceHours)
    {
        var body = Settings(ban, platform);
        body["scheduledActionsForRule"] = Rules(templateId, graceHours);
        return body;
    }

    /// <summary>What a PATCH sets: Graph wants the derived type named in it; the scheduled actions are changed by their own action.</summary>
    public static JsonObject Settings(Ban ban, CompliancePlatform platform) => new()
    {
        ["@odata.type"] = platform.ODataType,
        ["displayName"] = Name(ban, platform),
        ["description"] = Description(ban),
        ["restrictedApps"] = new JsonArray([.. RestrictedApps(ban, platform).Select(a => (JsonNode)a.ToJson())]),
    };

    /// <summary>The body of POST …/scheduleActionsForRules, which replaces the policy's scheduled actions.</summary>
    public static JsonObject Schedule(string templateId, int graceHours) => new() { ["deviceComplianceScheduledActionForRules"] = Rules(templateId, graceHours) };

    private static JsonArray Rules(string templateId, int graceHours) =>
    [
        new JsonObject
        {
            ["ruleName"] = RuleName,
            ["scheduledActionConfigurations"] = new JsonArray(
                new JsonObject { ["actionType"] = "notification", ["gracePeriodHours"] = 0, ["notificationTemplateId"] = templateId },
                new JsonObject { ["actionType"] = "block", ["gracePeriodHours"] = graceHours }),
        },
    ];

    /// <summary>Reads a policy as Graph shows it (with its scheduled actions expanded).</summary>
    public static ShownPolicy Read(JsonElement policy)
    {
        static string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        var apps = policy.TryGetProperty("restrictedApps", out var restricted) && restricted.ValueKind == JsonValueKind.Array
            ? restricted.EnumerateArray().Select(a => new RestrictedApp(Text(a, "name") ?? "", Text(a, "appId") ?? "")).ToList()
            : [];
        var actions = policy.TryGetProperty("scheduledActionsForRule", out var rules) && rules.ValueKind == JsonValueKind.Array
            ? rules.EnumerateArray()
                .Where(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("scheduledActionConfigurations", out var c) && c.ValueKind == JsonValueKind.Array)
                .SelectMany(r => r.GetProperty("scheduledActionConfigurations").EnumerateArray())
                .Select(a => new ShownAction(
                    Text(a, "actionType") ?? "",
                    a.ValueKind == JsonValueKind.Object && a.TryGetProperty("gracePeriodHours", out var g) && g.TryGetInt32(out var hours) ? hours : 0,
                    Text(a, "notificationTemplateId")))
                .ToList()
            : [];
        return new ShownPolicy(Text(policy, "@odata.type"), Text(policy, "displayName"), Text(policy, "description"), apps, actions);
    }
}

public sealed record RestrictedApp(string Name, string AppId)
{
    public JsonObject ToJson() => new() { ["@odata.type"] = "microsoft.graph.appListItem", ["name"] = Name, ["appId"] = AppId };
}

public sealed record ShownAction(string ActionType, int GracePeriodHours, string? NotificationTemplateId);

/// <summary>A compliance policy as Graph shows it: what IntuneBanSync compares with what the ban list wants.</summary>
public sealed record ShownPolicy(string? ODataType, string? DisplayName, string? Description, IReadOnlyList<RestrictedApp> RestrictedApps, IReadOnlyList<ShownAction> Actions)
{
    /// <summary>Type, name, description and restricted apps are as the ban wants them (apps compared as a set, identifiers ignoring case).</summary>
    public bool SettingsMatch(Ban ban, CompliancePlatform platform)
    {
        static string Key(RestrictedApp a) => $"{a.AppId.ToLowerInvariant()}|{a.Name}";
        return string.Equals(ODataType?.TrimStart('#'), platform.ODataType.TrimStart('#'), StringComparison.Ordinal)
            && DisplayName == CompliancePolicyJson.Name(ban, platform)
            && Description == CompliancePolicyJson.Description(ban)
            && RestrictedApps.Select(Key).Order(StringComparer.Ordinal).SequenceEqual(
                CompliancePolicyJson.RestrictedApps(ban, platform).Select(Key).Order(StringComparer.Ordinal));
    }

    /// <summary>Exactly our two actions: the notification with our template at once, the block with a grace that has not drifted by a whole hour.</summary>
    public bool ActionsMatch(string templateId, DateTimeOffset uninstallBy, DateTimeOffset now) =>
        Actions.Count == 2
        && Actions.Any(a => a.ActionType == "notification" && a.GracePeriodHours == 0 && string.Equals(a.NotificationTemplateId, templateId, StringComparison.OrdinalIgnoreCase))
        && Actions.SingleOrDefault(a => a.ActionType == "block") is { } block
        && !CompliancePolicyJson.GraceDrifted(block.GracePeriodHours, uninstallBy, now);
}
