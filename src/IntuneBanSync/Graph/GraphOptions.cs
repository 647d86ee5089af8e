using System.ComponentModel.DataAnnotations;

namespace IntuneBanSync.Graph;

/// <summary>How we call Graph. A record, so a caller copies it with <c>with { ... }</c> and no setting is lost.</summary>
public sealed record GraphOptions : IValidatableObject
{
    public const string Section = "IntuneBanSync:Graph";
    public const string PublicCloud = "https://graph.microsoft.com/v1.0";

    /// <summary>Graph v1.0 base URL. A loopback URL (the simulator) is called without a credential.</summary>
    [Required, Url]
    public string BaseUrl { get; set; } = PublicCloud;

    /// <summary>Retries of a throttled (429) or unavailable (503/504) request; the SDK's 3 are too few for a long sweep.</summary>
    [Range(0, 10)]
    public int MaxRetry { get; set; } = 10;

    /// <summary>Base back-off in seconds when Graph omits Retry-After.</summary>
    [Range(0, 180)]
    public int RetryDelaySeconds { get; set; } = 3;

    /// <summary>One attempt, headers and body: a read with no answer in time is tried again (within TimeoutSeconds), a write fails.</summary>
    [Range(5, 600)]
    public int RequestTimeoutSeconds { get; set; } = 100;

    /// <summary>Covers a request and all its retries.</summary>
    [Range(10, 3600)]
    public int TimeoutSeconds { get; set; } = 300;

    /// <summary>Page size asked of managedDevices (Intune serves at most 1000).</summary>
    [Range(1, 1000)]
    public int DevicePageSize { get; set; } = 1000;

    /// <summary>
    /// Independent reads in flight at once (the devices of each matched app, group members, Entra lookups, $batch envelopes, the
    /// device listing's slices). Eight, not four: at 100 ms a request, the 110 app-device pages of a 100,000-device tenant were
    /// the report's critical path (the benchmark: wall 0.39 → 0.33 of the sequential cost), far inside the devices bucket's 2,000 per 20 s.
    /// </summary>
    [Range(1, 16)]
    public int ReadConcurrency { get; set; } = 8;

    /// <summary>
    /// Requests are paced per Intune service bucket so a sweep stays under the limits instead of collecting 429s. Off, only
    /// Retry-After paces (the SDK's retry handler).
    /// </summary>
    public bool Pacing { get; set; } = true;

    /// <summary>The throttling window the limits below count over: 20 s in Intune (throttling-intune-devices.md). Shorter only against a simulator with a time factor.</summary>
    [Range(0.01, 600)]
    public double PacingWindowSeconds { get; set; } = 20;

    /// <summary>Intune devices bucket (managedDevice, detectedApp, deviceHealthScript, …), per app per tenant: 2000 requests per 20 s.</summary>
    [Range(1, 100_000)]
    public int IntuneDevicesRequestsPerWindow { get; set; } = 2000;

    /// <summary>Of those, POST/PUT/PATCH/DELETE: 200 per 20 s.</summary>
    [Range(1, 100_000)]
    public int IntuneDevicesWritesPerWindow { get; set; } = 200;

    /// <summary>Intune apps bucket (deviceAppManagement), per app per tenant: 1000 requests per 20 s.</summary>
    [Range(1, 100_000)]
    public int IntuneAppsRequestsPerWindow { get; set; } = 1000;

    /// <summary>Of those, writes: 100 per 20 s.</summary>
    [Range(1, 100_000)]
    public int IntuneAppsWritesPerWindow { get; set; } = 100;

    /// <summary>Entra ID (users, groups, devices, directoryObjects). Entra counts resource units, not requests; this pace is a conservative stand-in.</summary>
    [Range(1, 100_000)]
    public int DirectoryRequestsPerWindow { get; set; } = 3000;

    /// <summary>Of those, writes.</summary>
    [Range(1, 100_000)]
    public int DirectoryWritesPerWindow { get; set; } = 300;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IntuneDevicesWritesPerWindow > IntuneDevicesRequestsPerWindow)
            yield return new ValidationResult($"{nameof(IntuneDevicesWritesPerWindow)} cannot exceed {nameof(IntuneDevicesRequestsPerWindow)}.", [nameof(IntuneDevicesWritesPerWindow)]);
        if (IntuneAppsWritesPerWindow > IntuneAppsRequestsPerWindow)
            yield return new ValidationResult($"{nameof(IntuneAppsWritesPerWindow)} cannot exceed {nameof(IntuneAppsRequestsPerWindow)}.", [nameof(IntuneAppsWritesPerWindow)]);
        if (DirectoryWritesPerWindow > DirectoryRequestsPerWindow)
            yield return new ValidationResult($"{nameof(DirectoryWritesPerWindow)} cannot exceed {nameof(DirectoryRequestsPerWindow)}.", [nameof(DirectoryWritesPerWindow)]);
    }
}
