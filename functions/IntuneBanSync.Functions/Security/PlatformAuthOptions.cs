namespace IntuneBanSync.Functions.Security;

/// <summary>What App Service says about its own authentication, read from the app setting it sets.</summary>
public sealed class PlatformAuthOptions
{
    public const string Setting = "WEBSITE_AUTH_ENABLED";

    /// <summary>"True" when App Service Authentication is on; set by the platform, not by us.</summary>
    public string? WEBSITE_AUTH_ENABLED { get; set; }

    public bool Enabled => bool.TryParse(WEBSITE_AUTH_ENABLED, out var enabled) && enabled;
}
