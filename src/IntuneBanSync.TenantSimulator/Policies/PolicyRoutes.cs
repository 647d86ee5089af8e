namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// What a collection of Intune policies looks like to the simulator: its name under deviceManagement, the property holding an
/// entity's name, the property of its /assign body, the permissions it asks, and a validator that refuses what Graph refuses
/// (an unknown @odata.type, a missing required property): it answers the message of a 400, or null when the body is fine.
/// <paramref name="Navigation"/> names properties Graph keeps as navigation properties (a settings catalog policy's "settings"):
/// accepted inline on create, served under <c>{id}/{property}</c> or with $expand, refused by PATCH; <paramref name="Replaceable"/>
/// collections take a PUT of the whole entity, navigation properties included.
/// </summary>
internal sealed record PolicyCollection(
    string Name,
    string NameProperty,
    string AssignmentsProperty,
    Needs Read,
    Needs Write,
    Func<JsonObject, bool, string?> Validate,
    bool BetaOnly = true,
    IReadOnlyList<string>? Navigation = null,
    bool Replaceable = false,
    int NavigationPageSize = 25)
{
    public IReadOnlyList<string> NavigationProperties => Navigation ?? [];
}

/// <summary>list ($filter name eq), get, create, patch, delete, assignments and /assign (which replaces every assignment) of a collection.</summary>
internal sealed class PolicyRoutes(PolicyStore store, SimulatorOptions options, Func<string> newId)
{
    private DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    public void Register(GraphRouter router, PolicyCollection collection)
    {
        var category = ThrottleCategory.Apps;
        var path = $"deviceManagement/{collection.Name}";
        router.Get(path, category, collection.Read, (request, _) => List(request, collection), collection.BetaOnly);
        router.Get($"{path}/{{id}}", category, collection.Read, (request, args) => Get(request, collection, args["id"]), collection.BetaOnly);
        router.Write("POST", path, category, collection.Write, (request, _) => Create(request, collection), collection.BetaOnly);
        router.Write("PATCH", $"{path}/{{id}}", category, collection.Write, (request, args) => Patch(request, collection, args["id"]), collection.BetaOnly);
        router.Write("DELETE", $"{path}/{{id}}", category, collection.Write, (_, args) => Delete(collection, args["id"]), collection.BetaOnly);
        router.Get($"{path}/{{id}}/assignments", category, collection.Read, (request, args) => Assignments(request, collection, args["id"]), collection.BetaOnly);
        router.Write("POST", $"{path}/{{id}}/assign", category, collection.Write, (request, args) => Assign(request, collection, args["id"]), collection.BetaOnly);
        foreach (var navigation in collection.NavigationProperties)
            router.Get($"{path}/{{id}}/{navigation}", category, collection.Read, (request, args) => NavigationList(request, collection, args["id"], navigation), collection.BetaOnly);
        if (collection.Replaceable)
            router.Write("PUT", $"{path}/{{id}}", category, collection.Write, (request, args) => Replace(request, collection, args["id"]), collection.BetaOnly);
    }

    private GraphResponse List(GraphRequest request, PolicyCollection collection)
    {
        lock (store.Gate)
        {
            IReadOnlyList<PolicyEntity> items = store.OfUnlocked(collection.Name);
            if (request.QueryValue("$filter") is { } filter)
            {
                if (!ODataFilter.TryEquals(filter, out var property, out var value) || !property.Equals(collection.NameProperty, StringComparison.OrdinalIgnoreCase))
                    return GraphJson.BadRequest($"Invalid filter clause: {filter}", Now);
                items = [.. items.Where(p => string.Equals(p.Text(collection.NameProperty), value, StringComparison.OrdinalIgnoreCase))];
            }

            return Paging.Page(request, [.. items], 100, options.MaxTop, $"deviceManagement/{collection.Name}", e => Shape(request, collection, e), Now);
        }
    }

    private GraphResponse Get(GraphRequest request, PolicyCollection collection, string id)
    {
        lock (store.Gate)
        {
            return store.Find(collection.Name, id) is { } entity
                ? GraphResponse.Ok(GraphJson.Entity(request, $"deviceManagement/{collection.Name}", (JsonObject)Paging.Select(request, Shape(request, collection, entity))))
                : NotFound(collection, id);
        }
    }

    private GraphResponse Create(GraphRequest request, PolicyCollection collection)
    {
        if (request.Body is not JsonObject body)
            return GraphJson.BadRequest("A JSON object is required.", Now);
        if (collection.Validate(body, true) is { } refusal)
            return GraphJson.BadRequest(refusal, Now);
        lock (store.Gate)
        {
            var entity = new PolicyEntity(newId(), collection.Name, (JsonObject)body.DeepClone(), [], Now);
            entity.Body["id"] = entity.Id;
            store.Put(entity);
            return GraphResponse.Created(GraphJson.Entity(request, $"deviceManagement/{collection.Name}", Shape(request, collection, entity)));
        }
    }

    private GraphResponse Patch(GraphRequest request, PolicyCollection collection, string id)
    {
        if (request.Body is not JsonObject patch)
            return GraphJson.BadRequest("A JSON object is required.", Now);
        // Graph: "Cannot apply PATCH to navigation property 'settings' on entity type '…deviceManagementConfigurationPolicy'"
        // (deploymenttheory/terraform-provider-microsoft365#2488; the fix, #2489, sends a PUT of the whole policy).
        if (collection.NavigationProperties.FirstOrDefault(patch.ContainsKey) is { } navigation)
            return GraphJson.BadRequest($"Cannot apply PATCH to navigation property '{navigation}' on entity type '{collection.Name}'.", Now);
        lock (store.Gate)
        {
            if (store.Find(collection.Name, id) is not { } entity)
                return NotFound(collection, id);
            var body = (JsonObject)entity.Body.DeepClone();
            foreach (var (name, value) in patch)
                body[name] = value?.DeepClone();
            if (collection.Validate(body, false) is { } refusal)
                return GraphJson.BadRequest(refusal, Now);
            store.Put(entity with { Body = body });
            return GraphResponse.NoContent();
        }
    }

    /// <summary>PUT replaces the entity whole (navigation properties included); its id, creation time and assignments stay.</summary>
    private GraphResponse Replace(GraphRequest request, PolicyCollection collection, string id)
    {
        if (request.Body is not JsonObject body)
            return GraphJson.BadRequest("A JSON object is required.", Now);
        if (collection.Validate(body, false) is { } refusal)
            return GraphJson.BadRequest(refusal, Now);
        lock (store.Gate)
        {
            if (store.Find(collection.Name, id) is not { } entity)
                return NotFound(collection, id);
            var replaced = (JsonObject)body.DeepClone();
            replaced["id"] = entity.Id;
            store.Put(entity with { Body = replaced });
            return GraphResponse.NoContent();
        }
    }

    /// <summary>A navigation property's items, paged as Graph pages them (a settings catalog policy's settings come 25 at a time).</summary>
    private GraphResponse NavigationList(GraphRequest request, PolicyCollection collection, string id, string navigation)
    {
        lock (store.Gate)
        {
            if (store.Find(collection.Name, id) is not { } entity)
                return NotFound(collection, id);
            var items = (entity.Body[navigation] as JsonArray ?? []).Select((item, index) => WithId(item, index)).ToList();
            return Paging.Page(request, items, collection.NavigationPageSize, options.MaxTop, $"deviceManagement/{collection.Name}('{id}')/{navigation}", i => i, Now);
        }
    }

    private static JsonNode WithId(JsonNode? item, int index)
    {
        var copy = item?.DeepClone() as JsonObject ?? [];
        copy["id"] ??= index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return copy;
    }

    private GraphResponse Delete(PolicyCollection collection, string id)
    {
        lock (store.Gate)
        {
            return store.Remove(collection.Name, id) ? GraphResponse.NoContent() : NotFound(collection, id);
        }
    }

    private GraphResponse Assignments(GraphRequest request, PolicyCollection collection, string id)
    {
        lock (store.Gate)
        {
            return store.Find(collection.Name, id) is { } entity
                ? Paging.Page(request, [.. entity.Assignments], 100, options.MaxTop, $"deviceManagement/{collection.Name}('{id}')/assignments", a => a.DeepClone(), Now)
                : NotFound(collection, id);
        }
    }

    private GraphResponse Assign(GraphRequest request, PolicyCollection collection, string id)
    {
        if (request.Body?[collection.AssignmentsProperty] is not JsonArray items)
            return GraphJson.BadRequest($"{collection.AssignmentsProperty} is required.", Now);
        var assignments = new List<JsonObject>();
        foreach (var item in items)
        {
            if (item is not JsonObject assignment || assignment["target"] is not JsonObject target || AssignmentTargets.Parse(target) is null)
                return GraphJson.BadRequest("Each assignment needs a target of a known type.", Now);
            var copy = (JsonObject)assignment.DeepClone();
            copy["id"] = $"{id}_{newId()}";
            assignments.Add(copy);
        }

        lock (store.Gate)
        {
            if (store.Find(collection.Name, id) is not { } entity)
                return NotFound(collection, id);
            store.Put(entity with { Assignments = assignments });
            return GraphResponse.Ok(new JsonObject { ["value"] = new JsonArray([.. assignments.Select(a => a.DeepClone())]) });
        }
    }

    /// <summary>The entity as Graph answers it: navigation properties only when $expand names them.</summary>
    private static JsonObject Shape(GraphRequest request, PolicyCollection collection, PolicyEntity entity)
    {
        var shape = (JsonObject)entity.Body.DeepClone();
        shape["id"] = entity.Id;
        shape["createdDateTime"] = GraphJson.Date(entity.CreatedDateTime);
        var expanded = Expanded(request);
        foreach (var navigation in collection.NavigationProperties.Where(n => !expanded.Contains(n)))
            shape.Remove(navigation);
        return shape;
    }

    /// <summary>The top-level names of $expand ("a($expand=b),c" → a, c).</summary>
    internal static IReadOnlySet<string> Expanded(GraphRequest request)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var (depth, start, expand) = (0, 0, request.QueryValue("$expand") ?? "");
        for (var i = 0; i <= expand.Length; i++)
        {
            if (i == expand.Length || (expand[i] == ',' && depth == 0))
            {
                var item = expand[start..i];
                var name = (item.IndexOf('(') is var open and >= 0 ? item[..open] : item).Trim();
                if (name.Length > 0)
                    names.Add(name);
                start = i + 1;
            }
            else if (expand[i] == '(')
            {
                depth++;
            }
            else if (expand[i] == ')')
            {
                depth--;
            }
        }

        return names;
    }

    private GraphResponse NotFound(PolicyCollection collection, string id) => GraphJson.NotFound($"{collection.Name} '{id}' not found.", Now);
}
