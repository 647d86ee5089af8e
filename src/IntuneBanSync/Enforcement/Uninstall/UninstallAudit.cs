namespace IntuneBanSync.Enforcement.Uninstall;

/// <summary>The uninstall assignment's audit read as what it did: which members it added to which group, which devices it synced.</summary>
public sealed class UninstallAudit(AuditView audit)
{
    public IReadOnlyList<AuditEntry> Entries => audit.Entries;

    /// <summary>Object ids we added to a group and did not remove since.</summary>
    public IReadOnlySet<string> MembersWeAdded(string groupId)
    {
        var members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in Entries.Where(e => e.Outcome?.Result is not (WriteResult.Failed or WriteResult.NotApplied)))
        {
            if (MemberOf(entry.Intent.Target, groupId) is not { } member)
                continue;
            if (entry.Intent.Action == UninstallAssignment.AddMember)
                members.Add(member);
            // A removal a crash left open may not have happened: the member stays ours, so the next try still removes it.
            else if (entry.Intent.Action == UninstallAssignment.RemoveMember && entry.Outcome is not null)
                members.Remove(member);
        }

        return members;
    }

    /// <summary>The group our member writes went to, or the one we created: a wind-down finds it even when the ban left the list.</summary>
    public string? GroupWeUsed() =>
        Entries.Where(e => e.Intent.Action == UninstallAssignment.AddMember).Select(e => GroupOf(e.Intent.Target)).LastOrDefault(g => g is not null)
        ?? Entries.LastOrDefault(e => e.Intent.Action == UninstallAssignment.CreateGroup && e.Outcome?.Result == WriteResult.Done)?.Outcome?.Detail;

    /// <summary>The managed device we added as this member, as the last add says.</summary>
    public string? DeviceAddedAs(string groupId, string objectId) =>
        Entries.LastOrDefault(e => e.Intent.Action == UninstallAssignment.AddMember && string.Equals(e.Intent.Target, MemberTarget(groupId, objectId), StringComparison.OrdinalIgnoreCase))
            ?.Intent.DeviceId;

    public bool Added(string deviceId) =>
        audit.OfDevice(deviceId).Any(e => e.Intent.Action == UninstallAssignment.AddMember);

    /// <summary>True when a sync was already asked of the device after it was last added to the group: asking again is not idempotent.</summary>
    public bool SyncedSinceLastAdd(string deviceId)
    {
        var ofDevice = audit.OfDevice(deviceId).ToList();
        var lastAdd = ofDevice.LastOrDefault(e => e.Intent.Action == UninstallAssignment.AddMember)?.Intent.WriteId;
        return ofDevice.Any(e => e.Intent.Action == UninstallAssignment.SyncDevice && (lastAdd is null || string.CompareOrdinal(e.Intent.WriteId, lastAdd) > 0));
    }

    /// <summary>Our last approval of a package in managed Google Play that was not refused, if any.</summary>
    public WriteIntent? ApprovalOf(string packageId) =>
        Entries.LastOrDefault(e => e.Intent.Action == UninstallAssignment.ApproveApp && Sent(e)
            && string.Equals(e.Intent.Target, ApprovalTarget(packageId), StringComparison.OrdinalIgnoreCase))?.Intent;

    public static string ApprovalTarget(string packageId) => $"androidManagedStoreAccountEnterpriseSettings/approveApps/{packageId}";

    public static string? PackageOf(string approvalTarget)
    {
        const string Prefix = "androidManagedStoreAccountEnterpriseSettings/approveApps/";
        return approvalTarget.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? approvalTarget[Prefix.Length..] : null;
    }

    public const string SyncTarget = "androidManagedStoreAccountEnterpriseSettings/syncApps";

    // Open, or reconciled as unknown, counts as sent: approving again would repeat a write the tenant may already have.
    private static bool Sent(AuditEntry entry) => entry.Outcome?.Result is not (WriteResult.Failed or WriteResult.NotApplied);

    public static string MemberTarget(string groupId, string objectId) => $"groups/{groupId}/members/{objectId}";

    public static string? MemberOf(string target, string groupId)
    {
        var prefix = $"groups/{groupId}/members/";
        return target.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? target[prefix.Length..] : null;
    }

    private static string? GroupOf(string target) =>
        target.Split('/') is ["groups", var group, "members", _] ? group : null;
}
