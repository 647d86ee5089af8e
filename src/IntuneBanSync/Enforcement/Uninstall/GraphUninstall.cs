using System.Text;
using IntuneBanSync.Enforcement.Groups;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions.Serialization;

namespace IntuneBanSync.Enforcement.Uninstall;

/// <summary><see cref="IUninstallGraph"/> over the Microsoft Graph SDK.</summary>
public sealed class GraphUninstall(GraphServiceClient client, GraphOptions options) : IUninstallGraph
{
    private readonly GraphGroups _groups = new(client, options);

    private readonly GraphJson _json = new(client, options);

    private readonly GraphActions _actions = new(new GraphJson(client, options));

    private const string Publisher = "IntuneBanSync";

    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping =
        new() { ["XXX"] = ODataError.CreateFromDiscriminatorValue };

    private readonly string _betaUrl = GraphClientBuilder.BetaUrl(options.BaseUrl);

    public Task<IReadOnlyList<CatalogApp>> CatalogAppsAsync(CatalogAppKind kind, CancellationToken ct)
    {
        var filter = $"isof({ODataFilter.Quote(ODataTypeOf(kind))})";
        var what = $"the catalog's {ODataTypeOf(kind)} apps";
        Func<MobileApp, CatalogApp> map = app => ToCatalogApp(app, kind);

        // v1.0 has no androidManagedStoreApp or winGetApp in this SDK; beta serves both.
        return kind is CatalogAppKind.IosStoreApp or CatalogAppKind.AndroidStoreApp
            ? GraphCalls.ReadAllAsync(
                what,
                () => client.DeviceAppManagement.MobileApps.GetAsync(r => r.QueryParameters.Filter = filter, ct),
                next => client.DeviceAppManagement.MobileApps.WithUrl(next).GetAsync(cancellationToken: ct),
                page => (page?.Value, page?.OdataNextLink),
                map,
                ct)
            : GraphCalls.ReadAllAsync(
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
            CatalogAppKind.IosStoreApp => await GraphCalls.WriteAsync(what, () => client.DeviceAppManagement.MobileApps.PostAsync(IosApp(displayName, identifier), cancellationToken: ct), ct),
            CatalogAppKind.AndroidStoreApp => await GraphCalls.WriteAsync(what, () => client.DeviceAppManagement.MobileApps.PostAsync(AndroidApp(displayName, identifier), cancellationToken: ct), ct),
            CatalogAppKind.WinGetApp => await GraphCalls.WriteAsync(what, () => SendBetaAppAsync(WinGetAppRequest(displayName, identifier), ct), ct),
            CatalogAppKind.AndroidManagedStoreApp => throw new NotSupportedException("managed Google Play apps are approved and synced (ApproveManagedPlayAppAsync, SyncManagedPlayAppsAsync), never created"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        var app = created ?? throw new GraphWriteException(what, null, new InvalidOperationException("Graph answered without the created app."));
        var result = ToCatalogApp(app, kind);
        return result.Identifier is null ? result with { Identifier = identifier } : result;
    }

    public Task<IReadOnlyList<AppAssignmentInfo>> AssignmentsAsync(string appId, CancellationToken ct) =>
        GraphCalls.ReadAllAsync(
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
        var created = await GraphCalls.WriteAsync(what, () => client.DeviceAppManagement.MobileApps[appId].Assignments.PostAsync(assignment, cancellationToken: ct), ct);
        return created is null
            ? throw new GraphWriteException(what, null, new InvalidOperationException("Graph answered without the created assignment."))
            : ToInfo(created);
    }

    public async Task<bool> DeleteAssignmentAsync(string appId, string assignmentId, CancellationToken ct)
    {
        try
        {
            await GraphCalls.WriteAsync(
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

    public Task<string?> FindGroupByNameAsync(string displayName, CancellationToken ct) => _groups.FindGroupByNameAsync(displayName, ct);

    public Task<string> CreateSecurityGroupAsync(string displayName, string description, CancellationToken ct) =>
        _groups.CreateSecurityGroupAsync(displayName, description, ct);

    public Task<IReadOnlySet<string>> DirectMemberIdsAsync(string groupId, CancellationToken ct) => _groups.DirectMemberIdsAsync(groupId, ct);

    public Task<IReadOnlyDictionary<string, MemberChange>> AddMembersAsync(string groupId, IReadOnlyList<string> objectIds, CancellationToken ct) =>
        _groups.AddMembersAsync(groupId, objectIds, ct);

    public Task<MemberChange> RemoveMemberAsync(string groupId, string objectId, CancellationToken ct) => _groups.RemoveMemberAsync(groupId, objectId, ct);

    public Task<IReadOnlyDictionary<string, string>> EntraDeviceObjectIdsAsync(IReadOnlyCollection<string> azureAdDeviceIds, CancellationToken ct) =>
        _groups.EntraDeviceObjectIdsAsync(azureAdDeviceIds, ct);

    public Task<IReadOnlyDictionary<string, ActionAnswer>> SyncDevicesAsync(IReadOnlyList<(string Key, string ManagedDeviceId)> devices, CancellationToken ct) =>
        _actions.PostEachAsync(
            $"ask {devices.Count} devices to check in",
            GraphVersion.V1,
            [.. devices.Select(d => new GraphAction(d.Key, $"/deviceManagement/managedDevices/{Uri.EscapeDataString(ODataFilter.Guid(d.ManagedDeviceId, "managedDeviceId"))}/syncDevice"))],
            ct);

    public async Task<ManagedPlaySettings> ManagedPlayAsync(CancellationToken ct)
    {
        JsonElement? settings;
        try
        {
            settings = await _json.GetAsync("the managed Google Play binding", $"{_json.Beta}/{ManagedPlaySettingsPath}", ct);
        }
        catch (GraphReadException e) when (e.Forbidden)
        {
            return new ManagedPlaySettings(ManagedPlayBinding.Forbidden, null);
        }

        if (settings is not { ValueKind: JsonValueKind.Object } found)
            return new ManagedPlaySettings(ManagedPlayBinding.NotBound, null);

        // The reference's sample wraps the entity in "value"; the service answers the entity itself. Either is read.
        var entity = found.TryGetProperty("value", out var wrapped) && wrapped.ValueKind == JsonValueKind.Object ? wrapped : found;
        var binding = entity.TryGetProperty("bindStatus", out var status) && status.ValueKind == JsonValueKind.String
            ? status.GetString() switch
            {
                "notBound" => ManagedPlayBinding.NotBound,
                "bound" => ManagedPlayBinding.Bound,
                "boundAndValidated" => ManagedPlayBinding.BoundAndValidated,
                "unbinding" => ManagedPlayBinding.Unbinding,
                _ => ManagedPlayBinding.Unknown,
            }
            : ManagedPlayBinding.Unknown;
        DateTimeOffset? lastSync = entity.TryGetProperty("lastAppSyncDateTime", out var synced) && synced.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(synced.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at.Year > 1
                ? at
                : null;
        return new ManagedPlaySettings(binding, lastSync);
    }

    // approveAllPermissions: an update asking new permissions would otherwise revoke the approval, and with it the catalog app our
    // uninstall assignment hangs on (support.google.com/work/android/answer/6137917). Approval alone makes nothing installable.
    public async Task ApproveManagedPlayAppAsync(string packageId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(packageId);

        var body = new JsonObject { ["packageIds"] = new JsonArray(ManagedPlayProductId(packageId)), ["approveAllPermissions"] = true };
        await _json.WriteAsync($"approve {packageId} in managed Google Play", Method.POST, $"{_json.Beta}/{ManagedPlaySettingsPath}/approveApps", body, ct);
    }

    public async Task SyncManagedPlayAppsAsync(CancellationToken ct) =>
        await _json.WriteAsync("sync the managed Google Play apps into the catalog", Method.POST, $"{_json.Beta}/{ManagedPlaySettingsPath}/syncApps", null, ct);

    /// <summary>Google's product id of an app: "app:" and its package name (Play EMM API, products: "app:com.google.android.gm").</summary>
    public static string ManagedPlayProductId(string packageId) => $"app:{packageId}";

    private const string ManagedPlaySettingsPath = "deviceManagement/androidManagedStoreAccountEnterpriseSettings";

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
        return new CatalogApp(
            app.Id ?? "", kind, app.DisplayName ?? "", string.IsNullOrWhiteSpace(identifier) ? null : identifier,
            Published: app.PublishingState is null or MobileAppPublishingState.Published);
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

}
