namespace IntuneBanSync.Enforcement;

/// <summary>The journal's audit of one ban, read as what we did; each mechanism sees its own writes.</summary>
public sealed class AuditView(IReadOnlyList<AuditEntry> entries)
{
    private ILookup<string, AuditEntry>? _byDevice;

    public IReadOnlyList<AuditEntry> Entries { get; } = entries;

    /// <summary>The entries about one device, in write order: looked up, not scanned, since a sweep asks this for thousands of devices.</summary>
    public IEnumerable<AuditEntry> OfDevice(string deviceId) =>
        (_byDevice ??= Entries.Where(e => e.Intent.DeviceId is not null).ToLookup(e => e.Intent.DeviceId!, StringComparer.OrdinalIgnoreCase))[deviceId];

    public IEnumerable<AuditEntry> Open => Entries.Where(e => e.Outcome is null);

    /// <summary>The writes of one mechanism (and, for the one that owns them, those written before mechanisms were named).</summary>
    public AuditView Of(IEnforcementMechanism mechanism) =>
        new([.. Entries.Where(e => e.Intent.Mechanism == mechanism.Name || (e.Intent.Mechanism is null && mechanism.OwnsUnnamedWrites))]);

    /// <summary>True when a write with this action and target was sent and not refused.</summary>
    public bool Created(WriteAction action, string target) =>
        Entries.Any(e => e.Intent.Action == action && string.Equals(e.Intent.Target, target, StringComparison.OrdinalIgnoreCase) && e.Outcome?.Result != WriteResult.Failed);
}
