using IntuneBanSync.Functions.Composition;
using IntuneBanSync.Functions.Security;

namespace IntuneBanSync.Functions.Api;

/// <summary>
/// What every HTTP function checks first, and only here: who calls (401), whether they hold the role at all (403), which tenant
/// they ask about (?tenant=, else the default; 400 when it is not one of ours), and whether the role reaches that tenant (403).
/// </summary>
public sealed class ApiRequest(CallerAuthorization authorization, TenantSweeps tenants)
{
    public ApiCheck Check(HttpRequest request, string role)
    {
        var caller = authorization.Check(request, role);
        if (!caller.Allowed)
            return ApiCheck.Deny(caller.Denied!);

        var asked = request.Query["tenant"].FirstOrDefault() ?? tenants.Default;
        if (tenants.Scope(asked) is not { } scope)
            return ApiCheck.Deny(Invalid("tenant", $"'{Reports.PlainText.Strip(asked)}' is not a tenant of this deployment ({string.Join(", ", tenants.Names)})."));

        var allowed = CallerAuthorization.Authorize(caller.Caller!, role, scope);
        return allowed.Allowed ? new ApiCheck(caller.Caller, scope, null) : ApiCheck.Deny(allowed.Denied!);
    }

    /// <summary>
    /// Any principal App Service Authentication signed in, with no app role (the self-attestation page, where each user sees and
    /// confirms only their own devices), and the tenant asked for; or why not: not signed in (401) or not a tenant of ours (400).
    /// </summary>
    public SignedInCheck SignedIn(HttpRequest request)
    {
        var identified = authorization.Identify(request);
        if (!identified.Allowed)
            return new SignedInCheck(null, null, SignedInFailure.NotSignedIn);

        var asked = request.Query["tenant"].FirstOrDefault() ?? tenants.Default;
        return tenants.Find(asked) is { } tenant
            ? new SignedInCheck(identified.Caller, tenant, null)
            : new SignedInCheck(identified.Caller, null, SignedInFailure.UnknownTenant);
    }

    /// <summary>A further role a request turns out to need (an enforcing sweep asks for Admin), on the tenant already checked.</summary>
    public static ApiCheck Require(ApiCheck check, string role)
    {
        if (!check.Allowed)
            return check;
        var allowed = CallerAuthorization.Authorize(check.Caller!, role, check.Scope!);
        return allowed.Allowed ? check : ApiCheck.Deny(allowed.Denied!);
    }

    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Either the caller and the tenant (canonical name) to act for, or the answer to return at once.</summary>
public sealed record ApiCheck(Caller? Caller, TenantScope? Scope, IResult? Denied)
{
    public bool Allowed => Caller is not null;

    public string? Tenant => Scope?.Tenant;

    internal static ApiCheck Deny(IResult answer) => new(null, null, answer);
}

public enum SignedInFailure { NotSignedIn, UnknownTenant }

/// <summary>The signed-in caller and the tenant (canonical name), or why the request cannot go on.</summary>
public sealed record SignedInCheck(Caller? Caller, string? Tenant, SignedInFailure? Failure);
