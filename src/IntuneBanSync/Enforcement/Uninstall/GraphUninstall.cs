using System.Text;
using System.Text.Json.Nodes;
using IntuneBanSync.Graph;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace IntuneBanSync.Enforcement.Uninstall;

/// <summary><see cref="IUninstallGraph"/> over the Microsoft Graph SDK.</summary>
public sealed class GraphUninstall(GraphServiceClient client, GraphOptions options) : IUninstallGraph
{
    private const int MaxBindsPerPatch = 20;
    private const string Publisher = "IntuneBanSync";

    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping =
        new() { ["XXX"] = ODataError.CreateFromDiscriminatorValue };

    private readonly string _graphUrl = options.BaseUrl.TrimEnd('/');
    private readonly string _betaUrl = GraphClientBuilder.BetaUrl(options.BaseUrl);

    public Task<IReadOnlyList<CatalogApp>> CatalogAppsAsync(CatalogAppKind kind, CancellationToken ct)
    {
        var filter = $"isof({ODataFilter.Quote(ODataTypeOf(kind))})";
        var what = $"the catalog's {ODataTypeOf(kind)} apps";
        Func<MobileApp, CatalogApp> map = app => ToCatalogApp(app, kind);

        // v1.0 has no androidManagedStoreApp or winGetApp in this SDK; beta serves both.
        return kind is CatalogAppKind.IosStoreApp or CatalogAppKind.AndroidStoreApp
            ? ReadAllAsync(
                what,
                () => client.DeviceAppManagement.MobileApps.GetAsync(r => r.QueryParameters.Filter = filter, ct),
                next => client.DeviceAppManagement.MobileApps.WithUrl(next).GetAsync(cancellationToken: ct),
                page => (page?.Value, page?.OdataNextLink),
                map,
                ct)
            : ReadAllAsync(
                what,
                () => SendBetaAsync(BetaAppsRequest(filter), ct),
                next => SendBetaAsync(Request(Method.GET, next), ct),
                page => (page?.Value, page?.OdataNextLink),
                map,
                ct);
    }

    public async Task<CatalogApp> CreateCatalogAppAsync(CatalogAppKind kind, string displayName, string identifier, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        ArgumentException.ThrowIfNullOrWhiteSpace(identifier);

        var what = $"create the {ODataTypeOf(kind)} {identifier}";
        var created = kind switch
        {
            CatalogAppKind.IosStoreApp => await WriteAsync(what, () => client.DeviceAppManagement.MobileApps.PostAsync(IosApp(displayName, identifier), cancellationToken: ct), ct),
            CatalogAppKind.AndroidStoreApp => await WriteAsync(what, () => client.DeviceAppManagement.MobileApps.PostAsync(AndroidApp(displayName, identifier), cancellationToken: ct), ct),
            CatalogAppKind.WinGetApp => await WriteAsync(what, () => SendBetaAppAsync(WinGetAppRequest(displayName, identifier), ct), ct),
            CatalogAppKind.AndroidManagedStoreApp => throw new NotSupportedException("managed Google Play apps must be approved in the Intune admin center first"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        var app = created ?? throw new GraphWriteException(what, null, new InvalidOperationException("Graph answered without the created app."));
        var result = ToCatalogApp(app, kind);
        return result.Identifier is null ? result with { Identifier = identifier } : result;
    }

    public Task<IReadOnlyList<AppAssignmentInfo>> AssignmentsAsync(string appId, CancellationToken ct) =>
        ReadAllAsync(
            $"the assignments of app {appId}",
            () => client.DeviceAppManagement.MobileApps[appId].Assignments.GetAsync(cancellationToken: ct),
            next => client.DeviceAppManagement.MobileApps[appId].Assignments.WithUrl(next).GetAsync(cancellationToken: ct),
            page => (page?.Value, page?.OdataNextLink),
            ToInfo,
            ct);

    public async Task<AppAssignmentInfo> AddGroupAssignmentAsync(string appId, string groupId, string intent, CancellationToken ct)
    {
        if (!Enum.TryParse<InstallIntent>(intent, ignoreCase: true, out var installIntent) || !Enum.IsDefined(installIntent))
        {
            throw new ArgumentException($"intent must be one of {string.Join(", ", Enum.GetValues<InstallIntent>().Select(WireName))}, got '{intent}'.", nameof(intent));
        }

        var what = $"assign app {appId} to group {groupId} as {WireName(installIntent)}";
        var assignment = new MobileAppAssignment
        {
            Intent = installIntent,
            Target = new GroupAssignmentTarget { GroupId = groupId },
        };
        var created = await WriteAsync(what, () => client.DeviceAppManagement.MobileApps[appId].Assignments.PostAsync(assignment, cancellationToken: ct), ct);
        return created is null
            ? throw new GraphWriteException(what, null, new InvalidOperationException("Graph answered without the created assignment."))
            : ToInfo(created);
    }

    public async Task<bool> DeleteAssignmentAsync(string appId, string assignmentId, CancellationToken ct)
    {
        try
        {
            await WriteAsync(
                $"delete assignment {assignmentId} of app {appId}",
                async () =>
                {
                    await client.DeviceAppManagement.MobileApps[appId].Assignments[assignmentId].DeleteAsync(cancellationToken: ct);
                    return true;
                },
                ct);
            return true;
        }
        catch (GraphWriteException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task<string?> FindGroupByNameAsync(string displayName, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);

        var filter = $"displayName eq {ODataFilter.Quote(displayName)}";
        var groups = await ReadAllAsync(
            $"the group named {displayName}",
            () => client.Groups.GetAsync(
                r =>
                {
                    r.QueryParameters.Filter = filter;
                    r.QueryParameters.Select = ["id", "displayName", "securityEnabled"];
                },
                ct),
            next => client.Groups.WithUrl(next).GetAsync(cancellationToken: ct),
            page => (page?.Value, page?.OdataNextLink),
            group => group,
            ct);

        // Graph compares display names without regard to case; the contract asks for this exact name.
        return groups.FirstOrDefault(g => g.SecurityEnabled != false && string.Equals(g.DisplayName, displayName, StringComparison.Ordinal))?.Id;
    }

    public async Task<string> CreateSecurityGroupAsync(string displayName, string description, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);

        var what = $"create the security group {displayName}";
        var group = new Group
        {
            DisplayName = displayName,
            Description = description,
            MailEnabled = false,
            MailNickname = MailNickname(displayName),
            SecurityEnabled = true,
        };
        var created = await WriteAsync(what, () => client.Groups.PostAsync(group, cancellationToken: ct), ct);
        return created?.Id ?? throw new GraphWriteException(what, null, new InvalidOperationException("Graph answered without the created group."));
    }

    public async Task<IReadOnlySet<string>> DirectMemberIdsAsync(string groupId, CancellationToken ct)
    {
        var ids = await ReadAllAsync(
            $"the members of group {groupId}",
            () => client.Groups[groupId].Members.GetAsync(r => r.QueryParameters.Select = ["id"], ct),
            next => client.Groups[groupId].Members.WithUrl(next).GetAsync(cancellationToken: ct),
            page => (page?.Value, page?.OdataNextLink),
            member => member.Id,
            ct);
        return ids.OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public async Task<IReadOnlyDictionary<string, MemberChange>> AddMembersAsync(string groupId, IReadOnlyList<string> objectIds, CancellationToken ct)
    {
        var results = new Dictionary<string, MemberChange>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in objectIds.Distinct(StringComparer.OrdinalIgnoreCase).Chunk(MaxBindsPerPatch))
        {
            var outcome = await BindMembersAsync(groupId, chunk, ct);
            if (outcome is { Status: 400 or 404 })
            {
                // One bad entry makes Graph add none of the chunk: add each alone to learn which one it was.
                foreach (var objectId in chunk)
                    results[objectId] = await AddMemberAsync(groupId, objectId, ct);
            }
            else
            {
                var change = outcome is null ? MemberChange.Done : new MemberChange(MemberOutcome.Failed, outcome.Message);
                foreach (var objectId in chunk)
                    results[objectId] = change;
            }
        }

        return results;
    }

    public async Task<MemberChange> RemoveMemberAsync(string groupId, string objectId, CancellationToken ct)
    {
        try
        {
            await client.Groups[groupId].Members[objectId].Ref.DeleteAsync(cancellationToken: ct);
            return MemberChange.Done;
        }
        catch (Exception e) when (GraphCalls.IsFailure(e, ct))
        {
            return StatusOf(e) == 404 ? MemberChange.AlreadyDone : Failed(e);
        }
    }

    public async Task<string?> EntraDeviceObjectIdAsync(string azureAdDeviceId, CancellationToken ct)
    {
        var filter = $"deviceId eq {ODataFilter.Quote(ODataFilter.Guid(azureAdDeviceId, "azureADDeviceId"))}";
        var page = await GraphCalls.ReadAsync(
            $"the Entra device {azureAdDeviceId}",
            () => client.Devices.GetAsync(
                r =>
                {
                    r.QueryParameters.Filter = filter;
                    r.QueryParameters.Select = ["id"];
                },
                ct),
            ct);
        return page?.Value?.Select(d => d.Id).FirstOrDefault(id => !string.IsNullOrEmpty(id));
    }

    public Task SyncDeviceAsync(string managedDeviceId, CancellationToken ct) =>
        WriteAsync(
            $"ask device {managedDeviceId} to check in",
            async () =>
            {
                await client.DeviceManagement.ManagedDevices[managedDeviceId].SyncDevice.PostAsync(cancellationToken: ct);
                return true;
            },
            ct);

    /// <summary>Null when Graph added the whole chunk; otherwise the refusal.</summary>
    private async Task<BindRefusal?> BindMembersAsync(string groupId, string[] objectIds, CancellationToken ct)
    {
        var patch = new Group
        {
            AdditionalData = new Dictionary<string, object>
            {
                ["members@odata.bind"] = objectIds.Select(DirectoryObjectUrl).ToList(),
            },
        };
        try
        {
            await client.Groups[groupId].PatchAsync(patch, cancellationToken: ct);
            return null;
        }
        catch (Exception e) when (GraphCalls.IsFailure(e, ct))
        {
            return new BindRefusal(StatusOf(e), Detail(e));
        }
    }

    private async Task<MemberChange> AddMemberAsync(string groupId, string objectId, CancellationToken ct)
    {
        try
        {
            await client.Groups[groupId].Members.Ref.PostAsync(new ReferenceCreate { OdataId = DirectoryObjectUrl(objectId) }, cancellationToken: ct);
            return MemberChange.Done;
        }
        catch (Exception e) when (GraphCalls.IsFailure(e, ct))
        {
            return StatusOf(e) switch
            {
                400 when Detail(e).Contains("already exist", StringComparison.OrdinalIgnoreCase) => MemberChange.AlreadyDone,
                404 => new MemberChange(MemberOutcome.NotFound, Detail(e)),
                _ => Failed(e),
            };
        }
    }

    private string DirectoryObjectUrl(string objectId) => $"{_graphUrl}/directoryObjects/{Uri.EscapeDataString(objectId)}";

    private static IosStoreApp IosApp(string displayName, string bundleId) => new()
    {
        DisplayName = displayName,
        Publisher = Publisher,
        BundleId = bundleId,
        AppStoreUrl = "https://apps.apple.com/app/id0",
        ApplicableDeviceType = new IosDeviceType { IPad = true, IPhoneAndIPod = true },
        MinimumSupportedOperatingSystem = new IosMinimumOperatingSystem { V150 = true },
    };

    // packageId is read-only: the service takes it from the id= of the store URL.
    private static AndroidStoreApp AndroidApp(string displayName, string packageId) => new()
    {
        DisplayName = displayName,
        Publisher = Publisher,
        AppStoreUrl = $"https://play.google.com/store/apps/details?id={Uri.EscapeDataString(packageId)}",
        MinimumSupportedOperatingSystem = new AndroidMinimumOperatingSystem { V80 = true },
    };

    // winGetApp exists only on beta; the adapter would rewrite a templated base URL to v1.0, so the URI is absolute.
    private RequestInformation WinGetAppRequest(string displayName, string packageIdentifier)
    {
        var body = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.winGetApp",
            ["displayName"] = displayName,
            ["publisher"] = Publisher,
            ["packageIdentifier"] = packageIdentifier,
            ["installExperience"] = new JsonObject { ["runAsAccount"] = "user" },
        };
        var request = Request(Method.POST, $"{_betaUrl}/deviceAppManagement/mobileApps");
        request.SetStreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body.ToJsonString())), "application/json");
        return request;
    }

    private RequestInformation BetaAppsRequest(string filter) =>
        Request(Method.GET, $"{_betaUrl}/deviceAppManagement/mobileApps?$filter={Uri.EscapeDataString(filter)}");

    private static RequestInformation Request(Method method, string uri)
    {
        var request = new RequestInformation { HttpMethod = method, URI = new Uri(uri) };
        request.Headers.TryAdd("Accept", "application/json");
        return request;
    }

    private Task<MobileAppCollectionResponse?> SendBetaAsync(RequestInformation request, CancellationToken ct) =>
        client.RequestAdapter.SendAsync(request, MobileAppCollectionResponse.CreateFromDiscriminatorValue, ErrorMapping, ct);

    private Task<MobileApp?> SendBetaAppAsync(RequestInformation request, CancellationToken ct) =>
        client.RequestAdapter.SendAsync(request, MobileApp.CreateFromDiscriminatorValue, ErrorMapping, ct);

    private static string ODataTypeOf(CatalogAppKind kind) => kind switch
    {
        CatalogAppKind.IosStoreApp => "microsoft.graph.iosStoreApp",
        CatalogAppKind.AndroidStoreApp => "microsoft.graph.androidStoreApp",
        CatalogAppKind.AndroidManagedStoreApp => "microsoft.graph.androidManagedStoreApp",
        CatalogAppKind.WinGetApp => "microsoft.graph.winGetApp",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static CatalogApp ToCatalogApp(MobileApp app, CatalogAppKind kind)
    {
        var identifier = app switch
        {
            IosStoreApp ios => ios.BundleId,
            AndroidStoreApp android => android.PackageId,
            _ => Text(app.AdditionalData, kind is CatalogAppKind.WinGetApp ? "packageIdentifier" : "packageId"),
        };
        return new CatalogApp(app.Id ?? "", kind, app.DisplayName ?? "", string.IsNullOrWhiteSpace(identifier) ? null : identifier);
    }

    private static string? Text(IDictionary<string, object>? data, string key) =>
        data is not null && data.TryGetValue(key, out var value)
            ? value switch
            {
                string text => text,
                UntypedString untyped => untyped.GetValue(),
                _ => null,
            }
            : null;

    // exclusionGroupAssignmentTarget derives from groupAssignmentTarget: the subtype is tested first, or an exclusion reads as an intent.
    private static AppAssignmentInfo ToInfo(MobileAppAssignment assignment)
    {
        var intent = assignment.Intent is { } value ? WireName(value) : "";
        return assignment.Target switch
        {
            ExclusionGroupAssignmentTarget excluded => new(assignment.Id ?? "", intent, excluded.GroupId, Excludes: true),
            GroupAssignmentTarget group => new(assignment.Id ?? "", intent, group.GroupId),
            _ => new(assignment.Id ?? "", intent, null),
        };
    }

    private static string WireName(InstallIntent intent)
    {
        var name = intent.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static string MailNickname(string displayName)
    {
        var slug = new string([.. displayName.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
        var nickname = "ibs-" + (slug.Length > 0 ? slug : "group");
        return nickname.Length <= 56 ? nickname : nickname[..56];
    }

    private static async Task<IReadOnlyList<TRecord>> ReadAllAsync<TPage, TItem, TRecord>(
        string what,
        Func<Task<TPage?>> first,
        Func<string, Task<TPage?>> next,
        Func<TPage?, (List<TItem>? Items, string? NextLink)> read,
        Func<TItem, TRecord> map,
        CancellationToken ct)
        where TPage : class =>
        await GraphCalls.PagesAsync(what, first, next, read, map, ct).ToListAsync(ct);

    private static async Task<T?> WriteAsync<T>(string what, Func<Task<T?>> write, CancellationToken ct)
    {
        try
        {
            return await write();
        }
        catch (Exception e) when (GraphCalls.IsFailure(e, ct))
        {
            throw new GraphWriteException(what, StatusOf(e), e);
        }
    }

    private static int? StatusOf(Exception e) => e switch
    {
        ApiException api => api.ResponseStatusCode,
        AggregateException { InnerExceptions: [.., var last] } => StatusOf(last),
        HttpRequestException { StatusCode: { } status } => (int)status,
        _ => null,
    };

    private static string Detail(Exception e) => e switch
    {
        ODataError { Error.Message: { Length: > 0 } message } odata => $"HTTP {odata.ResponseStatusCode}: {message}",
        ApiException api => $"HTTP {api.ResponseStatusCode}: {api.Message}",
        AggregateException { InnerExceptions: [.., var last] } => Detail(last),
        _ => e.Message,
    };

    private static MemberChange Failed(Exception e) => new(MemberOutcome.Failed, Detail(e));

    private sealed record BindRefusal(int? Status, string Message);
}
