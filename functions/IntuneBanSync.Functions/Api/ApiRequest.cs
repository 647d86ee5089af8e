using System.Diagnostics.CodeAnalysis;
using IntuneBanSync.Functions.Composition;
using IntuneBanSync.Functions.Security;

namespace IntuneBanSync.Functions.Api;

/// <summary>
/// What every HTTP function checks first, and only here: who calls (401), whether they hold the role at all (403), which tenant
/// they ask about (?tenant=, else the default; 400 when it is not one of ours), and whether the role reaches that tenant (403).
/// </summary>
public sealed class ApiRequest(CallerAuthorization authorization, TenantSweeps tenants)
{
    /// <summary>Whether the request may go on: the caller and the tenant to act for, or the answer to return at once.</summary>
    public bool Allows(HttpRequest request, string role, [NotNullWhen(true)] out ApiCall? call, [NotNullWhen(false)] out IResult? refusal)
    {
        call = null;
        var caller = authorization.Check(request, role);
        if (!caller.Allowed)
        {
            refusal = caller.Denied!;
            return false;
        }

        var asked = AskedTenant(request);
        if (tenants.Scope(asked) is not { } scope)
        {
            refusal = Invalid("tenant", $"'{Reports.PlainText.Strip(asked)}' is not a tenant of this deployment ({string.Join(", ", tenants.Names)}).");
            return false;
        }

        call = new ApiCall(caller.Caller!, scope);
        return call.Holds(role, out refusal);
    }

    /// <summary>
    /// <see cref="Allows"/>, then the body as <paramref name="read"/> reads it (one of <see cref="JsonBody"/>'s readers, or the
    /// function's own over them): a body is read only for a caller who may send it.
    /// </summary>
    public async Task<ApiRead<T>> ReadAsync<T>(
        HttpRequest request, string role, Func<HttpRequest, CancellationToken, Task<(T? Value, IResult? Invalid)>> read, CancellationToken ct)
        where T : class
    {
        if (!Allows(request, role, out var call, out var refusal))
            return ApiRead<T>.Refused(refusal);
        var (body, invalid) = await read(request, ct);
        return invalid is null ? ApiRead<T>.Allowed(call, body!) : ApiRead<T>.Refused(invalid);
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

        var asked = AskedTenant(request);
        return tenants.Find(asked) is { } tenant
            ? new SignedInCheck(identified.Caller, tenant, null)
            : new SignedInCheck(identified.Caller, null, SignedInFailure.UnknownTenant);
    }

    /// <summary>The tenant a request names in <c>?tenant=</c>, the deployment's default when it names none.</summary>
    private string AskedTenant(HttpRequest request) => request.Query["tenant"].FirstOrDefault() ?? tenants.Default;

    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>The caller, allowed, and the tenant (canonical name) they act for.</summary>
public sealed record ApiCall(Caller Caller, TenantScope Scope)
{
    public string Tenant => Scope.Tenant;

    /// <summary>Whether the caller also holds <paramref name="role"/> on this tenant (an enforcing sweep asks for Admin), or the 403.</summary>
    public bool Holds(string role, [NotNullWhen(false)] out IResult? refusal)
    {
        refusal = CallerAuthorization.Authorize(Caller, role, Scope).Denied;
        return refusal is null;
    }
}

/// <summary>An allowed call and the body it sent, or the answer to return instead: the check's (401, 403, 400 on tenant) or the body's (400).</summary>
public sealed class ApiRead<T>
    where T : class
{
    private readonly ApiCall? _call;
    private readonly T? _body;
    private readonly IResult? _refusal;

    private ApiRead(ApiCall? call, T? body, IResult? refusal) => (_call, _body, _refusal) = (call, body, refusal);

    internal static ApiRead<T> Allowed(ApiCall call, T body) => new(call, body, null);

    internal static ApiRead<T> Refused(IResult refusal) => new(null, null, refusal);

    public bool TryGet([NotNullWhen(true)] out ApiCall? call, [NotNullWhen(true)] out T? body, [NotNullWhen(false)] out IResult? refusal)
    {
        if (_refusal is not null)
        {
            (call, body, refusal) = (null, null, _refusal);
            return false;
        }

        // Allowed is the only way here without a refusal, and it takes both.
        (call, body, refusal) = (_call!, _body!, null);
        return true;
    }
}

public enum SignedInFailure { NotSignedIn, UnknownTenant }

/// <summary>The signed-in caller and the tenant (canonical name), or why the request cannot go on.</summary>
public sealed record SignedInCheck(Caller? Caller, string? Tenant, SignedInFailure? Failure);
