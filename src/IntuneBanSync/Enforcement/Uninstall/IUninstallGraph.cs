using IntuneBanSync.Enforcement.Groups;

namespace IntuneBanSync.Enforcement.Uninstall;

/// <summary>
/// What the uninstall assignment reads and writes in a tenant: the catalog app, its assignments, our uninstall group and its
/// members, device check-in. Implemented over the real Graph SDK by <see cref="GraphUninstall"/>.
/// Reads that fail throw <see cref="Graph.GraphReadException"/>; writes that the service refuses throw <see cref="GraphWriteException"/>.
/// </summary>
public interface IUninstallGraph : IGroupGraph
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
