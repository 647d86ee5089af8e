using IntuneBanSync.Inventory;

namespace IntuneBanSync.Enforcement;

/// <summary>One device of one ban as this sweep saw and decided it, and its class (which routes can reach it).</summary>
public sealed record BanObservation(DeviceRecord Device, Decision Decision, IReadOnlyList<DetectedAppRecord> Apps)
{
    public DeviceClass Class { get; } = DeviceClasses.Of(Device, Apps);

    public ClassRoutes Routes => RoutePlanner.For(Class);
}

/// <summary>
/// One ban through one sweep: its mode, what the journal knew of its devices before, the devices that matter to it this time
/// (seen with a banned app, or known to the journal), how many are in scope, what enforcement did, and the states that follow.
/// </summary>
public sealed class BanSweep(Ban ban, EnforcementMode mode, IReadOnlyDictionary<string, DeviceBanState> earlier, IReadOnlyList<Exemption>? exemptions = null)
{
    private readonly Dictionary<string, BanObservation> _devices = new(StringComparer.OrdinalIgnoreCase);

    public Ban Ban { get; } = ban;

    public EnforcementMode Mode { get; } = mode;

    public IReadOnlyDictionary<string, DeviceBanState> Earlier { get; } = earlier;

    /// <summary>The ban's exemptions in force at the sweep's time.</summary>
    public IReadOnlyList<Exemption> Exemptions { get; } = exemptions ?? [];

    public IReadOnlyDictionary<string, BanObservation> Devices => _devices;

    public int InScopeDevices { get; private set; }

    /// <summary>The ban list's contact: the values of {helpdesk} and {attestationLink} in what the ban sends its users.</summary>
    public BanListContact Contact { get; init; } = BanListContact.None;

    /// <summary>What enforcement did for this ban this sweep; null when it did not run (report mode, a one-user sweep).</summary>
    public BanEnforcementResult? Enforcement { get; set; }

    public IEnumerable<BanObservation> WithDecision(params DecisionKind[] kinds) => _devices.Values.Where(o => kinds.Contains(o.Decision.Kind));

    /// <summary>Devices the ban does not bind this sweep (exempt, advised, out of scope, ban not in force): what was applied to them is taken back.</summary>
    public IEnumerable<BanObservation> Unbound() =>
        WithDecision(DecisionKind.Exempt, DecisionKind.Advised, DecisionKind.OutOfScope, DecisionKind.BanNotActive);

    public DeviceBanState? EarlierStateOf(string deviceId) => Earlier.GetValueOrDefault(deviceId);

    /// <summary>Keeps the devices that matter: seen with the app, or already known to the journal.</summary>
    public void Observe(DeviceRecord device, Decision decision, IReadOnlyList<DetectedAppRecord> apps)
    {
        if (decision.Kind.CountsInScope())
            InScopeDevices++;
        // A route that goes by class (a company-owned device's personal profile) reaches devices no detection names.
        if (apps.Count > 0 || Earlier.ContainsKey(device.Id)
            || (decision.Kind.IsCovered() && RoutePlanner.For(DeviceClasses.Of(device, apps)).Takes(Route.PersonalProfileBlock)))
            _devices[device.Id] = new BanObservation(device, decision, apps);
    }

    /// <summary>
    /// The states this sweep changes. Devices a mechanism planned for but stopped before knowing them keep what they had.
    /// A device whose inventory could not be read keeps its state too (the lifecycle decides that).
    /// </summary>
    public IReadOnlyList<DeviceBanState> NextStates(InventoryCoverage coverage, string runId, DateTimeOffset now)
    {
        var next = new List<DeviceBanState>();
        foreach (var observation in _devices.Values)
        {
            var previous = EarlierStateOf(observation.Device.Id);
            var proven = observation.Device.Platform is { } platform && coverage.CanProveAbsence(Ban.Id, platform);
            var frozen = Enforcement?.Knows(observation.Device.Id) == false;
            var state = frozen ? previous : DeviceLifecycle.Next(previous, observation, Enforcement?.ReachesOf(observation.Device.Id) ?? [], proven, runId, now);
            if (state is not null && state != previous)
                next.Add(state);
        }

        return next;
    }
}
