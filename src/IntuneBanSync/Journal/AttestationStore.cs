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
    public const string TableSuffix = "Attestations";

    private readonly TableClient _table;
    private readonly CreateOnce _created;

    public AttestationStore(TableServiceClient service, string tablePrefix)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = service.GetTableClient(JournalKeys.ValidateTablePrefix(tablePrefix) + TableSuffix);
        _created = new CreateOnce(ct => _table.CreateIfNotExistsAsync(ct));
    }

    public string TableName => _table.Name;

    /// <summary>Creates the table once per store: later calls cost no request.</summary>
    public Task EnsureCreatedAsync(CancellationToken ct) => _created.RunAsync(ct);

    public async Task RecordAsync(string tenant, Attestation attestation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        var entity = TableRows.ToEntity(AttestationKeys.Row(tenant, attestation.BanId, attestation.DeviceId, attestation.At), attestation);

        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
    }

    /// <summary>The latest attestation of each device for one ban, keyed by managed device id.</summary>
    public async Task<IReadOnlyDictionary<string, Attestation>> ListAsync(string tenant, string banId, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AttestationKeys.Partition(tenant, banId)}");
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
        var (from, to) = AttestationKeys.TenantRange(tenant);
        var (rowFrom, rowTo) = AttestationKeys.DeviceRange(deviceId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {from} and PartitionKey lt {to} and RowKey ge {rowFrom} and RowKey lt {rowTo}");

        var found = new List<Attestation>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            found.Add(TableRows.ToRow<Attestation>(entity));
        return [.. found.OrderBy(a => a.At).ThenBy(a => a.BanId, StringComparer.Ordinal)];
    }

    /// <summary>The keys of the table, validated as <see cref="JournalKeys"/> validates the journal's: no part contains the separator.</summary>
    internal static class AttestationKeys
    {
        public static string Partition(string tenant, string banId) => Composite(Part(tenant, "tenant"), Part(banId, "banId"));

        public static TableKey Row(string tenant, string banId, string deviceId, DateTimeOffset at) =>
            new(Partition(tenant, banId), Composite(Part(deviceId, "deviceId"), at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)));

        /// <summary>Every "{tenant}|…" partition sorts at or after the lower bound and before the upper, because '}' follows '|'.</summary>
        public static (string FromInclusive, string ToExclusive) TenantRange(string tenant)
        {
            var part = Part(tenant, "tenant");
            return (part + JournalKeys.Separator, part + (char)(JournalKeys.Separator + 1));
        }

        public static (string FromInclusive, string ToExclusive) DeviceRange(string deviceId)
        {
            var part = Part(deviceId, "deviceId");
            return (part + JournalKeys.Separator, part + (char)(JournalKeys.Separator + 1));
        }

        private static string Part(string? value, string field)
        {
            TableKeys.Validate(value, field);
            if (value!.Contains(JournalKeys.Separator))
                throw new ArgumentException($"The {field} must not contain '{JournalKeys.Separator}': it separates the parts of a journal key.", field);
            return value;
        }

        private static string Composite(string first, string second) => TableKeys.Validate($"{first}{JournalKeys.Separator}{second}", "key");
    }
}
