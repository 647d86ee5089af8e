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
/// What a device does when it checks in: Intune uninstalls the managed apps an "uninstall" assignment targets
/// at the device or its user; apps the user installed stay. Then every registered policy effect applies.
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
        var uninstallIdentifiers = state.MobileAppsUnlocked
            .Where(app => app.Identifier is not null && AppCatalog.CatalogTypeServes(app.ODataType, platform))
            .Where(app => app.Assignments.Any(a => a.Intent == "uninstall" && !a.Excluded && principals.Any(membersOf(a.GroupId).Contains)))
            .Select(app => app.Identifier!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var removed = device.InstalledApps
            .Where(app => app.Source == AppSource.Managed && app.Identifier is not null && uninstallIdentifiers.Contains(app.Identifier))
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
}
