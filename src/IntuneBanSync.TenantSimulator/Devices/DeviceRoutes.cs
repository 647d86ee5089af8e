namespace IntuneBanSync.TenantSimulator;

/// <summary>deviceManagement: managed devices, their aggregate and per-device app inventory, syncDevice.</summary>
internal sealed class DeviceRoutes(TenantState state, SimulatorOptions options, DetectedAppIndex index)
{
    private readonly SliceCache slices = new();

    private DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    private static readonly Needs DevicesRead = Needs.Any("DeviceManagementManagedDevices.Read.All");

    public void Register(GraphRouter router)
    {
        const ThrottleCategory devices = ThrottleCategory.Devices;
        router.Get("deviceManagement/managedDevices", devices, DevicesRead, ListManagedDevices);
        router.Get("deviceManagement/managedDevices/{id}", devices, DevicesRead, GetManagedDevice);
        router.Write("POST", "deviceManagement/managedDevices/{id}/syncDevice", devices, Needs.Any("DeviceManagementManagedDevices.PrivilegedOperations.All"), SyncDevice);
        router.Get("deviceManagement/managedDevices/{id}/detectedApps", devices, DevicesRead, ListDeviceDetectedApps, betaOnly: true);
        router.Get("deviceManagement/detectedApps", devices, DevicesRead, ListDetectedApps);
        router.Get("deviceManagement/detectedApps/{id}", devices, DevicesRead, GetDetectedApp);
        router.Get("deviceManagement/detectedApps/{id}/managedDevices", devices, DevicesRead, ListDetectedAppDevices);
    }

    /// <summary>A device as v1.0 shows it to a client that asked (or not) for enum members added since the enum was published.</summary>
    public static JsonObject Shape(ManagedDevice device, bool includeUnknownEnumMembers) => new()
    {
        ["@odata.type"] = "#microsoft.graph.managedDevice",
        ["id"] = device.Id,
        ["deviceName"] = device.DeviceName,
        ["userId"] = device.UserId,
        ["userPrincipalName"] = device.UserPrincipalName,
        ["azureADDeviceId"] = device.AzureAdDeviceId,
        ["operatingSystem"] = device.OperatingSystem,
        ["osVersion"] = device.OsVersion,
        ["managedDeviceOwnerType"] = device.Ownership,
        ["isSupervised"] = device.IsSupervised,
        ["lastSyncDateTime"] = GraphJson.Date(device.LastSyncDateTime),
        ["complianceState"] = device.ComplianceState,
        ["managementAgent"] = device.ManagementAgent,
        ["deviceEnrollmentType"] = includeUnknownEnumMembers || !EvolvedEnrollmentTypes.Contains(device.EnrollmentType) ? device.EnrollmentType : "unknownFutureValue",
        ["deviceRegistrationState"] = "registered",
    };

    public static JsonObject Shape(ManagedDevice device) => Shape(device, includeUnknownEnumMembers: false);

    // deviceEnrollmentType members after unknownFutureValue in the v1.0 metadata (msgraph-metadata clean_v10_metadata).
    private static readonly HashSet<string> EvolvedEnrollmentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "azureAdJoinUsingAzureVmExtension", "androidEnterpriseDedicatedDevice", "androidEnterpriseFullyManaged", "androidEnterpriseCorporateWorkProfile",
    };

    /// <summary>detectedApps/{id}/managedDevices answers sparse devices: their id and name, not the whole record.</summary>
    private static JsonObject SparseShape(ManagedDevice device) => new()
    {
        ["@odata.type"] = "#microsoft.graph.managedDevice",
        ["id"] = device.Id,
        ["deviceName"] = device.DeviceName,
    };

    private static JsonObject Shape(DetectedApp app) => new()
    {
        ["@odata.type"] = "#microsoft.graph.detectedApp",
        ["id"] = app.Id,
        ["displayName"] = app.DisplayName,
        ["version"] = app.Version,
        ["sizeInByte"] = app.SizeInByte,
        ["deviceCount"] = app.DeviceIds.Count,
        ["publisher"] = app.Publisher,
        ["platform"] = app.Platform,
    };

    private GraphResponse ListManagedDevices(GraphRequest request, RouteArgs args)
    {
        // The devices are records, replaced when they change: a snapshot taken under the lock is shaped outside it, so pages
        // read side by side are built side by side, as a service's front ends build them.
        IReadOnlyList<ManagedDevice> devices;
        lock (state.Gate)
        {
            devices = state.ManagedDeviceSnapshotUnlocked;
        }

        var filter = request.QueryValue("$filter");
        if (filter is not null && ODataFilter.TryRange(filter, "lastSyncDateTime", out var after, out var before))
        {
            switch (options.LastSyncFilter)
            {
                case FilterSupport.Refused:
                    return GraphJson.BadRequest($"Invalid filter clause: {filter}", Now);
                case FilterSupport.Honoured:
                    devices = slices.Of(devices, after, before);
                    break;
            }
        }
        else if (filter is not null)
        {
            if (!ODataFilter.TryEquals(filter, out var property, out var value)
                || !property.Equals("userId", StringComparison.OrdinalIgnoreCase) && !property.Equals("userPrincipalName", StringComparison.OrdinalIgnoreCase))
            {
                return GraphJson.BadRequest($"Invalid filter clause: {filter}", Now);
            }

            devices = property.Equals("userId", StringComparison.OrdinalIgnoreCase)
                ? [.. devices.Where(d => string.Equals(d.UserId, value, StringComparison.OrdinalIgnoreCase))]
                : [.. devices.Where(d => string.Equals(d.UserPrincipalName, value, StringComparison.OrdinalIgnoreCase))];
        }

        var includeUnknown = request.IncludesUnknownEnumMembers;
        return Paging.Page(request, devices, options.ManagedDevicesPageSize, options.MaxTop, "deviceManagement/managedDevices", d => Shape(d, includeUnknown), Now);
    }

    private GraphResponse GetManagedDevice(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return state.FindManagedDevice(args["id"]) is { } device
                ? GraphResponse.Ok(GraphJson.Entity(request, "deviceManagement/managedDevices", (JsonObject)Paging.Select(request, Shape(device, request.IncludesUnknownEnumMembers))))
                : GraphJson.NotFound($"Managed device '{args["id"]}' not found.", Now);
        }
    }

    private GraphResponse SyncDevice(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return state.FindManagedDevice(args["id"]) is null
                ? GraphJson.NotFound($"Managed device '{args["id"]}' not found.", Now)
                : GraphResponse.NoContent();
        }
    }

    private GraphResponse ListDeviceDetectedApps(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            if (state.FindManagedDevice(args["id"]) is not { } device)
            {
                return GraphJson.NotFound($"Managed device '{args["id"]}' not found.", Now);
            }

            var platform = DetectedAppIndex.PlatformOf(device);
            var apps = state.VisibleApps(device)
                .Select(a => index.Find(DetectedAppIndex.IdOf(a.DisplayName, a.Version, platform)))
                .OfType<DetectedApp>()
                .DistinctBy(a => a.Id)
                .ToList();
            return Paging.Page(request, apps, options.DetectedAppsPageSize, options.MaxTop, "deviceManagement/detectedApps", Shape, Now);
        }
    }

    private GraphResponse ListDetectedApps(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return Paging.Page(request, index.All(), options.DetectedAppsPageSize, options.MaxTop, "deviceManagement/detectedApps", Shape, Now);
        }
    }

    private GraphResponse GetDetectedApp(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return index.Find(args["id"]) is { } app
                ? GraphResponse.Ok(GraphJson.Entity(request, "deviceManagement/detectedApps", Shape(app)))
                : GraphJson.NotFound($"Detected app '{args["id"]}' not found.", Now);
        }
    }

    private GraphResponse ListDetectedAppDevices(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            if (index.Find(args["id"]) is not { } app)
            {
                return GraphJson.NotFound($"Detected app '{args["id"]}' not found.", Now);
            }

            var devices = app.DeviceIds.Select(id => state.FindManagedDevice(id)!).ToList();
            return Paging.Page(request, devices, options.AppDevicesPageSize, options.MaxTop, $"deviceManagement/detectedApps('{app.Id}')/managedDevices", SparseShape, Now);
        }
    }

    /// <summary>
    /// A range's devices, filtered once per snapshot and range: the pages of one slice then cost a page each, not a scan of the
    /// fleet each (a service answers a nextLink from its own cursor, not by filtering the tenant again).
    /// </summary>
    private sealed class SliceCache
    {
        private readonly Lock gate = new();
        private readonly Dictionary<(DateTimeOffset? After, DateTimeOffset? Before), IReadOnlyList<ManagedDevice>> ranges = [];
        private IReadOnlyList<ManagedDevice>? snapshot;

        public IReadOnlyList<ManagedDevice> Of(IReadOnlyList<ManagedDevice> devices, DateTimeOffset? after, DateTimeOffset? before)
        {
            lock (gate)
            {
                if (!ReferenceEquals(snapshot, devices) || ranges.Count >= 64)
                {
                    ranges.Clear();
                    snapshot = devices;
                }

                if (ranges.TryGetValue((after, before), out var cached))
                    return cached;
            }

            IReadOnlyList<ManagedDevice> range = [.. devices.Where(d => (after is not { } a || d.LastSyncDateTime > a) && (before is not { } b || d.LastSyncDateTime < b))];
            lock (gate)
            {
                if (ReferenceEquals(snapshot, devices))
                    ranges[(after, before)] = range;
            }

            return range;
        }
    }
}
