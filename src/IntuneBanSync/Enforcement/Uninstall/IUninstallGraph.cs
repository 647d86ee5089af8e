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

    /// <summary>Asks devices to check in (POST syncDevice), 20 to a $batch; one answer per key.</summary>
    Task<IReadOnlyDictionary<string, ActionAnswer>> SyncDevicesAsync(IReadOnlyList<(string Key, string ManagedDeviceId)> devices, CancellationToken ct);

    /// <summary>The tenant's managed Google Play binding and its last app sync (beta androidManagedStoreAccountEnterpriseSettings).</summary>
    Task<ManagedPlaySettings> ManagedPlayAsync(CancellationToken ct);

    /// <summary>Approves one package in managed Google Play (approveApps). Approval assigns nothing: the app is installable by no one.</summary>
    Task ApproveManagedPlayAppAsync(string packageId, CancellationToken ct);

    /// <summary>Asks Intune to bring the approved managed Google Play apps into its catalog (syncApps); they appear a while later.</summary>
    Task SyncManagedPlayAppsAsync(CancellationToken ct);
}

public enum CatalogAppKind { IosStoreApp, AndroidStoreApp, AndroidManagedStoreApp, WinGetApp }

/// <param name="Published">False while Intune still processes a new app (publishingState "processing"): it takes no assignment yet.</param>
public sealed record CatalogApp(string Id, CatalogAppKind Kind, string DisplayName, string? Identifier, bool Published = true);

/// <summary>androidManagedStoreAccountBindStatus; <see cref="Unknown"/> for a value newer than this code.</summary>
/// <summary>The binding's state; Forbidden when Graph refused to read it (the optional permission is not granted).</summary>
public enum ManagedPlayBinding { NotBound, Bound, BoundAndValidated, Unbinding, Unknown, Forbidden }

/// <param name="LastAppSync">When Intune last synced the approved apps, if ever.</param>
public sealed record ManagedPlaySettings(ManagedPlayBinding Binding, DateTimeOffset? LastAppSync)
{
    public bool IsBound => Binding is ManagedPlayBinding.Bound or ManagedPlayBinding.BoundAndValidated;
}

/// <summary>
/// An app assignment. <paramref name="GroupId"/> is null for targets that are not a group (all devices, all users);
/// <paramref name="Excludes"/> is true when the group is excluded from the intent rather than given it.
/// </summary>
public sealed record AppAssignmentInfo(string Id, string Intent, string? GroupId, bool Excludes = false);
