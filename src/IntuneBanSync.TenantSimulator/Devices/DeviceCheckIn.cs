namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// What a policy does to a device when it checks in (a compliance policy marks it noncompliant, a remediation removes an app):
/// one class per kind of policy, registered with the tenant. Called under the tenant's gate.
/// </summary>
internal interface ICheckInEffect
{
    /// <summary>The device as the policy leaves it, and the apps the policy removed.</summary>
    (ManagedDevice Device, IReadOnlyList<InstalledApp> Removed) Apply(ManagedDevice device, DateTimeOffset now);
}

/// <summary>
/// What a device does when it checks in: Intune uninstalls the apps an "uninstall" assignment targets at the device or its user
/// (<see cref="Uninstalls"/>), then every registered policy effect applies.
/// </summary>
internal sealed class DeviceCheckIn(TenantState state, TimeProvider time, IReadOnlyList<ICheckInEffect> effects)
{
    public CheckInResult CheckIn(string managedDeviceId)
    {
        lock (state.Gate)
        {
            var device = state.FindManagedDevice(managedDeviceId)
                ?? throw new KeyNotFoundException($"No managed device '{managedDeviceId}'.");
            return CheckInUnlocked(device, EntraObjectIds(), Memberships());
        }
    }

    public CheckInResult CheckInAll()
    {
        lock (state.Gate)
        {
            var entraObjectIds = EntraObjectIds();
            var memberships = Memberships();
            var removed = state.ManagedDevicesUnlocked
                .ToList()
                .Select(device => CheckInUnlocked(device, entraObjectIds, memberships))
                .SelectMany(result => result.RemovedApps)
                .ToList();
            return new CheckInResult("*", removed);
        }
    }

    private Dictionary<string, string> EntraObjectIds() =>
        state.EntraDevicesUnlocked
            .GroupBy(d => d.DeviceId, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);

    private Func<string, IReadOnlySet<string>> Memberships()
    {
        var cache = new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase);
        return groupId => cache.TryGetValue(groupId, out var members)
            ? members
            : cache[groupId] = state.TransitiveMembersUnlocked(groupId);
    }

    private CheckInResult CheckInUnlocked(ManagedDevice device, Dictionary<string, string> entraObjectIds, Func<string, IReadOnlySet<string>> membersOf)
    {
        var platform = AppCatalog.PlatformOf(device.OperatingSystem);
        var principals = new[] { device.UserId, entraObjectIds.GetValueOrDefault(device.AzureAdDeviceId) }.OfType<string>().ToList();
        var uninstalled = state.MobileAppsUnlocked
            .Where(app => app.Identifier is not null && AppCatalog.CatalogTypeServes(app.ODataType, platform))
            .Where(app => app.Assignments.Any(a => a.Intent == "uninstall" && !a.Excluded && principals.Any(membersOf(a.GroupId).Contains)))
            .ToList();
        var removed = device.InstalledApps
            .Where(installed => uninstalled.Any(app => Uninstalls(app, device, installed)))
            .ToList();
        var now = time.GetUtcNow();
        var after = device with { InstalledApps = [.. device.InstalledApps.Except(removed)], LastSyncDateTime = now };
        foreach (var effect in effects)
        {
            var (changed, gone) = effect.Apply(after, now);
            after = changed;
            removed.AddRange(gone);
        }

        state.ReplaceManagedDevice(after);
        return new CheckInResult(device.Id, removed);
    }

    /// <summary>
    /// Whether an uninstall of this catalog app removes this copy. An uninstall removes only what Intune installed (apps-deploy.md),
    /// except a managed Google Play app, which Android Enterprise removes from the managed profile whoever installed it: on a fully
    /// managed or dedicated device that is every copy; on a work profile only the work profile's (the simulator keeps what the user
    /// installed there in the personal profile, where Intune sees nothing and reaches nothing). Device administrator devices take no
    /// managed Google Play app.
    /// </summary>
    internal static bool Uninstalls(MobileApp app, ManagedDevice device, InstalledApp installed)
    {
        if (installed.Identifier is null || !string.Equals(installed.Identifier, app.Identifier, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return app.ODataType == "androidManagedStoreApp"
            ? device.AndroidMode switch
            {
                AndroidMode.FullyManaged or AndroidMode.Dedicated => true,
                AndroidMode.DeviceAdministrator => false,
                _ => installed.Source == AppSource.Managed,
            }
            : installed.Source == AppSource.Managed;
    }
}
