namespace IntuneBanSync.Enforcement.Policies;

public enum TargetKind { Group, ExcludedGroup, AllDevices, AllLicensedUsers }

/// <summary>
/// One assignment target of a policy we create. <paramref name="FilterId"/> is an assignment filter narrowing an include target
/// (Graph allows no filter on an exclusion).
/// </summary>
public sealed record PolicyTarget(TargetKind Kind, string? GroupId = null, string? FilterId = null)
{
    public JsonObject ToJson()
    {
        var target = new JsonObject
        {
            ["@odata.type"] = Kind switch
            {
                TargetKind.Group => "#microsoft.graph.groupAssignmentTarget",
                TargetKind.ExcludedGroup => "#microsoft.graph.exclusionGroupAssignmentTarget",
                TargetKind.AllDevices => "#microsoft.graph.allDevicesAssignmentTarget",
                _ => "#microsoft.graph.allLicensedUsersAssignmentTarget",
            },
        };
        if (GroupId is not null)
            target["groupId"] = GroupId;
        if (FilterId is not null)
        {
            target["deviceAndAppManagementAssignmentFilterId"] = FilterId;
            target["deviceAndAppManagementAssignmentFilterType"] = "include";
        }

        return target;
    }

    /// <summary>A target as Graph answers it; null for a kind we never assign (so a policy carrying one is not as we want it).</summary>
    // exclusionGroupAssignmentTarget derives from groupAssignmentTarget: the type is compared whole, never by prefix.
    public static PolicyTarget? FromJson(JsonElement target)
    {
        var type = target.TryGetProperty("@odata.type", out var t) ? t.GetString()?.TrimStart('#') : null;
        var group = target.TryGetProperty("groupId", out var g) ? g.GetString() : null;
        var filter = target.TryGetProperty("deviceAndAppManagementAssignmentFilterId", out var f) && f.ValueKind == JsonValueKind.String
            && f.GetString() is { Length: > 0 } id && (!target.TryGetProperty("deviceAndAppManagementAssignmentFilterType", out var ft) || ft.GetString() is not "none")
            ? id
            : null;
        return type switch
        {
            "microsoft.graph.exclusionGroupAssignmentTarget" => new(TargetKind.ExcludedGroup, group),
            "microsoft.graph.groupAssignmentTarget" => new(TargetKind.Group, group, filter),
            "microsoft.graph.allDevicesAssignmentTarget" => new(TargetKind.AllDevices, null, filter),
            "microsoft.graph.allLicensedUsersAssignmentTarget" => new(TargetKind.AllLicensedUsers, null, filter),
            _ => null,
        };
    }

    /// <summary>Two sets of targets are the same assignment, whatever their order and the case of their ids.</summary>
    public static bool SameSet(IEnumerable<PolicyTarget?> a, IEnumerable<PolicyTarget> b)
    {
        static string Key(PolicyTarget? t) => t is null ? "?" : $"{t.Kind}|{t.GroupId?.ToLowerInvariant()}|{t.FilterId?.ToLowerInvariant()}";
        return a.Select(Key).Order(StringComparer.Ordinal).SequenceEqual(b.Select(Key).Order(StringComparer.Ordinal));
    }
}
