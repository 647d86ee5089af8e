namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// Entra ID: groups and their members, users, device objects, checkMemberGroups. A group created a moment ago answers 404 to GET,
/// PATCH and members/$ref until it has replicated (<see cref="SimulatorOptions.GroupReplication"/>).
/// </summary>
internal sealed class DirectoryRoutes(TenantState state, SimulatorOptions options, Func<string> newId)
{
    private const int MaxBindsPerPatch = 20;

    // "Up to 20 groups may be specified" (directoryobject-checkmembergroups.md, groupIds).
    private const int MaxCheckMemberGroups = 20;
    private const string AlreadyMember = "One or more added object references already exist for the following modified properties: 'members'.";

    private DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    private const string GroupMemberRead = "GroupMember.Read.All";
    private const string GroupMemberReadWrite = "GroupMember.ReadWrite.All";

    // Device members: "GroupMember.ReadWrite.All and Device.ReadWrite.All" (group-post-members.md, application permissions).
    private static readonly Needs AddDeviceMembers = Needs.All(GroupMemberReadWrite, "Device.ReadWrite.All").Or("Group.ReadWrite.All", "Device.ReadWrite.All");

    public void Register(GraphRouter router)
    {
        const ThrottleCategory directory = ThrottleCategory.Directory;
        router.Get("groups", directory, Needs.Any(GroupMemberRead), ListGroups);
        router.Get("groups/{id}", directory, Needs.Any(GroupMemberRead), GetGroup);
        router.Write("POST", "groups", directory, Needs.Any("Group.Create", "Group.ReadWrite.All"), CreateGroup);
        router.Write("PATCH", "groups/{id}", directory, AddDeviceMembers, PatchGroup);
        router.Get("groups/{id}/members", directory, Needs.Any(GroupMemberRead), (request, args) => ListMembers(request, args["id"], transitive: false));
        router.Get("groups/{id}/transitiveMembers", directory, Needs.Any(GroupMemberRead), (request, args) => ListMembers(request, args["id"], transitive: true));
        router.Write("POST", "groups/{id}/members/$ref", directory, AddDeviceMembers, AddMemberReference);
        router.Write("DELETE", "groups/{id}/members/{memberId}/$ref", directory, Needs.Any(GroupMemberReadWrite), RemoveMemberReference);
        router.Get("users", directory, Needs.Any("User.Read.All"), ListUsers);
        router.Get("users/{id}", directory, Needs.Any("User.Read.All"), GetUser);
        router.ReadingPost("users/{id}/checkMemberGroups", directory, Needs.All("User.Read.All", GroupMemberRead), CheckMemberGroups);
        router.Get("devices", directory, Needs.Any("Device.Read.All"), ListDevices);
        router.Get("devices/{id}", directory, Needs.Any("Device.Read.All"), GetDevice);
        router.ReadingPost("devices/{id}/checkMemberGroups", directory, Needs.All("Device.Read.All", GroupMemberRead), CheckMemberGroups);
    }

    private static JsonObject Shape(User user) => new()
    {
        ["@odata.type"] = "#microsoft.graph.user",
        ["id"] = user.Id,
        ["userPrincipalName"] = user.UserPrincipalName,
        ["displayName"] = user.DisplayName,
        ["department"] = user.Department,
        ["preferredLanguage"] = user.PreferredLanguage,
        ["mail"] = user.UserPrincipalName,
    };

    private static JsonObject Shape(EntraDevice device) => new()
    {
        ["@odata.type"] = "#microsoft.graph.device",
        ["id"] = device.Id,
        ["deviceId"] = device.DeviceId,
        ["displayName"] = device.DisplayName,
        ["accountEnabled"] = true,
    };

    private static JsonObject Shape(Group group) => new()
    {
        ["@odata.type"] = "#microsoft.graph.group",
        ["id"] = group.Id,
        ["displayName"] = group.DisplayName,
        ["securityEnabled"] = true,
        ["mailEnabled"] = false,
        ["mailNickname"] = group.DisplayName.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant(),
        ["groupTypes"] = new JsonArray(),
    };

    private JsonObject? ShapeObject(string id) =>
        state.FindUser(id) is { } user ? Shape(user)
        : state.FindEntraDevice(id) is { } device ? Shape(device)
        : state.FindGroup(id) is { } group ? Shape(group)
        : null;

    private bool ObjectExists(string id) =>
        state.FindUser(id) is not null || state.FindEntraDevice(id) is not null || state.FindGroup(id) is not null;

    /// <summary>A page of a directory collection, narrowed by the one $filter Graph answers on it: one property equal to a value, in any case.</summary>
    private GraphResponse ListFiltered<T>(
        GraphRequest request, IReadOnlyList<T> all, string collection, string filterable, Func<T, string> valueOf, Func<T, JsonObject> shape, Func<string, T?>? lookup = null)
        where T : class
    {
        var items = all;
        if (request.QueryValue("$filter") is { } filter)
        {
            // An eq, or an or of eqs on the one property (devices' deviceId: "Supports $filter (eq, ne, not, startsWith)",
            // api-reference/v1.0/resources/device.md), 15 child clauses at most; not in, which its documentation does not list.
            if (!ODataFilter.TryAnyEquals(filter, out var property, out var values) || property != filterable)
            {
                return UnsupportedFilter(filter);
            }

            if (values.Count > MaxClauses)
            {
                return TooManyClauses(values.Count);
            }

            var wanted = values.ToHashSet(StringComparer.OrdinalIgnoreCase);
            // By index where there is one: 15 lookups, not a scan of 100,000 devices under the tenant's lock.
            items = lookup is null ? [.. all.Where(item => wanted.Contains(valueOf(item)))] : [.. wanted.Select(lookup).OfType<T>()];
        }

        return Paging.Page(request, items, 100, 999, collection, shape, Now);
    }

    /// <summary>One directory object with the request's $select, or Graph's 404 for the id.</summary>
    private GraphResponse EntityOr404<T>(GraphRequest request, string collection, string id, T? found, Func<T, JsonObject> shape)
        where T : class =>
        found is null ? ObjectNotFound(id) : GraphResponse.Ok(GraphJson.Entity(request, collection, (JsonObject)Paging.Select(request, shape(found))));

    private GraphResponse ListGroups(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return ListFiltered(request, state.GroupsUnlocked, "groups", "displayName", g => g.DisplayName, Shape);
        }
    }

    private GraphResponse GetGroup(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return EntityOr404(request, "groups", args["id"], FindReplicatedGroup(args["id"]), Shape);
        }
    }

    private GraphResponse CreateGroup(GraphRequest request, RouteArgs args)
    {
        if (request.Body is not JsonObject body || body["displayName"]?.GetValue<string>() is not { Length: > 0 } displayName)
        {
            return DirectoryBadRequest("A group needs a displayName.");
        }

        lock (state.Gate)
        {
            var members = new List<string>();
            if (body["members@odata.bind"] is JsonArray binds && BindMembers(members, binds) is { } error)
            {
                return error;
            }

            var group = new Group(newId(), displayName, members, Now);
            state.AddGroup(group);
            return GraphResponse.Created(GraphJson.Entity(request, "groups", Shape(group)));
        }
    }

    private GraphResponse PatchGroup(GraphRequest request, RouteArgs args)
    {
        if (request.Body is not JsonObject body)
        {
            return DirectoryBadRequest("A request body is required.");
        }

        lock (state.Gate)
        {
            if (FindReplicatedGroup(args["id"]) is not { } group)
            {
                return ObjectNotFound(args["id"]);
            }

            var members = group.MemberIds.ToList();
            if (body["members@odata.bind"] is JsonArray binds && BindMembers(members, binds) is { } error)
            {
                return error;
            }

            var displayName = body["displayName"]?.GetValue<string>() ?? group.DisplayName;
            state.ReplaceGroup(group with { DisplayName = displayName, MemberIds = members });
            return GraphResponse.NoContent();
        }
    }

    /// <summary>All or nothing, as Graph applies members@odata.bind.</summary>
    private GraphResponse? BindMembers(List<string> members, JsonArray binds)
    {
        if (binds.Count > MaxBindsPerPatch)
        {
            return DirectoryBadRequest($"The request adds {binds.Count} members; at most {MaxBindsPerPatch} can be added in one request.");
        }

        var added = new List<string>();
        foreach (var bind in binds)
        {
            var id = ObjectIdFrom(bind?.GetValue<string>());
            if (id is null || !ObjectExists(id))
            {
                return ObjectNotFound(id ?? "");
            }

            if (members.Contains(id, StringComparer.OrdinalIgnoreCase) || added.Contains(id, StringComparer.OrdinalIgnoreCase))
            {
                return DirectoryBadRequest(AlreadyMember);
            }

            added.Add(id);
        }

        members.AddRange(added);
        return null;
    }

    private GraphResponse ListMembers(GraphRequest request, string groupId, bool transitive)
    {
        lock (state.Gate)
        {
            if (FindReplicatedGroup(groupId) is not { } group)
            {
                return ObjectNotFound(groupId);
            }

            var ids = transitive ? OrderedTransitiveMembers(group) : group.MemberIds;
            var members = ids.Where(ObjectExists).ToList();
            return Paging.Page(request, members, options.MembersPageSize, 999, "directoryObjects", id => ShapeObject(id)!, Now);
        }
    }

    private List<string> OrderedTransitiveMembers(Group group)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { group.Id };
        var pending = new Queue<Group>([group]);
        while (pending.TryDequeue(out var current))
        {
            foreach (var id in current.MemberIds.Where(seen.Add))
            {
                result.Add(id);
                if (state.FindGroup(id) is { } nested)
                {
                    pending.Enqueue(nested);
                }
            }
        }

        return result;
    }

    private GraphResponse AddMemberReference(GraphRequest request, RouteArgs args)
    {
        var id = ObjectIdFrom(request.Body?["@odata.id"]?.GetValue<string>());
        lock (state.Gate)
        {
            if (FindReplicatedGroup(args["id"]) is not { } group)
            {
                return ObjectNotFound(args["id"]);
            }

            if (id is null || !ObjectExists(id))
            {
                return ObjectNotFound(id ?? "");
            }

            if (group.MemberIds.Contains(id, StringComparer.OrdinalIgnoreCase))
            {
                return DirectoryBadRequest(AlreadyMember);
            }

            state.ReplaceGroup(group with { MemberIds = [.. group.MemberIds, id] });
            return GraphResponse.NoContent();
        }
    }

    private GraphResponse RemoveMemberReference(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            if (FindReplicatedGroup(args["id"]) is not { } group)
            {
                return ObjectNotFound(args["id"]);
            }

            var remaining = group.MemberIds.Where(m => !string.Equals(m, args["memberId"], StringComparison.OrdinalIgnoreCase)).ToList();
            if (remaining.Count == group.MemberIds.Count)
            {
                return ObjectNotFound(args["memberId"]);
            }

            state.ReplaceGroup(group with { MemberIds = remaining });
            return GraphResponse.NoContent();
        }
    }

    /// <summary>Users by id, 15 at most a request (<c>$filter=id in (…)</c>), as the report reads the affected people's departments.</summary>
    private GraphResponse ListUsers(GraphRequest request, RouteArgs args)
    {
        if (request.QueryValue("$filter") is not { } filter || !ODataFilter.TryIn(filter, out var property, out var ids) || property != "id")
        {
            return UnsupportedFilter(request.QueryValue("$filter") ?? "");
        }

        if (ids.Count > MaxClauses)
        {
            return TooManyClauses(ids.Count);
        }

        lock (state.Gate)
        {
            IReadOnlyList<User> users = [.. ids.Distinct(StringComparer.OrdinalIgnoreCase).Select(state.FindUser).OfType<User>()];
            return Paging.Page(request, users, 100, 999, "users", Shape, Now);
        }
    }

    // An in list or an or of eqs: "limited to 15 expressions in the filter clause by default" (learn.microsoft.com/graph/filter-query-parameter).
    private const int MaxClauses = 15;

    private GraphResponse TooManyClauses(int count) =>
        GraphJson.BadRequest($"Too many child clauses specified in search filter expression containing 'OR' operators: {count}. Max allowed: {MaxClauses}.", Now);

    private GraphResponse GetUser(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return EntityOr404(request, "users", args["id"], state.FindUser(args["id"]), Shape);
        }
    }

    private GraphResponse ListDevices(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return ListFiltered(request, state.EntraDevicesUnlocked, "devices", "deviceId", d => d.DeviceId, Shape, state.FindEntraDeviceByDeviceId);
        }
    }

    private GraphResponse GetDevice(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return EntityOr404(request, "devices", args["id"], state.FindEntraDevice(args["id"]), Shape);
        }
    }

    private GraphResponse CheckMemberGroups(GraphRequest request, RouteArgs args)
    {
        if (request.Body?["groupIds"] is not JsonArray groupIds)
        {
            return DirectoryBadRequest("groupIds is required.");
        }

        if (groupIds.Count > MaxCheckMemberGroups)
        {
            return DirectoryBadRequest($"groupIds holds {groupIds.Count} groups; at most {MaxCheckMemberGroups} can be checked in one request.");
        }

        lock (state.Gate)
        {
            var isUser = request.Path.StartsWith("users", StringComparison.OrdinalIgnoreCase);
            var objectId = isUser ? state.FindUser(args["id"])?.Id : state.FindEntraDevice(args["id"])?.Id;
            if (objectId is null)
            {
                return ObjectNotFound(args["id"]);
            }

            var memberOf = groupIds
                .Select(g => g?.GetValue<string>())
                .OfType<string>()
                .Where(g => state.TransitiveMembersUnlocked(g).Contains(objectId))
                .Select(g => (JsonNode?)JsonValue.Create(g))
                .ToArray();
            return GraphResponse.Ok(new JsonObject
            {
                ["@odata.context"] = $"{request.VersionRoot}$metadata#Collection(Edm.String)",
                ["value"] = new JsonArray(memberOf),
            });
        }
    }

    /// <summary>The group, unless Entra is still replicating it since its creation.</summary>
    private Group? FindReplicatedGroup(string id) =>
        state.FindGroup(id) is { } group && !(group.CreatedDateTime is { } created && Now < created + options.Scaled(options.GroupReplication))
            ? group
            : null;

    private static string? ObjectIdFrom(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Segments.Length > 0
            ? Uri.UnescapeDataString(uri.Segments[^1].Trim('/'))
            : null;

    private GraphResponse ObjectNotFound(string id) =>
        GraphJson.Error(404, "Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.", Now);

    private GraphResponse DirectoryBadRequest(string message) => GraphJson.Error(400, "Request_BadRequest", message, Now);

    private GraphResponse UnsupportedFilter(string filter) =>
        GraphJson.Error(400, "Request_UnsupportedQuery", $"Unsupported or invalid query filter clause specified for property: {filter}", Now);
}
