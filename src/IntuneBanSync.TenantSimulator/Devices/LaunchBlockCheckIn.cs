namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// A supervised iPhone or iPad that checks in applies the Blocked Apps restriction (blockedAppBundleIDs) of every settings catalog
/// policy assigned to it: the system stops showing or launching those apps, which stay installed. The key needs iOS 15, supervision,
/// and is forbidden under user enrollment (apple/device-management mdm/profiles/com.apple.applicationaccess.yaml). Recomputed at
/// every check-in, so a policy that no longer reaches the device lifts its block.
/// </summary>
internal sealed class LaunchBlockCheckIn(TenantState state) : ICheckInEffect
{
    public (ManagedDevice Device, IReadOnlyList<InstalledApp> Removed) Apply(ManagedDevice device, DateTimeOffset now)
    {
        var applies = device.OperatingSystem is "iOS" or "iPadOS" && device.IsSupervised
            && !device.EnrollmentType.StartsWith("appleUserEnrollment", StringComparison.OrdinalIgnoreCase);
        var blocked = applies
            ? state.Policies.OfUnlocked(ConfigurationPolicyRoutes.Collection.Name)
                .Where(p => (p.Text("platforms") ?? "").Split(',', StringSplitOptions.TrimEntries).Contains("iOS"))
                .Where(p => AssignmentTargets.Reaches(state, p.Targets, device))
                .SelectMany(p => ConfigurationPolicyRoutes.StringValues(p.Body, ConfigurationPolicyRoutes.BlockedAppBundleIds))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        return (device with { BlockedAppIdentifiers = blocked.Count == 0 ? null : blocked }, []);
    }
}
