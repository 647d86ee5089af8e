namespace IntuneBanSync.TenantSimulator;

/// <summary>One Intune policy-like entity (a compliance policy, a device configuration, a remediation, a filter) with its assignments.</summary>
public sealed record PolicyEntity(string Id, string Collection, JsonObject Body, IReadOnlyList<JsonObject> Assignments, DateTimeOffset CreatedDateTime)
{
    public string? Text(string property) => Body[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public string? ODataType => Text("@odata.type")?.TrimStart('#');

    /// <summary>The assignments' targets.</summary>
    public IEnumerable<JsonObject> Targets => Assignments.Select(a => a["target"]).OfType<JsonObject>();
}

/// <summary>Policies kept per collection; part of the tenant's ground truth, for tests to inspect. Guarded by the tenant's gate.</summary>
public sealed class PolicyStore
{
    private readonly Dictionary<string, List<PolicyEntity>> _collections = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate;

    internal PolicyStore(Lock gate) => _gate = gate;

    /// <summary>A snapshot of one collection, e.g. "deviceCompliancePolicies".</summary>
    public IReadOnlyList<PolicyEntity> Of(string collection)
    {
        lock (_gate)
            return _collections.TryGetValue(collection, out var list) ? [.. list] : [];
    }

    internal IReadOnlyList<PolicyEntity> OfUnlocked(string collection) =>
        _collections.TryGetValue(collection, out var list) ? list : [];

    internal PolicyEntity? Find(string collection, string id) =>
        OfUnlocked(collection).FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));

    internal void Put(PolicyEntity entity)
    {
        if (!_collections.TryGetValue(entity.Collection, out var list))
            _collections[entity.Collection] = list = [];
        var at = list.FindIndex(p => string.Equals(p.Id, entity.Id, StringComparison.OrdinalIgnoreCase));
        if (at >= 0)
            list[at] = entity;
        else
            list.Add(entity);
    }

    internal bool Remove(string collection, string id) =>
        _collections.TryGetValue(collection, out var list) && list.RemoveAll(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)) > 0;

    /// <summary>The lock every change and read of the store takes (the tenant's own gate).</summary>
    internal Lock Gate => _gate;
}
