namespace IntuneBanSync.Enforcement.Compliance;

/// <summary>The parts of a Conditional Access policy (v1.0 conditionalAccessPolicy) that decide whether noncompliance blocks anything.</summary>
public sealed record ConditionalAccessPolicy(
    string DisplayName,
    string State,
    IReadOnlyList<string> IncludeUsers,
    IReadOnlyList<string> IncludeGroups,
    IReadOnlyList<string>? IncludePlatforms,
    IReadOnlyList<string> ExcludePlatforms,
    string Operator,
    IReadOnlyList<string> BuiltInControls)
{
    /// <summary>
    /// Access is granted only with a compliant device: "compliantDevice" is required (AND), or is the only choice a phone has (OR with
    /// "domainJoinedDevice", which an iOS or Android device cannot satisfy). "compliantDevice" OR "mfa" lets a noncompliant device in.
    /// </summary>
    public bool RequiresCompliantDevice =>
        BuiltInControls.Contains("compliantDevice", StringComparer.OrdinalIgnoreCase)
        && (string.Equals(Operator, "AND", StringComparison.OrdinalIgnoreCase)
            || BuiltInControls.All(c => c.Equals("compliantDevice", StringComparison.OrdinalIgnoreCase) || c.Equals("domainJoinedDevice", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The policy applies to the ban's users: all users, or one of the ban's include groups.</summary>
    public bool CoversUsersOf(Ban ban) =>
        IncludeUsers.Contains("All", StringComparer.OrdinalIgnoreCase)
        || IncludeGroups.Intersect(ban.Scope.IncludeGroups, StringComparer.OrdinalIgnoreCase).Any();

    /// <summary>No platform condition covers every platform; otherwise the platform (or "all") is included and not excluded.</summary>
    public bool CoversPlatform(CompliancePlatform platform)
    {
        var name = platform.Platform == DevicePlatform.Ios ? "iOS" : "android";
        var included = IncludePlatforms is not { Count: > 0 } platforms
            || platforms.Any(p => p.Equals("all", StringComparison.OrdinalIgnoreCase) || p.Equals(name, StringComparison.OrdinalIgnoreCase));
        return included && !ExcludePlatforms.Contains(name, StringComparer.OrdinalIgnoreCase);
    }

    public bool Blocks(Ban ban, CompliancePlatform platform) =>
        string.Equals(State, "enabled", StringComparison.Ordinal) && RequiresCompliantDevice && CoversUsersOf(ban) && CoversPlatform(platform);

    public static ConditionalAccessPolicy FromJson(JsonElement policy)
    {
        static JsonElement At(JsonElement e, params string[] path)
        {
            foreach (var name in path)
            {
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
                    return default;
            }

            return e;
        }

        static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : "";

        static IReadOnlyList<string>? List(JsonElement e) =>
            e.ValueKind == JsonValueKind.Array ? [.. e.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!)] : null;

        return new ConditionalAccessPolicy(
            Text(At(policy, "displayName")),
            Text(At(policy, "state")),
            List(At(policy, "conditions", "users", "includeUsers")) ?? [],
            List(At(policy, "conditions", "users", "includeGroups")) ?? [],
            List(At(policy, "conditions", "platforms", "includePlatforms")),
            List(At(policy, "conditions", "platforms", "excludePlatforms")) ?? [],
            Text(At(policy, "grantControls", "operator")),
            List(At(policy, "grantControls", "builtInControls")) ?? []);
    }
}

/// <summary>What the report says of Conditional Access for a ban whose compliance policies exist. Pure.</summary>
public static class ConditionalAccessCheck
{
    public const string NothingBlocked =
        "no enabled Conditional Access policy requires a compliant device for the users in scope: noncompliance blocks nothing";

    /// <summary>A note when no enabled policy turns the ban's noncompliance into blocked access (on some platform), else null.</summary>
    public static string? NoteFor(Ban ban, IReadOnlyList<CompliancePlatform> platforms, IReadOnlyList<ConditionalAccessPolicy> policies)
    {
        var open = platforms.Where(p => !policies.Any(policy => policy.Blocks(ban, p))).ToList();
        if (open.Count == 0)
            return null;
        return open.Count == platforms.Count
            ? NothingBlocked
            : $"no enabled Conditional Access policy requires a compliant device for the users in scope on {string.Join(", ", open.Select(p => p.Label))}: noncompliance blocks nothing there";
    }

    /// <summary>The check could not be made; the compliance policies still apply.</summary>
    public static string Unchecked(GraphReadException e) =>
        e.Forbidden
            ? $"Conditional Access was not checked: the app lacks {GraphPermissions.PolicyRead} (grant it to learn whether noncompliance blocks access)"
            : $"Conditional Access was not checked ({e.Message}): whether noncompliance blocks access is unknown";
}
