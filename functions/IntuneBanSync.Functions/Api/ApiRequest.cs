using IntuneBanSync.Functions.Composition;
using IntuneBanSync.Functions.Security;
using Microsoft.AspNetCore.Http;

namespace IntuneBanSync.Functions.Api;

/// <summary>What every HTTP function checks first: the caller's role, then which tenant it asks about (?tenant=, else the default).</summary>
public sealed class ApiRequest(CallerAuthorization authorization, TenantSweeps tenants)
{
    public ApiCheck Check(HttpRequest request, string role)
    {
        var caller = authorization.Check(request, role);
        if (!caller.Allowed)
            return new ApiCheck(null, null, caller.Denied);
        var tenant = request.Query["tenant"].FirstOrDefault() ?? tenants.Default;
        return tenants.Exists(tenant)
            ? new ApiCheck(caller.Caller, tenant, null)
            : new ApiCheck(null, null, Invalid("tenant", $"'{tenant}' is not a tenant of this deployment ({string.Join(", ", tenants.Names)})."));
    }

    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Either the caller and tenant to act for, or the answer to return at once.</summary>
public sealed record ApiCheck(Caller? Caller, string? Tenant, IResult? Denied)
{
    public bool Allowed => Caller is not null;
}
