namespace IntuneBanSync.Enforcement.Groups;

/// <summary>
/// The security groups IntuneBanSync keeps (a ban's uninstall group, its exemption group) and their members.
/// Reads that fail throw <see cref="Graph.GraphReadException"/>; writes that the service refuses throw <see cref="GraphWriteException"/>.
/// </summary>
public interface IGroupGraph
{
    /// <summary>The id of the security group with exactly this display name, or null.</summary>
    Task<string?> FindGroupByNameAsync(string displayName, CancellationToken ct);

    /// <summary>Creates an assigned-membership security group (not mail-enabled).</summary>
    Task<string> CreateSecurityGroupAsync(string displayName, string description, CancellationToken ct);

    /// <summary>Direct members' object ids (our group has only device members).</summary>
    Task<IReadOnlySet<string>> DirectMemberIdsAsync(string groupId, CancellationToken ct);

    /// <summary>
    /// Adds directory objects in PATCH requests of ≤ 20 (members@odata.bind). When Graph refuses a PATCH (one bad entry adds none),
    /// each of its objects is added alone with $ref. "Already a member" counts as done. A 404 from a group that is itself not found
    /// (one created a moment ago, not yet replicated) is <see cref="MemberOutcome.GroupNotFound"/> for every object, never a missing
    /// member. One result per object id.
    /// </summary>
    Task<IReadOnlyDictionary<string, MemberChange>> AddMembersAsync(string groupId, IReadOnlyList<string> objectIds, CancellationToken ct);

    /// <summary>Removes one member with DELETE $ref; <see cref="MemberChange.AlreadyDone"/> when it was not a member.</summary>
    Task<MemberChange> RemoveMemberAsync(string groupId, string objectId, CancellationToken ct);

    /// <summary>The Entra device object ids of managed devices' azureADDeviceIds (by azureADDeviceId); a device Entra has none for is left out.</summary>
    Task<IReadOnlyDictionary<string, string>> EntraDeviceObjectIdsAsync(IReadOnlyCollection<string> azureAdDeviceIds, CancellationToken ct);
}

/// <summary><see cref="NotFound"/>: the member object does not exist; <see cref="GroupNotFound"/>: the group does not (yet) answer.</summary>
public enum MemberOutcome { Done, AlreadyDone, NotFound, Failed, GroupNotFound }

public sealed record MemberChange(MemberOutcome Outcome, string? Detail = null)
{
    public static MemberChange Done { get; } = new(MemberOutcome.Done);

    public static MemberChange AlreadyDone { get; } = new(MemberOutcome.AlreadyDone);
}
