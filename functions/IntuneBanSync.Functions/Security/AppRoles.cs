namespace IntuneBanSync.Functions.Security;

/// <summary>
/// The app roles defined in the app registration and granted to users, groups or applications. Each role exists deployment-wide
/// (<see cref="Helpdesk"/>, <see cref="Admin"/>) and for one tenant (<c>IntuneBanSync.Helpdesk.federal</c>, <c>IntuneBanSync.Admin.federal</c>):
/// a tenant-named role acts on that tenant only; a deployment-wide role acts on the tenants that allow it (<see cref="TenantScope"/>).
/// </summary>
public static class AppRoles
{
    /// <summary>Sweeps and device status.</summary>
    public const string Helpdesk = "IntuneBanSync.Helpdesk";

    /// <summary>Everything; implies <see cref="Helpdesk"/>.</summary>
    public const string Admin = "IntuneBanSync.Admin";

    public static bool IsKnown(string role) => role is Helpdesk or Admin;

    /// <summary>The role's value for one tenant, e.g. IntuneBanSync.Admin.federal.</summary>
    public static string ForTenant(string role, string tenant) => $"{role}.{TenantName.Canonical(tenant)}";

    /// <summary>Whether <paramref name="value"/>, a role claim, is <paramref name="role"/> named for <paramref name="tenant"/>; the tenant part in any case.</summary>
    public static bool IsForTenant(string value, string role, string tenant) =>
        value.Length > role.Length + 1
        && value.StartsWith(role, StringComparison.Ordinal)
        && value[role.Length] == '.'
        && TenantName.Same(value[(role.Length + 1)..], tenant);
}

/// <summary>The tenant a call acts on, and whether the deployment-wide roles reach it (IntuneBanSync__Tenants__N__AllowDeploymentRoles).</summary>
public sealed record TenantScope(string Tenant, bool AllowsDeploymentRoles)
{
    /// <summary>Every role value that grants <paramref name="role"/> here; Admin grants every role.</summary>
    public IReadOnlyList<string> Granting(string role)
    {
        var roles = role == AppRoles.Admin ? [AppRoles.Admin] : new[] { role, AppRoles.Admin };
        var values = roles.Select(r => AppRoles.ForTenant(r, Tenant)).ToList();
        if (AllowsDeploymentRoles)
            values.AddRange(roles);
        return values;
    }
}
