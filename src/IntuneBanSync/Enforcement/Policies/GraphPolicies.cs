namespace IntuneBanSync.Enforcement.Policies;

/// <summary>
/// The Intune policies a mechanism creates for a ban (compliance policies, device configurations, settings catalog policies,
/// remediations, assignment filters): found by name, created, updated, assigned, deleted, all as JSON on beta. Nothing here knows
/// which policies are ours: the mechanisms ask only about the ids their ledger holds, or a name only they use.
/// </summary>
public sealed class GraphPolicies(GraphJson graph)
{
    private readonly GraphActions _actions = new(graph);

    /// <summary>A collection under deviceManagement on beta, e.g. "deviceCompliancePolicies".</summary>
    public string Collection(string name) => $"{graph.Beta}/deviceManagement/{name}";

    /// <summary>The entities of a collection whose name property equals <paramref name="name"/> exactly (Graph's $filter ignores case).</summary>
    public async Task<IReadOnlyList<JsonElement>> FindByNameAsync(string collection, string nameProperty, string name, CancellationToken ct)
    {
        var url = $"{Collection(collection)}?$filter={Uri.EscapeDataString($"{nameProperty} eq {ODataFilter.Quote(name)}")}";
        var found = new List<JsonElement>();
        await foreach (var item in graph.ListAsync($"the {collection} named {name}", url, ct))
        {
            if (item.TryGetProperty(nameProperty, out var value) && value.GetString() == name)
                found.Add(item);
        }

        return found;
    }

    /// <summary>Every entity of a collection (for reading what others configured, e.g. a conflicting restriction).</summary>
    public IAsyncEnumerable<JsonElement> ListAsync(string collection, CancellationToken ct, string? query = null) =>
        graph.ListAsync($"the tenant's {collection}", Collection(collection) + (query is null ? "" : "?" + query), ct);

    public Task<JsonElement?> GetAsync(string collection, string id, CancellationToken ct, string? query = null) =>
        graph.GetAsync($"{collection} {id}", $"{Collection(collection)}/{Uri.EscapeDataString(id)}" + (query is null ? "" : "?" + query), ct);

    /// <summary>Creates an entity and answers its id.</summary>
    public async Task<string> CreateAsync(string collection, JsonObject body, CancellationToken ct)
    {
        var what = $"create the {collection} entry {body["displayName"] ?? body["name"]}";
        var created = await graph.WriteAsync(what, Method.POST, Collection(collection), body, ct);
        return created is { } json && json.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } value
            ? value
            : throw new GraphWriteException(what, null, new InvalidOperationException("Graph answered without the created entity's id."));
    }

    public Task UpdateAsync(string collection, string id, JsonObject patch, CancellationToken ct) =>
        graph.WriteAsync($"update {collection} {id}", Method.PATCH, $"{Collection(collection)}/{Uri.EscapeDataString(id)}", patch, ct);

    /// <summary>Deletes an entity; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string collection, string id, CancellationToken ct)
    {
        try
        {
            await graph.WriteAsync($"delete {collection} {id}", Method.DELETE, $"{Collection(collection)}/{Uri.EscapeDataString(id)}", null, ct);
            return true;
        }
        catch (GraphWriteException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>The targets a policy is assigned to (null entries are kinds we never assign).</summary>
    public async Task<IReadOnlyList<PolicyTarget?>> AssignmentsAsync(string collection, string id, CancellationToken ct)
    {
        var targets = new List<PolicyTarget?>();
        await foreach (var assignment in graph.ListAsync($"the assignments of {collection} {id}", $"{Collection(collection)}/{Uri.EscapeDataString(id)}/assignments", ct))
            targets.Add(assignment.TryGetProperty("target", out var target) ? PolicyTarget.FromJson(target) : null);
        return targets;
    }

    /// <summary>
    /// Replaces every assignment of a policy IntuneBanSync created (POST …/assign replaces them all: it is called only for ids our
    /// ledger holds, never for an object someone else made).
    /// </summary>
    public Task AssignOurAsync(string collection, string id, string assignmentsProperty, IReadOnlyList<JsonObject> assignments, CancellationToken ct) =>
        graph.WriteAsync(
            $"assign {collection} {id}", Method.POST, $"{Collection(collection)}/{Uri.EscapeDataString(id)}/assign",
            new JsonObject { [assignmentsProperty] = new JsonArray([.. assignments]) }, ct);

    /// <summary>A POST action on an entity (e.g. a compliance policy's scheduleActionsForRules).</summary>
    public Task ActAsync(string what, string url, JsonNode? body, CancellationToken ct) => graph.WriteAsync(what, Method.POST, url, body, ct);

    /// <summary>One beta action per object, 20 to a $batch (<see cref="GraphActions"/>); one answer per key.</summary>
    public Task<IReadOnlyDictionary<string, ActionAnswer>> ActEachAsync(string what, IReadOnlyList<GraphAction> actions, CancellationToken ct) =>
        _actions.PostEachAsync(what, GraphVersion.Beta, actions, ct);

    public GraphJson Json => graph;
}
