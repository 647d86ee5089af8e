using Microsoft.Extensions.Options;

namespace IntuneBanSync.Functions.Security;

/// <summary>
/// Decides whether an HTTP call may run: the function key got it here, and App Service Authentication must have
/// identified an Entra principal holding the required app role.
/// </summary>
public sealed class CallerAuthorization(IOptions<PlatformAuthOptions> platform)
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";
    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";

    /// <summary>
    /// Ok with the caller, or the IResult to return: 401 (no or unparseable principal, or any principal header while
    /// platform authentication is off), 403 (the caller holds <paramref name="requiredRole"/> for no tenant; Admin implies every role).
    /// Which tenant the caller may act on is <see cref="Authorize"/>'s question.
    /// </summary>
    public CallerCheck Check(HttpRequest request, string requiredRole)
    {
        RequireKnown(requiredRole);

        var identified = Identify(request);
        if (!identified.Allowed)
            return identified;
        var caller = identified.Caller!;
        return caller.HoldsAnywhere(requiredRole)
            ? identified
            : Forbidden($"{caller.Name} does not hold the app role {requiredRole} (or {AppRoles.Admin}), for this deployment or for one of its tenants.");
    }

    /// <summary>Ok, or 403 when the caller holds <paramref name="requiredRole"/> (or Admin) neither named for the tenant nor deployment-wide where the tenant allows that.</summary>
    public static CallerCheck Authorize(Caller caller, string requiredRole, TenantScope scope)
    {
        RequireKnown(requiredRole);

        return caller.Holds(requiredRole, scope)
            ? new CallerCheck(caller, null)
            : Forbidden($"{caller.Name} may not act on tenant {scope.Tenant}: that takes one of the app roles {string.Join(", ", scope.Granting(requiredRole))}.");
    }

    /// <summary>The principal App Service Authentication vouches for, or 401.</summary>
    public CallerCheck Identify(HttpRequest request)
    {
        // Only App Service strips client-sent X-MS-* headers; without it on, anyone can write them.
        if (!platform.Value.Enabled)
            return Unauthorized(CarriesPrincipalHeaders(request)
                ? $"The request carries {PrincipalHeader} headers, but App Service Authentication is not enabled on this app ({PlatformAuthOptions.Setting} is not True), so they cannot be trusted."
                : $"App Service Authentication is not enabled on this app ({PlatformAuthOptions.Setting} is not True), so no caller can be identified.");

        var headers = request.Headers[PrincipalHeader];
        if (headers.Count == 0 || string.IsNullOrWhiteSpace(headers[0]))
            return Unauthorized($"No {PrincipalHeader}: sign in with Microsoft Entra; App Service Authentication identified no caller.");
        if (headers.Count > 1)
            return Unauthorized($"More than one {PrincipalHeader} header.");

        var principal = ClientPrincipal.Decode(headers[0]!);
        if (principal is null)
            return Unauthorized($"{PrincipalHeader} is not base64-encoded JSON of a client principal.");

        var objectId = principal.ObjectId() ?? Single(request, PrincipalIdHeader);
        var name = principal.Name() ?? Single(request, PrincipalNameHeader) ?? objectId;
        if (name is null)
            return Unauthorized($"{PrincipalHeader} names no caller.");

        return new CallerCheck(new Caller(name, objectId, principal.Roles()), null);
    }

    private static void RequireKnown(string role)
    {
        if (!AppRoles.IsKnown(role))
            throw new ArgumentException($"'{role}' is not one of the app roles in {nameof(AppRoles)}.", nameof(role));
    }

    private static CallerCheck Forbidden(string why) =>
        new(null, TypedResults.Problem(title: "Forbidden", detail: why, statusCode: StatusCodes.Status403Forbidden));

    private static bool CarriesPrincipalHeaders(HttpRequest request) =>
        request.Headers.Keys.Any(key => key.StartsWith(PrincipalHeader, StringComparison.OrdinalIgnoreCase));

    private static string? Single(HttpRequest request, string header) =>
        request.Headers[header] is { Count: 1 } values && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;

    private static CallerCheck Unauthorized(string why) =>
        new(null, TypedResults.Problem(title: "Unauthorized", detail: why, statusCode: StatusCodes.Status401Unauthorized));
}
