namespace IntuneBanSync.Functions.Security;

/// <summary>The app roles defined in the app registration and granted to users, groups or applications.</summary>
public static class AppRoles
{
    /// <summary>Sweeps and device status.</summary>
    public const string Helpdesk = "IntuneBanSync.Helpdesk";

    /// <summary>Everything; implies <see cref="Helpdesk"/>.</summary>
    public const string Admin = "IntuneBanSync.Admin";

    public static bool IsKnown(string role) => role is Helpdesk or Admin;
}
