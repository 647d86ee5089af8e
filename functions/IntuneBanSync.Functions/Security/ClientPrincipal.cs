using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntuneBanSync.Functions.Security;

/// <summary>The decoded X-MS-CLIENT-PRINCIPAL header that App Service Authentication injects.</summary>
internal sealed record ClientPrincipal(
    [property: JsonPropertyName("auth_typ")] string? AuthType,
    [property: JsonPropertyName("name_typ")] string? NameType,
    [property: JsonPropertyName("role_typ")] string? RoleType,
    [property: JsonPropertyName("claims")] IReadOnlyList<ClientPrincipalClaim>? Claims)
{
    public const string RolesClaim = "roles";
    public const string RoleClaimUri = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    public const string PreferredUsernameClaim = "preferred_username";
    public const string NameClaim = "name";
    public const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    public const string ShortObjectIdClaim = "oid";

    /// <summary>The principal, or null when the header is not base64 of a JSON principal object.</summary>
    public static ClientPrincipal? Decode(string header)
    {
        try
        {
            var json = Encoding.UTF8.GetString(Convert.FromBase64String(header.Trim()));
            return JsonSerializer.Deserialize<ClientPrincipal>(json);
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    public IEnumerable<string> Values(string type) =>
        (Claims ?? []).Where(c => c is not null && string.Equals(c.Type, type, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(c.Value))
            .Select(c => c.Value!);

    public string? First(string type) => Values(type).FirstOrDefault();

    /// <summary>
    /// App roles, from the claims typed as role_typ names and from those typed "roles". App Service documents role_typ as "the role
    /// claim type, typically a URI" and says the claims went through its default claim mapping, "so some names might differ from
    /// those in the token" (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities#decode-the-client-principal-header).
    /// For Entra it sends role_typ http://schemas.microsoft.com/ws/2008/06/identity/claims/role while the app roles stay typed "roles"
    /// (Azure/azure-functions-host#3898): reading role_typ alone refuses every caller.
    /// </summary>
    public IReadOnlySet<string> Roles()
    {
        var types = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { RolesClaim, RoleClaimUri };
        if (!string.IsNullOrWhiteSpace(RoleType))
            types.Add(RoleType);
        return types.SelectMany(Values).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>preferred_username, then the name claim (or the one name_typ names).</summary>
    public string? Name() =>
        First(PreferredUsernameClaim)
        ?? First(NameClaim)
        ?? (string.IsNullOrWhiteSpace(NameType) ? null : First(NameType));

    public string? ObjectId() => First(ObjectIdClaim) ?? First(ShortObjectIdClaim);
}

internal sealed record ClientPrincipalClaim(
    [property: JsonPropertyName("typ")] string? Type,
    [property: JsonPropertyName("val")] string? Value);
