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

    /// <summary>Every request needs a bearer token holding the route's documented permissions (401 without, 403 short of them).</summary>
    public bool RequirePermissions { get; init; } = true;

    /// <summary>Wall time every Graph response waits, as a real service's round trip does (100–300 ms); zero by default.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>Further wall time per item a response returns (a page of 1,000 devices takes longer than one of 10).</summary>
    public TimeSpan LatencyPerItem { get; init; } = TimeSpan.Zero;

    internal TimeSpan ThrottleWindow => TimeSpan.FromSeconds(20 * TimeFactor);
}

/// <summary>Requests, and writes among them, allowed per throttling window.</summary>
public sealed record ThrottleLimit(int Requests, int Writes);
