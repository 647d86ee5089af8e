namespace IntuneBanSync.TenantSimulator;

internal enum TargetType { Group, ExcludedGroup, AllDevices, AllLicensedUsers }

internal sealed record AssignmentTarget(TargetType Type, string? GroupId, string? FilterId);

/// <summary>How Intune decides whether an assignment reaches a device: include by group (its user or its Entra device), all devices or all users, narrowed by a filter; excluded by group.</summary>
internal static class AssignmentTargets
{
    public static AssignmentTarget? Parse(JsonObject target)
    {
        var type = (target["@odata.type"]?.GetValue<string>() ?? "").TrimStart('#');
        var group = target["groupId"]?.GetValue<string>();
        var filter = target["deviceAndAppManagementAssignmentFilterType"]?.GetValue<string>() is "include" ? target["deviceAndAppManagementAssignmentFilterId"]?.GetValue<string>() : null;
        return type switch
        {
            "microsoft.graph.exclusionGroupAssignmentTarget" when Guid.TryParse(group, out _) => new(TargetType.ExcludedGroup, group, null),
            "microsoft.graph.groupAssignmentTarget" when Guid.TryParse(group, out _) => new(TargetType.Group, group, filter),
            "microsoft.graph.allDevicesAssignmentTarget" => new(TargetType.AllDevices, null, filter),
            "microsoft.graph.allLicensedUsersAssignmentTarget" => new(TargetType.AllLicensedUsers, null, filter),
            _ => null,
        };
    }

    /// <summary>Call under the tenant's gate. Filters are read from the store's assignmentFilters (rules on deviceOwnership only).</summary>
    public static bool Reaches(TenantState state, IEnumerable<JsonObject> targets, ManagedDevice device)
    {
        var parsed = targets.Select(Parse).OfType<AssignmentTarget>().ToList();
        var entra = state.EntraDevicesUnlocked.FirstOrDefault(d => string.Equals(d.DeviceId, device.AzureAdDeviceId, StringComparison.OrdinalIgnoreCase))?.Id;
        bool InGroup(string groupId)
        {
            var members = state.TransitiveMembersUnlocked(groupId);
            return (device.UserId is { } user && members.Contains(user)) || (entra is not null && members.Contains(entra));
        }

        if (parsed.Any(t => t.Type == TargetType.ExcludedGroup && InGroup(t.GroupId!)))
            return false;
        return parsed.Any(t => t.Type switch
        {
            TargetType.Group => InGroup(t.GroupId!),
            TargetType.AllDevices => true,
            TargetType.AllLicensedUsers => device.UserId is not null,
            _ => false,
        } && Passes(state, t.FilterId, device));
    }

    private static bool Passes(TenantState state, string? filterId, ManagedDevice device)
    {
        if (filterId is null)
            return true;
        var rule = state.Policies.Find("assignmentFilters", filterId)?.Text("rule") ?? "";
        // Only the rule IntuneBanSync writes is understood: (device.deviceOwnership -eq "Corporate") or "Personal".
        var wanted = rule.Contains("\"Corporate\"", StringComparison.OrdinalIgnoreCase) ? "company" : rule.Contains("\"Personal\"", StringComparison.OrdinalIgnoreCase) ? "personal" : null;
        return wanted is null || device.Ownership == wanted;
    }
}
