namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// What a device does when it checks in: Intune uninstalls the managed apps an "uninstall" assignment targets
/// at the device or its user; apps the user installed stay.
/// </summary>
internal sealed class DeviceCheckIn(TenantState state, TimeProvider time)
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
        state.ReplaceManagedDevice(device with
        {
            InstalledApps = [.. device.InstalledApps.Except(removed)],
            LastSyncDateTime = time.GetUtcNow(),
        });
        return new CheckInResult(device.Id, removed);
    }
}
