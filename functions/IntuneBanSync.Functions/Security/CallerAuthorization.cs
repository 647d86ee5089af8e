using Microsoft.AspNetCore.Http;
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
    /// platform authentication is off), 403 (the caller lacks <paramref name="requiredRole"/>; Admin implies every role).
    /// </summary>
    public CallerCheck Check(HttpRequest request, string requiredRole)
    {
        if (!AppRoles.IsKnown(requiredRole))
            throw new ArgumentException($"'{requiredRole}' is not one of the app roles in {nameof(AppRoles)}.", nameof(requiredRole));

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

        var caller = new Caller(name, objectId, principal.Roles());
        return caller.IsIn(requiredRole)
            ? new CallerCheck(caller, null)
            : new CallerCheck(null, TypedResults.Problem(
                title: "Forbidden",
                detail: $"{caller.Name} does not hold the app role {requiredRole} (or {AppRoles.Admin}).",
                statusCode: StatusCodes.Status403Forbidden));
    }

    private static bool CarriesPrincipalHeaders(HttpRequest request) =>
        request.Headers.Keys.Any(key => key.StartsWith(PrincipalHeader, StringComparison.OrdinalIgnoreCase));

    private static string? Single(HttpRequest request, string header) =>
        request.Headers[header] is { Count: 1 } values && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;

    private static CallerCheck Unauthorized(string why) =>
        new(null, TypedResults.Problem(title: "Unauthorized", detail: why, statusCode: StatusCodes.Status401Unauthorized));
}
