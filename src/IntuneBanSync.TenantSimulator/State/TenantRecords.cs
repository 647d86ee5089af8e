namespace IntuneBanSync.TenantSimulator;

public sealed record User(string Id, string UserPrincipalName, string DisplayName, string? Department = null, string? PreferredLanguage = null);

/// <summary>
/// A security group; <see cref="MemberIds"/> holds direct members: users, Entra devices and groups. <see cref="CreatedDateTime"/> is
/// set for groups created through Graph (Entra replicates those for a while; seeded groups are long replicated).
/// </summary>
public sealed record Group(string Id, string DisplayName, IReadOnlyList<string> MemberIds, DateTimeOffset? CreatedDateTime = null);

/// <summary>An Entra device object: <see cref="Id"/> is the object id, <see cref="DeviceId"/> the azureADDeviceId.</summary>
public sealed record EntraDevice(string Id, string DeviceId, string DisplayName);

public enum AppSource
{
    Managed,
    User,
}

/// <summary>An app on a device; <see cref="Identifier"/> is the bundle id, package id or store id when known.</summary>
public sealed record InstalledApp(string DisplayName, string Version, AppSource Source, string? Identifier);

public sealed record ManagedDevice(
    string Id,
    string DeviceName,
    string? UserId,
    string? UserPrincipalName,
    string AzureAdDeviceId,
    string OperatingSystem,
    string OsVersion,
    string Ownership,
    bool IsSupervised,
    DateTimeOffset LastSyncDateTime,
    string ComplianceState,
    IReadOnlyList<InstalledApp> InstalledApps,
    string EnrollmentType = "userEnrollment",
    string ManagementAgent = "mdm",
    AndroidMode? AndroidMode = null,
    IReadOnlyList<string>? BlockedAppIdentifiers = null);

/// <summary>How an Android device is managed; it decides which profile Intune inventories and which routes reach it.</summary>
public enum AndroidMode
{
    FullyManaged,
    Dedicated,
    /// <summary>Company-owned with a work profile (COPE): a personal profile Intune does not see.</summary>
    CorporateWorkProfile,
    PersonalWorkProfile,
    /// <summary>Legacy device administrator (unsupported on GMS devices since 31 December 2024).</summary>
    DeviceAdministrator,
}

/// <summary>
/// A catalog app. <see cref="ODataType"/> is e.g. "iosStoreApp", "androidStoreApp", "winGetApp". Until <see cref="ProcessingUntil"/>
/// its publishingState is "processing" and it takes no assignment.
/// </summary>
public sealed record MobileApp(
    string Id,
    string ODataType,
    string DisplayName,
    string Publisher,
    string? BundleId,
    string? PackageId,
    string? PackageIdentifier,
    string? AppStoreUrl,
    DateTimeOffset CreatedDateTime,
    IReadOnlyList<AppAssignment> Assignments,
    DateTimeOffset? ProcessingUntil = null)
{
    public bool IsPublishedAt(DateTimeOffset now) => ProcessingUntil is not { } until || now >= until;

    /// <summary>The identifier that ties this catalog app to installed apps on its platform.</summary>
    public string? Identifier => BundleId ?? PackageId ?? PackageIdentifier;
}

/// <summary>An app assignment to a group; <see cref="Excluded"/> when the group is excluded from the intent (exclusionGroupAssignmentTarget).</summary>
public sealed record AppAssignment(string Id, string Intent, string GroupId, bool Excluded = false);

public sealed record CheckInResult(string ManagedDeviceId, IReadOnlyList<InstalledApp> RemovedApps);
