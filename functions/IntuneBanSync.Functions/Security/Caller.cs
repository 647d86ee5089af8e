using Microsoft.AspNetCore.Http;

namespace IntuneBanSync.Functions.Security;

/// <summary>Who called, as App Service Authentication identified them; Roles are the app roles granted.</summary>
public sealed record Caller(string Name, string? ObjectId, IReadOnlySet<string> Roles)
{
    public bool IsIn(string role) => Roles.Contains(role) || Roles.Contains(AppRoles.Admin);
}

/// <summary>Either the caller, allowed, or the result to return instead of running the function.</summary>
public sealed record CallerCheck(Caller? Caller, IResult? Denied)
{
    public bool Allowed => Caller is not null;
}
