namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// The ground truth behind the simulated Graph. Properties return snapshots, so tests can compute expected
/// results independently while the tenant keeps serving.
/// </summary>
public sealed class TenantState
{
    internal readonly Lock Gate = new();
    private readonly List<User> users = [];
    private readonly List<Group> groups = [];
    private readonly List<EntraDevice> entraDevices = [];
    private readonly List<ManagedDevice> managedDevices = [];
    private readonly List<MobileApp> mobileApps = [];
    private ManagedDevice[]? managedDeviceSnapshot;
    private readonly Dictionary<string, int> managedDeviceIndex = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, User> usersByIdOrUpn = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> groupIndex = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, EntraDevice> entraDevicesById = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, EntraDevice> entraDevicesByDeviceId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> mobileAppIndex = new(StringComparer.OrdinalIgnoreCase);

    internal TenantState(
        IEnumerable<User> users,
        IEnumerable<Group> groups,
        IEnumerable<EntraDevice> entraDevices,
        IEnumerable<ManagedDevice> managedDevices,
        IEnumerable<MobileApp> mobileApps)
    {
        Policies = new PolicyStore(Gate);
        ManagedGooglePlay = new ManagedGooglePlay(Gate);
        foreach (var user in users)
        {
            this.users.Add(user);
            usersByIdOrUpn[user.Id] = user;
            usersByIdOrUpn[user.UserPrincipalName] = user;
        }

        foreach (var device in entraDevices)
        {
            this.entraDevices.Add(device);
            entraDevicesById[device.Id] = device;
            entraDevicesByDeviceId.TryAdd(device.DeviceId, device);
        }

        foreach (var group in groups)
        {
            AddGroup(group);
        }

        foreach (var app in mobileApps)
        {
            AddMobileApp(app);
        }

        foreach (var device in managedDevices)
        {
            managedDeviceIndex[device.Id] = this.managedDevices.Count;
            this.managedDevices.Add(device);
        }
    }

    public IReadOnlyList<User> Users { get { lock (Gate) { return [.. users]; } } }
    public IReadOnlyList<Group> Groups { get { lock (Gate) { return [.. groups]; } } }
    public IReadOnlyList<EntraDevice> EntraDevices { get { lock (Gate) { return [.. entraDevices]; } } }
    public IReadOnlyList<ManagedDevice> ManagedDevices { get { lock (Gate) { return [.. managedDevices]; } } }
    public IReadOnlyList<MobileApp> MobileApps { get { lock (Gate) { return [.. mobileApps]; } } }

    /// <summary>Intune policies (compliance, configurations, remediations, filters) by collection.</summary>
    public PolicyStore Policies { get; }

    /// <summary>The packages approved in managed Google Play and those a sync is bringing into the catalog.</summary>
    public ManagedGooglePlay ManagedGooglePlay { get; }

    /// <summary>Bumped whenever a device's apps change, so derived inventory can be cached.</summary>
    internal int InventoryVersion { get; private set; }

    public Group GroupByName(string displayName)
    {
        lock (Gate)
        {
            return groups.FirstOrDefault(g => string.Equals(g.DisplayName, displayName, StringComparison.OrdinalIgnoreCase))
                ?? throw new KeyNotFoundException($"No group named '{displayName}'.");
        }
    }

    public ManagedDevice ManagedDeviceById(string id)
    {
        lock (Gate)
        {
            return FindManagedDevice(id) ?? throw new KeyNotFoundException($"No managed device '{id}'.");
        }
    }

    /// <summary>
    /// Company-owned devices report every app; personal and unknown ones only Intune-managed apps. A company-owned work
    /// profile (COPE) reports its work profile only: what the user installed in the personal profile stays invisible.
    /// </summary>
    public bool IsVisibleInInventory(ManagedDevice device, InstalledApp app) =>
        app.Source == AppSource.Managed || (device.Ownership == "company" && device.AndroidMode != AndroidMode.CorporateWorkProfile);

    public IReadOnlyList<InstalledApp> VisibleApps(ManagedDevice device) =>
        [.. device.InstalledApps.Where(app => IsVisibleInInventory(device, app))];

    /// <summary>Users, Entra devices and groups reachable from the group through nested groups.</summary>
    public IReadOnlySet<string> TransitiveMemberIds(string groupId)
    {
        lock (Gate)
        {
            return TransitiveMembersUnlocked(groupId);
        }
    }

    internal IReadOnlySet<string> TransitiveMembersUnlocked(string groupId)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>([groupId]);
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (pending.TryPop(out var current))
        {
            if (!visited.Add(current) || FindGroup(current) is not { } group)
            {
                continue;
            }

            foreach (var member in group.MemberIds)
            {
                found.Add(member);
                pending.Push(member);
            }
        }

        return found;
    }

    internal IReadOnlyList<Group> GroupsUnlocked => groups;
    internal IReadOnlyList<EntraDevice> EntraDevicesUnlocked => entraDevices;
    internal IReadOnlyList<ManagedDevice> ManagedDevicesUnlocked => managedDevices;

    /// <summary>
    /// The managed devices as an immutable array, rebuilt only after a device changed: a listing reads it outside the lock
    /// without copying the whole fleet for every page (100,000 references a request made the simulator, not the sweep, the
    /// benchmark's bottleneck).
    /// </summary>
    internal IReadOnlyList<ManagedDevice> ManagedDeviceSnapshotUnlocked => managedDeviceSnapshot ??= [.. managedDevices];
    internal IReadOnlyList<MobileApp> MobileAppsUnlocked => mobileApps;

    internal User? FindUser(string idOrUpn) => usersByIdOrUpn.GetValueOrDefault(idOrUpn);

    internal Group? FindGroup(string id) => groupIndex.TryGetValue(id, out var index) ? groups[index] : null;

    internal EntraDevice? FindEntraDevice(string id) => entraDevicesById.GetValueOrDefault(id);

    internal EntraDevice? FindEntraDeviceByDeviceId(string deviceId) => entraDevicesByDeviceId.GetValueOrDefault(deviceId);

    internal ManagedDevice? FindManagedDevice(string id) =>
        managedDeviceIndex.TryGetValue(id, out var index) ? managedDevices[index] : null;

    internal MobileApp? FindMobileApp(string id) => mobileAppIndex.TryGetValue(id, out var index) ? mobileApps[index] : null;

    internal void AddGroup(Group group)
    {
        groupIndex.Add(group.Id, groups.Count);
        groups.Add(group);
    }

    internal void AddMobileApp(MobileApp app)
    {
        mobileAppIndex.Add(app.Id, mobileApps.Count);
        mobileApps.Add(app);
    }

    /// <summary>A test sets a device as it needs it (an app the user installed, a management mode): the ground truth changes as on a real device.</summary>
    public void Arrange(ManagedDevice device)
    {
        lock (Gate)
        {
            _ = FindManagedDevice(device.Id) ?? throw new KeyNotFoundException($"No managed device '{device.Id}'.");
            ReplaceManagedDevice(device);
        }
    }

    internal void ReplaceGroup(Group group) => groups[groupIndex[group.Id]] = group;

    internal void ReplaceMobileApp(MobileApp app) => mobileApps[mobileAppIndex[app.Id]] = app;

    internal void ReplaceManagedDevice(ManagedDevice device)
    {
        managedDevices[managedDeviceIndex[device.Id]] = device;
        managedDeviceSnapshot = null;
        InventoryVersion++;
    }
}
