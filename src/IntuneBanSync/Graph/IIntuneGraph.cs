namespace IntuneBanSync.Graph;

/// <summary>What the sweep asks of a tenant. Implemented over the real Graph SDK by <see cref="GraphIntune"/>.</summary>
public interface IIntuneGraph
{
    /// <summary>How many independent reads a caller may have in flight at once (the pacing handler keeps them under the limits).</summary>
    int ReadConcurrency => 1;

    /// <summary>How many managed devices a page of <see cref="ManagedDevicesAsync"/> holds when more follow.</summary>
    int DevicePageSize => 1000;

    /// <summary>Every detected app of the tenant, page by page.</summary>
    IAsyncEnumerable<DetectedAppRecord> DetectedAppsAsync(CancellationToken ct);

    /// <summary>The managed devices on which one detected app was seen.</summary>
    IAsyncEnumerable<DeviceRecord> DevicesWithAppAsync(string detectedAppId, CancellationToken ct);

    /// <summary>Every managed device of the tenant, page by page.</summary>
    IAsyncEnumerable<DeviceRecord> ManagedDevicesAsync(CancellationToken ct);

    /// <summary>
    /// The managed devices whose lastSyncDateTime falls in the window, page by page: a slice of <see cref="ManagedDevicesAsync"/> that can
    /// be read beside the others. A service that refuses the filter answers 400, which surfaces as <see cref="GraphReadException"/>.
    /// </summary>
    IAsyncEnumerable<DeviceRecord> ManagedDevicesSyncedAsync(SyncWindow window, CancellationToken ct);

    /// <summary>The managed devices of one user (Entra object id or UPN).</summary>
    IAsyncEnumerable<DeviceRecord> DevicesOfUserAsync(string userIdOrUpn, CancellationToken ct);

    /// <summary>One managed device, or null when the tenant has none with that id.</summary>
    Task<DeviceRecord?> DeviceAsync(string managedDeviceId, CancellationToken ct);

    /// <summary>The apps detected on one device (beta only in Graph).</summary>
    IAsyncEnumerable<DetectedAppRecord> DetectedAppsOfDeviceAsync(string managedDeviceId, CancellationToken ct);

    /// <summary>Users and Entra devices in a group, nested groups included.</summary>
    Task<GroupMembers> TransitiveMembersAsync(string groupId, CancellationToken ct);

    /// <summary>Which of these groups a user is in, nested groups included (checkMemberGroups): one request per 20 groups, whatever the tenant's size.</summary>
    Task<IReadOnlySet<string>> GroupsOfUserAsync(string userId, IReadOnlyCollection<string> groupIds, CancellationToken ct);

    /// <summary>
    /// The department and preferred language of these users, 15 a request (<c>id in (…)</c>) and 20 requests a $batch: only the users a
    /// report needs, never the whole tenant. A user Graph does not answer for is left out; any request that fails throws <see cref="GraphReadException"/>.
    /// </summary>
    Task<IReadOnlyDictionary<string, UserRecord>> UsersAsync(IReadOnlyCollection<string> userIds, CancellationToken ct);

    /// <summary>Which of these groups a managed device's Entra device object is in (none when Entra has no such device).</summary>
    Task<IReadOnlySet<string>> GroupsOfDeviceAsync(string azureAdDeviceId, IReadOnlyCollection<string> groupIds, CancellationToken ct);
}

/// <summary>
/// Devices whose lastSyncDateTime is after <see cref="After"/> and before <see cref="Before"/> (either open): managedDevice documents only
/// <c>gt</c> and <c>lt</c> for it ("Supports $filter operator 'lt' and 'gt'", api-reference/v1.0/resources/intune-devices-manageddevice.md).
/// </summary>
public sealed record SyncWindow(DateTimeOffset? After, DateTimeOffset? Before)
{
    /// <summary>What the service should have answered: a device outside its window means the filter was not applied as sent.</summary>
    public bool Contains(DateTimeOffset? lastSync) => lastSync is { } t && (After is not { } after || t > after) && (Before is not { } before || t < before);

    public override string ToString() => ODataFilter.Between("lastSyncDateTime", After, Before) ?? "all";
}

/// <summary>What a report and a notification need of a user.</summary>
public sealed record UserRecord(string Id, string? Department, string? PreferredLanguage);

public sealed record DetectedAppRecord(string Id, string DisplayName, string? Version, string? Platform);

/// <summary>
/// A managed device as Graph gave it. Its platform and ownership are parsed once, here, from Intune's free text, and travel
/// with it (re-parsed if a copy changes the text); null means unknown, which the planner reports, never drops.
/// </summary>
public sealed record DeviceRecord(
    string Id,
    string? DeviceName,
    string? UserId,
    string? UserPrincipalName,
    string? AzureAdDeviceId,
    string? OperatingSystem,
    string? OwnerType,
    bool IsSupervised,
    DateTimeOffset? LastSyncDateTime)
{
    public string? OperatingSystem
    {
        get;
        init
        {
            field = value;
            Platform = Inventory.DeviceClassification.PlatformOf(value);
        }
    } = OperatingSystem;

    public string? OwnerType
    {
        get;
        init
        {
            field = value;
            Ownership = Inventory.DeviceClassification.OwnershipOf(value);
        }
    } = OwnerType;

    // Initializers store straight into the backing fields, so construction parses here; a copy made with `with` goes through init above.
    public BanList.DevicePlatform? Platform { get; private init; } = Inventory.DeviceClassification.PlatformOf(OperatingSystem);

    public BanList.DeviceOwnership? Ownership { get; private init; } = Inventory.DeviceClassification.OwnershipOf(OwnerType);

    /// <summary>managedDevice.deviceEnrollmentType as Graph sent it ("androidEnterpriseFullyManaged", "appleUserEnrollment", …).</summary>
    public string? EnrollmentType { get; init; }

    /// <summary>managedDevice.managementAgent ("mdm", "configurationManagerClientMdm", …).</summary>
    public string? ManagementAgent { get; init; }
}

/// <summary>Members of a group: user object ids and Entra device ids (the managed device's azureADDeviceId).</summary>
public sealed record GroupMembers(string GroupId, IReadOnlySet<string> UserIds, IReadOnlySet<string> AzureAdDeviceIds);

/// <summary>A read that failed after the SDK's retries: whatever it would have shown is unknown, never empty.</summary>
public sealed class GraphReadException(string what, Exception inner)
    : Exception($"Could not read {what}: {Describe(inner)}", inner)
{
    public string What { get; } = what;

    /// <summary>The HTTP status Graph answered the last attempt with, when it answered.</summary>
    public int? Status { get; } = StatusOf(inner);

    /// <summary>Graph refused the app (403): a permission is missing, which retrying will not change.</summary>
    public bool Forbidden => Status == 403;

    internal static int? StatusOf(Exception e) => e switch
    {
        Microsoft.Kiota.Abstractions.ApiException api => api.ResponseStatusCode,
        AggregateException { InnerExceptions: [.., var last] } => StatusOf(last),
        HttpRequestException { StatusCode: { } status } => (int)status,
        _ => null,
    };

    private static string Describe(Exception e) => e switch
    {
        AggregateException { InnerExceptions: [.., var last] } aggregate => $"gave up after {aggregate.InnerExceptions.Count} attempts ({Describe(last)})",
        Microsoft.Kiota.Abstractions.ApiException api => $"HTTP {api.ResponseStatusCode}",
        TaskCanceledException => "timed out",
        _ => e.Message,
    };
}
