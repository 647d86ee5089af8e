using Azure.Data.Tables;

namespace IntuneBanSync.Journal;

/// <summary>
/// A user's statement that they removed a ban's app from their device: self-reported, never proof that the device is clean.
/// <paramref name="UserId"/> and <paramref name="UserPrincipalName"/> are who said it (the signed-in principal, who is the
/// device's user); <paramref name="At"/> is when.
/// </summary>
public sealed record Attestation(
    string BanId,
    string DeviceId,
    string UserId,
    string UserPrincipalName,
    DateTimeOffset At,
    string? DeviceName = null);

/// <summary>
/// Attestations in {prefix}Attestations: PK tenant|ban, RK device|ticks (UTC ticks, 19 digits, so a device's rows sort by time).
/// Every attestation is kept; a second one for the same device and ban is a new row.
/// </summary>
public sealed class AttestationStore
{
    private readonly TableClient _table;
    private readonly CreateOnce _created;

    public AttestationStore(TableServiceClient service, string tablePrefix)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = service.GetTableClient(JournalKeys.AttestationsTable(tablePrefix));
        _created = new CreateOnce(ct => _table.CreateIfNotExistsAsync(ct));
    }

    public string TableName => _table.Name;

    /// <summary>Creates the table once per store: later calls cost no request.</summary>
    public Task EnsureCreatedAsync(CancellationToken ct) => _created.RunAsync(ct);

    public async Task RecordAsync(string tenant, Attestation attestation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        var entity = TableRows.ToEntity(JournalKeys.Attestation(tenant, attestation.BanId, attestation.DeviceId, attestation.At), attestation);

        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
    }

    /// <summary>The latest attestation of each device for one ban, keyed by managed device id.</summary>
    public async Task<IReadOnlyDictionary<string, Attestation>> ListAsync(string tenant, string banId, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {JournalKeys.AttestationsPartition(tenant, banId)}");
        var latest = new Dictionary<string, Attestation>(StringComparer.OrdinalIgnoreCase);

        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            var attestation = TableRows.ToRow<Attestation>(entity);
            if (!latest.TryGetValue(attestation.DeviceId, out var known) || known.At <= attestation.At)
                latest[attestation.DeviceId] = attestation;
        }

        return latest;
    }

    /// <summary>Every attestation of one device, for every ban of the tenant, oldest first.</summary>
    public async Task<IReadOnlyList<Attestation>> ForDeviceAsync(string tenant, string deviceId, CancellationToken ct)
    {
        var (from, to) = JournalKeys.TenantRange(tenant);
        var (rowFrom, rowTo) = JournalKeys.AttestationDeviceRange(deviceId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {from} and PartitionKey lt {to} and RowKey ge {rowFrom} and RowKey lt {rowTo}");

        var found = new List<Attestation>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            found.Add(TableRows.ToRow<Attestation>(entity));
        return [.. found.OrderBy(a => a.At).ThenBy(a => a.BanId, StringComparer.Ordinal)];
    }
}
