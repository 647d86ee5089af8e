using System.Text;
using System.Text.Json;

namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// The application permissions a route asks of the token: alternatives, each a set that must all be held, least privileged
/// first (each Graph API page's "Permissions" table). A .Read.All permission is also satisfied by its .ReadWrite.All.
/// </summary>
internal sealed record Needs(IReadOnlyList<IReadOnlyList<string>> Alternatives)
{
    public static Needs Any(params string[] permissions) => new([.. permissions.Select(p => (IReadOnlyList<string>)[p])]);

    public static Needs All(params string[] permissions) => new([permissions]);

    /// <summary>Another alternative, for a route that accepts a different set too.</summary>
    public Needs Or(params string[] permissions) => new([.. Alternatives, permissions]);

    /// <summary>The least privileged set, which is what a client of ours should hold.</summary>
    public IReadOnlyList<string> LeastPrivileged => Alternatives[0];

    public bool SatisfiedBy(IReadOnlySet<string> roles) => Alternatives.Any(set => set.All(p => roles.Contains(p) || roles.Contains(Stronger(p))));

    public IEnumerable<string> Named => Alternatives.SelectMany(a => a).Distinct();

    private static string Stronger(string permission) =>
        permission.EndsWith(".Read.All", StringComparison.Ordinal) ? permission[..^".Read.All".Length] + ".ReadWrite.All" : permission;
}

/// <summary>The roles of a request's bearer token: the simulator reads them from the JWT's payload, as Graph would after validating it.</summary>
internal static class TokenRoles
{
    public static IReadOnlySet<string>? Of(GraphRequest request)
    {
        if (request.Header("Authorization") is not { } header || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return null;
        var parts = header["Bearer ".Length..].Trim().Split('.');
        if (parts.Length < 2)
            return null;
        try
        {
            var padded = parts[1].Replace('-', '+').Replace('_', '/');
            var json = Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
            using var payload = JsonDocument.Parse(json);
            return payload.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
                ? roles.EnumerateArray().Select(r => r.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>();
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }
}
