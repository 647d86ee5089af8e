namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// A compliance policy at check-in: when an assigned iOS policy (iOS and iPadOS devices) or Android device administrator policy reaches
/// the device and an app it restricts is installed (by identifier, among the apps Intune sees on it), the device is "inGracePeriod"
/// until the policy's block grace has passed since the policy first found the app, then "noncompliant"; "compliant" again once no
/// policy finds a restricted app. Kept simple: the grace is counted from the first check-in that found the app, with the block
/// action's current gracePeriodHours, and a device this effect never marked keeps the state it had.
/// </summary>
internal sealed class ComplianceCheckIn(TenantState state) : ICheckInEffect
{
    private readonly Dictionary<(string Policy, string Device), DateTimeOffset> _firstFound = [];
    private readonly HashSet<string> _marked = new(StringComparer.OrdinalIgnoreCase);

    public (ManagedDevice Device, IReadOnlyList<InstalledApp> Removed) Apply(ManagedDevice device, DateTimeOffset now)
    {
        string? verdict = null;
        foreach (var policy in state.Policies.OfUnlocked(ComplianceRoutes.PoliciesCollection))
        {
            var key = (policy.Id, device.Id);
            if (!Serves(policy, device) || !AssignmentTargets.Reaches(state, policy.Targets, device) || !HasRestrictedApp(policy, device))
            {
                _firstFound.Remove(key);
                continue;
            }

            var found = _firstFound.TryGetValue(key, out var at) ? at : _firstFound[key] = now;
            var over = now >= found + TimeSpan.FromHours(BlockGraceHours(policy));
            verdict = over || verdict == "noncompliant" ? "noncompliant" : "inGracePeriod";
        }

        if (verdict is not null)
        {
            _marked.Add(device.Id);
            return (device with { ComplianceState = verdict }, []);
        }

        return _marked.Remove(device.Id) ? (device with { ComplianceState = "compliant" }, []) : (device, []);
    }

    private static bool Serves(PolicyEntity policy, ManagedDevice device) => policy.ODataType switch
    {
        "microsoft.graph.iosCompliancePolicy" => device.OperatingSystem is "iOS" or "iPadOS",
        "microsoft.graph.androidCompliancePolicy" => device.OperatingSystem == "Android" && device.AndroidMode == AndroidMode.DeviceAdministrator,
        _ => false,
    };

    private bool HasRestrictedApp(PolicyEntity policy, ManagedDevice device)
    {
        var restricted = (policy.Body["restrictedApps"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(a => a["appId"]?.GetValue<string>())
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return device.InstalledApps.Any(a => a.Identifier is not null && restricted.Contains(a.Identifier) && state.IsVisibleInInventory(device, a));
    }

    private static int BlockGraceHours(PolicyEntity policy) =>
        (policy.Body["scheduledActionsForRule"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .SelectMany(r => (r["scheduledActionConfigurations"] as JsonArray ?? []).OfType<JsonObject>())
            .Where(a => a["actionType"]?.GetValue<string>() == "block")
            .Select(a => a["gracePeriodHours"]?.GetValue<int>() ?? 0)
            .FirstOrDefault();
}
