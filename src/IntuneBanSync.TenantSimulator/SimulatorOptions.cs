namespace IntuneBanSync.TenantSimulator;

/// <summary>How the simulated tenant pages, throttles and keeps time.</summary>
public sealed record SimulatorOptions
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The clock of the throttling windows; apart from the tenant's, so a test that freezes the tenant's time does not freeze its throttling.</summary>
    public TimeProvider ThrottleClock { get; init; } = TimeProvider.System;

    /// <summary>Scales the 20 s throttling window and its Retry-After, so tests need not wait real seconds.</summary>
    public double TimeFactor { get; init; } = 1.0;

    public int ManagedDevicesPageSize { get; init; } = 100;
    public int MaxTop { get; init; } = 1000;
    public int DetectedAppsPageSize { get; init; } = 50;
    public int AppDevicesPageSize { get; init; } = 50;
    public int MembersPageSize { get; init; } = 100;

    public ThrottleLimit DevicesLimit { get; init; } = new(2000, 200);
    public ThrottleLimit AppsLimit { get; init; } = new(1000, 100);
    public ThrottleLimit DirectoryLimit { get; init; } = new(3000, 300);

    public int FaultSeed { get; init; } = 7;

    /// <summary>
    /// How managedDevices answers a $filter on lastSyncDateTime: as documented (gt and lt, joined by and), refused with 400, or
    /// ignored, every device answered as if no filter were sent (powershell-intune-samples #11: "This query parameter is simply
    /// ignored and you always get all the devices"). A client must survive the last two as well as the first.
    /// </summary>
    public FilterSupport LastSyncFilter { get; init; } = FilterSupport.Honoured;

    /// <summary>Every request needs a bearer token holding the route's documented permissions (401 without, 403 short of them).</summary>
    public bool RequirePermissions { get; init; } = true;

    /// <summary>Wall time every Graph response waits, as a real service's round trip does (100–300 ms); zero by default.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>Further wall time per item a response returns (a page of 1,000 devices takes longer than one of 10).</summary>
    public TimeSpan LatencyPerItem { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How long a new winGetApp stays publishingState "processing", refusing assignments, before it is "published": a real tenant
    /// takes seconds to minutes (CIPP #2475, IntuneManagement #323). Scaled by TimeFactor, on the tenant's clock; zero publishes at once.
    /// </summary>
    public TimeSpan WinGetPublishing { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How long after syncApps an approved managed Google Play app appears in the catalog as an androidManagedStoreApp. Scaled by
    /// TimeFactor, on the tenant's clock; zero lists it at once.
    /// </summary>
    public TimeSpan ManagedPlaySync { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How long a group created a moment ago answers 404 to GET, PATCH and members/$ref while Entra replicates it
    /// (msgraph-sdk-java #2575, terraform-provider-azuread #283). Scaled by TimeFactor, on the tenant's clock; zero replicates at once.
    /// </summary>
    public TimeSpan GroupReplication { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How long a report export job takes to generate: notStarted for its first quarter, inProgress for the rest, then completed. Intune
    /// takes from seconds to many minutes for a large tenant's discovered apps. Scaled by TimeFactor, on the tenant's clock.
    /// </summary>
    public TimeSpan ExportJobGeneration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The tenant's managed Google Play binding, as androidManagedStoreAccountEnterpriseSettings.bindStatus reports it.</summary>
    public ManagedPlayBinding ManagedPlayBinding { get; init; } = ManagedPlayBinding.Bound;

    internal TimeSpan ThrottleWindow => TimeSpan.FromSeconds(20 * TimeFactor);

    internal TimeSpan Scaled(TimeSpan duration) => TimeSpan.FromTicks((long)(duration.Ticks * TimeFactor));
}

/// <summary>androidManagedStoreAccountBindStatus: only a bound tenant can approve and sync managed Google Play apps.</summary>
public enum ManagedPlayBinding
{
    NotBound,
    Bound,
    BoundAndValidated,
    Unbinding,
}

/// <summary>Requests, and writes among them, allowed per throttling window.</summary>
public sealed record ThrottleLimit(int Requests, int Writes);

/// <summary>How a route answers a $filter it documents: applied, refused (400, Graph's error shape) or silently ignored.</summary>
public enum FilterSupport { Honoured, Refused, Ignored }
