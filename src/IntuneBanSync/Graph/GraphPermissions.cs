using System.Text;
using Azure.Core;

namespace IntuneBanSync.Graph;

/// <summary>A Microsoft Graph application permission (an app role of the Microsoft Graph service principal).</summary>
public readonly record struct GraphPermission(string Name)
{
    public override string ToString() => Name;
}

/// <summary>
/// One permission and why IntuneBanSync needs it. An optional one serves part of a mechanism only: without it the mechanism
/// still runs and reports the devices that part would reach as unreachable, naming the permission.
/// </summary>
public sealed record PermissionUse(GraphPermission Permission, string Why, string NeededBy, bool Optional = false);

/// <summary>
/// The application permissions Graph documents for each call we make, least privileged first
/// (learn.microsoft.com/graph/permissions-reference and each API page's "Permissions" table). Mechanisms add their own.
/// README, the infra grant scripts (`ibs permissions`) and the start-up self-check all read this manifest.
/// </summary>
public static class GraphPermissions
{
    public static readonly GraphPermission ManagedDevicesRead = new("DeviceManagementManagedDevices.Read.All");
    public static readonly GraphPermission ManagedDevicesPrivileged = new("DeviceManagementManagedDevices.PrivilegedOperations.All");
    public static readonly GraphPermission ManagedDevicesReadWrite = new("DeviceManagementManagedDevices.ReadWrite.All");
    public static readonly GraphPermission AppsReadWrite = new("DeviceManagementApps.ReadWrite.All");
    public static readonly GraphPermission ConfigurationReadWrite = new("DeviceManagementConfiguration.ReadWrite.All");
    public static readonly GraphPermission ScriptsReadWrite = new("DeviceManagementScripts.ReadWrite.All");
    public static readonly GraphPermission ServiceConfigReadWrite = new("DeviceManagementServiceConfig.ReadWrite.All");
    public static readonly GraphPermission GroupMemberRead = new("GroupMember.Read.All");
    public static readonly GraphPermission GroupMemberReadWrite = new("GroupMember.ReadWrite.All");
    public static readonly GraphPermission GroupCreate = new("Group.Create");
    public static readonly GraphPermission DeviceRead = new("Device.Read.All");
    public static readonly GraphPermission DeviceReadWrite = new("Device.ReadWrite.All");
    public static readonly GraphPermission UserRead = new("User.Read.All");
    public static readonly GraphPermission PolicyRead = new("Policy.Read.All");

    /// <summary>What every sweep needs, report mode included: the whole tenant's and a helpdesk's.</summary>
    public static IReadOnlyList<PermissionUse> Report { get; } =
    [
        new(ManagedDevicesRead, "read managed devices and their detected apps (inventory)", "report"),
        new(GroupMemberRead, "read the members of include, exclude and exemption groups; check a user's or device's groups", "report"),
        new(DeviceRead, "find a managed device's Entra device object, and its groups", "report"),
        new(UserRead, "check the groups of one user in a helpdesk sweep (users/{id}/checkMemberGroups)", "report"),
        // Creating an export job is a POST; the documented application permissions, least privileged first, are
        // DeviceManagementConfiguration.ReadWrite.All, DeviceManagementApps.ReadWrite.All, DeviceManagementManagedDevices.ReadWrite.All
        // (graph/api/intune-reporting-devicemanagementexportjob-create).
        new(ConfigurationReadWrite, "create and read the discovered-apps export job (deviceManagement/reports/exportJobs, AppInvRawData) when IntuneBanSync__Sweep__InventorySource is ExportJob", "report (export-job inventory)", Optional: true),
    ];

    /// <summary>Report mode and every mechanism given, each permission once, in manifest order, with everyone who needs it and why.</summary>
    public static IReadOnlyList<PermissionUse> Manifest(IEnumerable<IReadOnlyList<PermissionUse>> mechanisms) =>
        [.. Report.Concat(mechanisms.SelectMany(m => m)).GroupBy(p => p.Permission).Select(uses => new PermissionUse(
            uses.Key,
            string.Join("; ", uses.Select(u => u.Why).Distinct(StringComparer.Ordinal)),
            string.Join(", ", uses.Select(u => u.NeededBy).Distinct(StringComparer.Ordinal)),
            uses.All(u => u.Optional)))];
}

/// <summary>
/// What the self-check finds: the app's own token's roles (read from the access token it is given), compared with the manifest.
/// Granted is null when the token carries no readable roles (a developer's delegated sign-in).
/// </summary>
public sealed record PermissionCheck(IReadOnlySet<string>? Granted, IReadOnlyList<GraphPermission> Missing, IReadOnlyList<string> Superfluous)
{
    public static PermissionCheck Unknown { get; } = new(null, [], []);

    public bool Lacks(IEnumerable<PermissionUse> needed) => Granted is not null && needed.Any(n => !Granted.Contains(n.Permission.Name));

    /// <summary>The required permissions of <paramref name="needed"/> the token lacks (optional ones never keep a mechanism from starting).</summary>
    public IReadOnlyList<GraphPermission> MissingOf(IEnumerable<PermissionUse> needed) =>
        Granted is null ? [] : [.. needed.Where(n => !n.Optional).Select(n => n.Permission).Where(p => !Granted.Contains(p.Name)).Distinct()];

    /// <summary>Asks the credential for a Graph token and reads its "roles" claim.</summary>
    public static async Task<PermissionCheck> OfAsync(TokenCredential credential, Uri graphBaseUrl, IReadOnlyList<PermissionUse> manifest, CancellationToken ct)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext([GraphClientBuilder.TokenScope(graphBaseUrl)]), ct);
        if (RolesOf(token.Token) is not { } granted)
            return Unknown;
        var wanted = manifest.Select(m => m.Permission.Name).ToHashSet(StringComparer.Ordinal);
        return new PermissionCheck(
            granted,
            [.. manifest.Select(m => m.Permission).Where(p => !granted.Contains(p.Name)).Distinct()],
            [.. granted.Where(g => !wanted.Contains(g)).Order(StringComparer.Ordinal)]);
    }

    /// <summary>The roles of a JWT access token (its payload only: the token is not validated here, Graph does that).</summary>
    public static IReadOnlySet<string>? RolesOf(string accessToken)
    {
        var parts = accessToken.Split('.');
        if (parts.Length < 2)
            return null;
        try
        {
            using var payload = JsonDocument.Parse(Base64Url(parts[1]));
            return payload.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
                ? roles.EnumerateArray().Select(r => r.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    internal static byte[] Base64Url(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    internal static string ToBase64Url(string json) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}

/// <summary>
/// The credential used against a Graph simulator on loopback: an unsigned development token whose "roles" are the given
/// permissions, so the simulator can refuse what a real tenant would refuse. Real Graph rejects such a token, and
/// <see cref="GraphClientBuilder"/> never sends it anywhere but to loopback.
/// </summary>
public sealed class LoopbackCredential(IEnumerable<string> roles) : TokenCredential
{
    private readonly string[] _roles = [.. roles.Distinct(StringComparer.Ordinal)];

    public IReadOnlyList<string> Roles => _roles;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        var header = PermissionCheck.ToBase64Url("""{"alg":"none","typ":"JWT"}""");
        var payload = PermissionCheck.ToBase64Url(JsonSerializer.Serialize(new { aud = requestContext.Scopes.FirstOrDefault()?.Replace("/.default", ""), roles = _roles }));
        return new AccessToken($"{header}.{payload}.", DateTimeOffset.MaxValue);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
