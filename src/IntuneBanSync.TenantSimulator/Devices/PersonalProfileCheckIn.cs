namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// A company-owned device with a work profile that checks in applies the personal-profile block list of every Android device owner
/// configuration assigned to it: apps on the list are uninstalled from the personal profile and cannot be installed there again
/// (Android Management API, PersonalApplicationPolicy.installType BLOCKED: "If the app was previously installed in the device, it
/// will be uninstalled"; memdocs/intune/configuration/device-restrictions-android-for-work.md, Personal profile, "Type of restricted
/// apps list"). The simulator keeps a COPE device's user-installed apps in its personal profile, which inventory never reports.
/// </summary>
internal sealed class PersonalProfileCheckIn(TenantState state) : ICheckInEffect
{
    public (ManagedDevice Device, IReadOnlyList<InstalledApp> Removed) Apply(ManagedDevice device, DateTimeOffset now)
    {
        if (device.AndroidMode != AndroidMode.CorporateWorkProfile)
            return (device, []);
        var blocked = state.Policies.OfUnlocked(DeviceConfigurationRoutes.Collection.Name)
            .Where(c => AssignmentTargets.Reaches(state, c.Targets, device))
            .SelectMany(DeviceConfigurationRoutes.PersonalProfileBlocked)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var removed = device.InstalledApps.Where(a => a.Source == AppSource.User && a.Identifier is not null && blocked.Contains(a.Identifier)).ToList();
        return removed.Count == 0 ? (device, []) : (device with { InstalledApps = [.. device.InstalledApps.Except(removed)] }, removed);
    }
}
