using IntuneBanSync.BanList;
using IntuneBanSync.Graph;
using IntuneBanSync.Planning;

namespace IntuneBanSync.Enforcement;

/// <summary>One device of one ban as this sweep saw and decided it.</summary>
public sealed record BanObservation(DeviceRecord Device, Decision Decision, IReadOnlyList<DetectedAppRecord> Apps);

/// <summary>What a sweep gathered about one ban for enforcement: the devices that matter to it and how many are in scope.</summary>
public sealed class BanSweep(Ban ban)
{
    public Ban Ban { get; } = ban;

    public Dictionary<string, BanObservation> Devices { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int InScopeDevices { get; set; }
}

public enum EnforcementOutcome { Enforced, AlreadyEnforced, Unenforceable, Failed, Removed }

/// <summary>What enforcement did for one device of one ban, and by which route.</summary>
public sealed record DeviceEnforcement(EnforcementOutcome Outcome, string Route, string? Reason = null, string? EntraObjectId = null);

/// <summary>One ban's enforcement in one sweep. <paramref name="Held"/> and <paramref name="Stopped"/> say why nothing was done.</summary>
public sealed record BanEnforcementResult(
    string BanId,
    string? Held,
    string? Stopped,
    IReadOnlyDictionary<string, DeviceEnforcement> Devices,
    bool WoundDown = false)
{
    public static BanEnforcementResult Nothing(string banId) => new(banId, null, null, new Dictionary<string, DeviceEnforcement>());
}

/// <summary>Options of one sweep's enforcement.</summary>
public sealed record EnforcementPolicy(bool OverrideBlastRadius, int MaxNewEnforcementsPerSweep);

/// <summary>The journal's audit for one ban, read as what we did: what we created, which members we added, which devices we synced.</summary>
public sealed class AuditView(IReadOnlyList<Journal.AuditEntry> entries)
{
    public const string CreateGroup = "create-group";
    public const string CreateApp = "create-app";
    public const string AddAssignment = "add-assignment";
    public const string DeleteAssignment = "delete-assignment";
    public const string AddMember = "add-member";
    public const string RemoveMember = "remove-member";
    public const string SyncDevice = "sync-device";

    public IReadOnlyList<Journal.AuditEntry> Entries { get; } = entries;

    public IEnumerable<Journal.AuditEntry> Open => Entries.Where(e => e.Outcome is null);

    public bool Created(string action, string target) =>
        Entries.Any(e => e.Intent.Action == action && string.Equals(e.Intent.Target, target, StringComparison.OrdinalIgnoreCase) && e.Outcome?.Result != "failed");

    /// <summary>Object ids we added to a group and did not remove since.</summary>
    public IReadOnlySet<string> MembersWeAdded(string groupId)
    {
        var members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in Entries.Where(e => e.Outcome?.Result is not ("failed" or "not-applied")))
        {
            if (MemberOf(entry.Intent.Target, groupId) is not { } member)
                continue;
            if (entry.Intent.Action == AddMember)
                members.Add(member);
            // A removal a crash left open may not have happened: the member stays ours, so the next try still removes it.
            else if (entry.Intent.Action == RemoveMember && entry.Outcome is not null)
                members.Remove(member);
        }

        return members;
    }

    /// <summary>True when a sync was already asked of the device after it was last added to the group: asking again is not idempotent.</summary>
    public bool SyncedSinceLastAdd(string deviceId)
    {
        var lastAdd = Entries.LastOrDefault(e => e.Intent.Action == AddMember && e.Intent.DeviceId == deviceId)?.Intent.WriteId;
        return Entries.Any(e => e.Intent.Action == SyncDevice && e.Intent.DeviceId == deviceId &&
            (lastAdd is null || string.CompareOrdinal(e.Intent.WriteId, lastAdd) > 0));
    }

    public static string MemberTarget(string groupId, string objectId) => $"groups/{groupId}/members/{objectId}";

    public static string AssignmentTarget(string appId, string groupId) => $"mobileApps/{appId}/assignments/group/{groupId}";

    public static string AppTarget(CatalogAppKind kind, string identifier) => $"mobileApps/{kind}/{identifier.ToLowerInvariant()}";

    private static string? MemberOf(string target, string groupId)
    {
        var prefix = $"groups/{groupId}/members/";
        return target.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? target[prefix.Length..] : null;
    }
}
