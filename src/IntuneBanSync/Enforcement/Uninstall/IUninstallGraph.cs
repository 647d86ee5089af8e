namespace IntuneBanSync.Enforcement.Uninstall;

/// <summary>
/// What the uninstall assignment reads and writes in a tenant: the catalog app, its assignments, our uninstall group and its
/// members, device check-in. Implemented over the real Graph SDK by <see cref="GraphUninstall"/>.
/// Reads that fail throw <see cref="Graph.GraphReadException"/>; writes that the service refuses throw <see cref="GraphWriteException"/>.
/// </summary>
public interface IUninstallGraph
{
    /// <summary>Catalog apps of one type (isof filter), with their store identifier.</summary>
    Task<IReadOnlyList<CatalogApp>> CatalogAppsAsync(CatalogAppKind kind, CancellationToken ct);

    /// <summary>Creates a store app: iosStoreApp (bundleId), androidStoreApp (from the Play URL), winGetApp (beta). Others throw NotSupportedException.</summary>
    Task<CatalogApp> CreateCatalogAppAsync(CatalogAppKind kind, string displayName, string identifier, CancellationToken ct);

    Task<IReadOnlyList<AppAssignmentInfo>> AssignmentsAsync(string appId, CancellationToken ct);

    /// <summary>Adds one assignment with POST …/assignments; every other assignment of the app survives.</summary>
    Task<AppAssignmentInfo> AddGroupAssignmentAsync(string appId, string groupId, string intent, CancellationToken ct);

    /// <summary>Deletes one assignment; false when it was already gone.</summary>
    Task<bool> DeleteAssignmentAsync(string appId, string assignmentId, CancellationToken ct);

    /// <summary>The id of the security group with exactly this display name, or null.</summary>
    Task<string?> FindGroupByNameAsync(string displayName, CancellationToken ct);

    /// <summary>Creates an assigned-membership security group (not mail-enabled).</summary>
    Task<string> CreateSecurityGroupAsync(string displayName, string description, CancellationToken ct);

    /// <summary>Direct members' object ids (our group has only device members).</summary>
    Task<IReadOnlySet<string>> DirectMemberIdsAsync(string groupId, CancellationToken ct);

    /// <summary>
    /// Adds directory objects in PATCH requests of ≤ 20 (members@odata.bind). When Graph refuses a PATCH (one bad entry adds none),
    /// each of its objects is added alone with $ref. "Already a member" counts as done. One result per object id.
    /// </summary>
    Task<IReadOnlyDictionary<string, MemberChange>> AddMembersAsync(string groupId, IReadOnlyList<string> objectIds, CancellationToken ct);

    /// <summary>Removes one member with DELETE $ref; <see cref="MemberChange.AlreadyDone"/> when it was not a member.</summary>
    Task<MemberChange> RemoveMemberAsync(string groupId, string objectId, CancellationToken ct);

    /// <summary>The Entra device object id for a managed device's azureADDeviceId, or null when Entra has none.</summary>
    Task<string?> EntraDeviceObjectIdAsync(string azureAdDeviceId, CancellationToken ct);

    /// <summary>Asks the device to check in (POST syncDevice).</summary>
    Task SyncDeviceAsync(string managedDeviceId, CancellationToken ct);
}

public enum CatalogAppKind { IosStoreApp, AndroidStoreApp, AndroidManagedStoreApp, WinGetApp }

public sealed record CatalogApp(string Id, CatalogAppKind Kind, string DisplayName, string? Identifier);

/// <summary>
/// An app assignment. <paramref name="GroupId"/> is null for targets that are not a group (all devices, all users);
/// <paramref name="Excludes"/> is true when the group is excluded from the intent rather than given it.
/// </summary>
public sealed record AppAssignmentInfo(string Id, string Intent, string? GroupId, bool Excludes = false);

public enum MemberOutcome { Done, AlreadyDone, NotFound, Failed }

public sealed record MemberChange(MemberOutcome Outcome, string? Detail = null)
{
    public static MemberChange Done { get; } = new(MemberOutcome.Done);

    public static MemberChange AlreadyDone { get; } = new(MemberOutcome.AlreadyDone);
}
