using System.ComponentModel.DataAnnotations;

namespace IntuneBanSync.Graph;

public sealed record GraphOptions
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

    /// <summary>Covers a request and all its retries.</summary>
    [Range(10, 3600)]
    public int TimeoutSeconds { get; set; } = 600;

    /// <summary>Page size asked of managedDevices (Intune serves at most 1000).</summary>
    [Range(1, 1000)]
    public int DevicePageSize { get; set; } = 1000;
}
