namespace IntuneBanSync.Functions.Security;

/// <summary>Who called, as App Service Authentication identified them; Roles are the app role values granted.</summary>
public sealed record Caller(string Name, string? ObjectId, IReadOnlySet<string> Roles)
{
    /// <summary>Whether the caller holds <paramref name="role"/> (or Admin) deployment-wide.</summary>
    public bool IsIn(string role) => Roles.Contains(role) || Roles.Contains(AppRoles.Admin);

    /// <summary>Whether the caller holds <paramref name="role"/> (or Admin) on the tenant: named for it, or deployment-wide where the tenant allows that.</summary>
    public bool Holds(string role, TenantScope scope) =>
        (scope.AllowsDeploymentRoles && IsIn(role))
        || Roles.Any(value => AppRoles.IsForTenant(value, role, scope.Tenant) || AppRoles.IsForTenant(value, AppRoles.Admin, scope.Tenant));

    /// <summary>Whether the caller holds <paramref name="role"/> (or Admin) anywhere: deployment-wide or for some tenant.</summary>
    public bool HoldsAnywhere(string role) =>
        IsIn(role) || Roles.Any(value => value.StartsWith(role + ".", StringComparison.Ordinal) || value.StartsWith(AppRoles.Admin + ".", StringComparison.Ordinal));
}

/// <summary>Either the caller, allowed, or the result to return instead of running the function.</summary>
public sealed record CallerCheck(Caller? Caller, IResult? Denied)
{
    public bool Allowed => Caller is not null;
}
