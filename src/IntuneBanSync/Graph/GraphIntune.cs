using System.Buffers;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions.Serialization;

namespace IntuneBanSync.Graph;

/// <summary><see cref="IIntuneGraph"/> over the Microsoft Graph SDK.</summary>
public sealed class GraphIntune(GraphServiceClient client, GraphOptions options) : IIntuneGraph
{
    private static readonly string[] DeviceFields =
    [
        "id", "deviceName", "userId", "userPrincipalName", "azureADDeviceId", "operatingSystem",
        "managedDeviceOwnerType", "isSupervised", "lastSyncDateTime", "deviceEnrollmentType", "managementAgent",
    ];

    private const int CheckMemberGroupsLimit = 20;

    // Intune serves at most 1000 items a page (powershell-intune-samples #2: "a default limit of 1000 items in the response");
    // directory objects at most 999 (learn.microsoft.com/graph/paging). Every list asks for the maximum, so a tenant costs the fewest pages.
    internal const int IntuneMaxTop = 1000;
    internal const int DirectoryMaxTop = 999;

    private readonly string _betaUrl = GraphClientBuilder.BetaUrl(options.BaseUrl);
    private readonly GraphJson _json = new(client, options);
    private readonly GraphBatch _batch = new(new GraphJson(client, options));

    public IAsyncEnumerable<DetectedAppRecord> DetectedAppsAsync(CancellationToken ct) =>
        GraphCalls.PagesAsync(
            "the tenant's detected apps",
            () => client.DeviceManagement.DetectedApps.GetAsync(r => r.QueryParameters.Top = IntuneMaxTop, ct),
            next => client.DeviceManagement.DetectedApps.WithUrl(next).GetAsync(cancellationToken: ct),
            page => (page?.Value, page?.OdataNextLink),
            ToRecord,
            ct);

    /// <summary>The sparse devices (id and name) of a detected app, read as JSON like every device list, not through the SDK's model.</summary>
    public IAsyncEnumerable<DeviceRecord> DevicesWithAppAsync(string detectedAppId, CancellationToken ct) =>
        DevicePagesAsync(
            $"the devices of detected app {detectedAppId}",
            client.DeviceManagement.DetectedApps[detectedAppId].ManagedDevices.ToGetRequestInformation(r => r.QueryParameters.Top = IntuneMaxTop),
            ct,
            sparse: true);

    public IAsyncEnumerable<DeviceRecord> ManagedDevicesAsync(CancellationToken ct) =>
        DevicePagesAsync(
            "the tenant's managed devices",
            client.DeviceManagement.ManagedDevices.ToGetRequestInformation(r =>
            {
                r.QueryParameters.Select = DeviceFields;
                r.QueryParameters.Top = options.DevicePageSize;
            }),
            ct);

    public IAsyncEnumerable<DeviceRecord> ManagedDevicesSyncedAsync(SyncWindow window, CancellationToken ct) =>
        DevicePagesAsync(
            $"the managed devices synced {window}",
            client.DeviceManagement.ManagedDevices.ToGetRequestInformation(r =>
            {
                r.QueryParameters.Select = DeviceFields;
                r.QueryParameters.Filter = ODataFilter.Between("lastSyncDateTime", window.After, window.Before);
                r.QueryParameters.Top = options.DevicePageSize;
            }),
            ct);

    public IAsyncEnumerable<DeviceRecord> DevicesOfUserAsync(string userIdOrUpn, CancellationToken ct)
    {
        var filter = Guid.TryParse(userIdOrUpn, out _)
            ? $"userId eq {ODataFilter.Quote(ODataFilter.Guid(userIdOrUpn, "user"))}"
            : $"userPrincipalName eq {ODataFilter.Quote(userIdOrUpn)}";
        return DevicePagesAsync(
            $"the devices of user {userIdOrUpn}",
            client.DeviceManagement.ManagedDevices.ToGetRequestInformation(r =>
            {
                r.QueryParameters.Select = DeviceFields;
                r.QueryParameters.Filter = filter;
                r.QueryParameters.Top = options.DevicePageSize;
            }),
            ct);
    }

    public async Task<DeviceRecord?> DeviceAsync(string managedDeviceId, CancellationToken ct)
    {
        var request = client.DeviceManagement.ManagedDevices[managedDeviceId].ToGetRequestInformation(r => r.QueryParameters.Select = DeviceFields);
        try
        {
            using var json = await SendJsonAsync(request, ct);
            return json is null ? null : DeviceJson.Read(json.RootElement);
        }
        catch (ODataError e) when (e.ResponseStatusCode == 404)
        {
            return null;
        }
        catch (Exception e) when (GraphCalls.IsFailure(e, ct))
        {
            throw new GraphReadException($"managed device {managedDeviceId}", e);
        }
    }

    public IAsyncEnumerable<DetectedAppRecord> DetectedAppsOfDeviceAsync(string managedDeviceId, CancellationToken ct) =>
        GraphCalls.PagesAsync(
            $"the detected apps of device {managedDeviceId}",
            () => SendBetaAsync(BetaDeviceAppsRequest(managedDeviceId), ct),
            next => SendBetaAsync(new RequestInformation { HttpMethod = Method.GET, URI = new Uri(next) }, ct),
            page => (page?.Value, page?.OdataNextLink),
            ToRecord,
            ct);

    public async Task<GroupMembers> TransitiveMembersAsync(string groupId, CancellationToken ct)
    {
        var users = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var devices = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var members = GraphCalls.PagesAsync(
            $"the members of group {groupId}",
            () => client.Groups[groupId].TransitiveMembers.GetAsync(r =>
            {
                r.QueryParameters.Select = ["id", "deviceId"];
                r.QueryParameters.Top = DirectoryMaxTop;
            }, ct),
            next => client.Groups[groupId].TransitiveMembers.WithUrl(next).GetAsync(cancellationToken: ct),
            page => (page?.Value, page?.OdataNextLink),
            member => member,
            ct);
        await foreach (var member in members)
        {
            switch (member)
            {
                case User { Id: { } id }:
                    users.Add(id);
                    break;
                case Device { DeviceId: { } deviceId }:
                    devices.Add(deviceId);
                    break;
            }
        }

        return new GroupMembers(groupId, users, devices);
    }

    public int ReadConcurrency => options.ReadConcurrency;

    public int DevicePageSize => options.DevicePageSize;

    /// <summary>
    /// 15 users a request (<c>users?$filter=id in (…)</c>, the in operator's limit), 20 requests a batch: 300 users a round trip,
    /// and a fifteenth of the requests one GET per user would cost against Entra's limits.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, UserRecord>> UsersAsync(IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var ids = userIds.Where(id => Guid.TryParse(id, out _)).Select(id => ODataFilter.Guid(id, "userId")).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var users = new Dictionary<string, UserRecord>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in await _batch.FindInAsync($"{ids.Count} users' departments", "users", v => ODataFilter.In("id", v), ids, "id,department,preferredLanguage", ct))
        {
            if (Text(user, "id") is { } id)
                users[id] = new UserRecord(id, Text(user, "department"), Text(user, "preferredLanguage"));
        }

        return users;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    public async Task<IReadOnlySet<string>> GroupsOfUserAsync(string userId, IReadOnlyCollection<string> groupIds, CancellationToken ct)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in groupIds.Chunk(CheckMemberGroupsLimit))
        {
            var answer = await GraphCalls.ReadAsync(
                $"the groups of user {userId}",
                () => client.Users[userId].CheckMemberGroups.PostAsCheckMemberGroupsPostResponseAsync(
                    new Microsoft.Graph.Users.Item.CheckMemberGroups.CheckMemberGroupsPostRequestBody { GroupIds = [.. chunk] }, cancellationToken: ct),
                ct);
            found.UnionWith(answer?.Value ?? []);
        }

        return found;
    }

    public async Task<IReadOnlySet<string>> GroupsOfDeviceAsync(string azureAdDeviceId, IReadOnlyCollection<string> groupIds, CancellationToken ct)
    {
        var filter = $"deviceId eq {ODataFilter.Quote(ODataFilter.Guid(azureAdDeviceId, "azureADDeviceId"))}";
        var devices = await GraphCalls.ReadAsync(
            $"the Entra device {azureAdDeviceId}",
            () => client.Devices.GetAsync(r => { r.QueryParameters.Filter = filter; r.QueryParameters.Select = ["id"]; }, ct),
            ct);
        if (devices?.Value?.FirstOrDefault()?.Id is not { } objectId)
            return new HashSet<string>();

        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in groupIds.Chunk(CheckMemberGroupsLimit))
        {
            var answer = await GraphCalls.ReadAsync(
                $"the groups of device {azureAdDeviceId}",
                () => client.Devices[objectId].CheckMemberGroups.PostAsCheckMemberGroupsPostResponseAsync(
                    new Microsoft.Graph.Devices.Item.CheckMemberGroups.CheckMemberGroupsPostRequestBody { GroupIds = [.. chunk] }, cancellationToken: ct),
                ct);
            found.UnionWith(answer?.Value ?? []);
        }

        return found;
    }

    // Per-device detected apps exist only on beta; the adapter would rewrite a templated base URL to v1.0, so the URI is absolute.
    private RequestInformation BetaDeviceAppsRequest(string managedDeviceId)
    {
        var request = new RequestInformation
        {
            HttpMethod = Method.GET,
            URI = new Uri($"{_betaUrl}/deviceManagement/managedDevices/{Uri.EscapeDataString(managedDeviceId)}/detectedApps?$top={IntuneMaxTop}"),
        };
        request.Headers.TryAdd("Accept", "application/json");
        return request;
    }

    private Task<DetectedAppCollectionResponse?> SendBetaAsync(RequestInformation request, CancellationToken ct) =>
        client.RequestAdapter.SendAsync(
            request,
            DetectedAppCollectionResponse.CreateFromDiscriminatorValue,
            new Dictionary<string, ParsableFactory<IParsable>> { ["XXX"] = ODataError.CreateFromDiscriminatorValue },
            ct);

    private static DetectedAppRecord ToRecord(DetectedApp app) =>
        new(app.Id ?? "", app.DisplayName ?? "", app.Version, app.Platform?.ToString());

    /// <summary>
    /// Devices are read as JSON, not through the SDK's model: its deviceEnrollmentType enum predates the Android Enterprise
    /// members, which v1.0 sends only to a client that asks for them (Prefer: include-unknown-enum-members,
    /// learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations); the model would read them as null.
    /// </summary>
    private async IAsyncEnumerable<DeviceRecord> DevicePagesAsync(string what, RequestInformation first, [EnumeratorCancellation] CancellationToken ct, bool sparse = false)
    {
        var request = first;
        while (true)
        {
            var page = await GraphCalls.ReadAsync(what, () => SendPageAsync(request, sparse, ct), ct);
            if (page is null)
                yield break;
            foreach (var device in page.Devices)
                yield return device;
            if (page.NextLink is not { Length: > 0 } nextLink)
                yield break;
            request = new RequestInformation { HttpMethod = Method.GET, URI = new Uri(nextLink) };
        }
    }

    /// <summary>A page's bytes, read into a pooled buffer and parsed in one pass (<see cref="DeviceJson.ReadPage"/>).</summary>
    private async Task<DevicePage?> SendPageAsync(RequestInformation request, bool sparse, CancellationToken ct)
    {
        await using var stream = await SendForJsonAsync(request, ct);
        if (stream is null)
            return null;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0)
                    break;
                length += read;
            }

            return DeviceJson.ReadPage(buffer.AsSpan(0, length), sparse);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<JsonDocument?> SendJsonAsync(RequestInformation request, CancellationToken ct)
    {
        await using var stream = await SendForJsonAsync(request, ct);
        return stream is null ? null : await JsonDocument.ParseAsync(stream, cancellationToken: ct);
    }

    /// <summary>The response body of a request for JSON, with the evolvable enums' members added since they were published.</summary>
    private Task<Stream?> SendForJsonAsync(RequestInformation request, CancellationToken ct)
    {
        request.Headers.TryAdd("Accept", "application/json");
        request.Headers.TryAdd("Prefer", "include-unknown-enum-members");
        return client.RequestAdapter.SendPrimitiveAsync<Stream>(request, ErrorMapping, ct);
    }

    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new() { ["XXX"] = ODataError.CreateFromDiscriminatorValue };
}
