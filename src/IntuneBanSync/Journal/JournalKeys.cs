namespace IntuneBanSync.Journal;

/// <summary>Every table name and key of the journal is derived here, and validated here.</summary>
public static class JournalKeys
{
    /// <summary>Separates the parts of a composite key; the parts themselves may not contain it, so a key has one reading.</summary>
    public const char Separator = '|';

    /// <summary>The last part of an audit row key: the row holds a write's intent or its outcome.</summary>
    public const string IntentKind = "intent";

    public const string OutcomeKind = "outcome";

    /// <summary>Table names are at most 63 characters and the longest suffixes, "DeviceStates" and "BanResources", have 12.</summary>
    public const int MaxTablePrefixLength = 63 - 12;

    public static string RunsTable(string prefix) => ValidateTablePrefix(prefix) + "Runs";

    public static string FindingsTable(string prefix) => ValidateTablePrefix(prefix) + "Findings";

    public static string DeviceStatesTable(string prefix) => ValidateTablePrefix(prefix) + "DeviceStates";

    public static string AuditTable(string prefix) => ValidateTablePrefix(prefix) + "Audit";

    public static string BanResourcesTable(string prefix) => ValidateTablePrefix(prefix) + "BanResources";

    public static string AttestationsTable(string prefix) => ValidateTablePrefix(prefix) + "Attestations";

    public static string RunsPartition(string tenant) => Part(tenant, "tenant");

    public static TableKey Run(string tenant, string runId) => new(RunsPartition(tenant), Part(runId, "runId"));

    /// <summary>
    /// A run's findings are spread over this many partitions by device, so their transactions go in parallel and no partition
    /// takes more than its share of the service's ~2,000 entities/s per partition.
    /// </summary>
    public const int FindingPartitions = 16;

    /// <summary>The one partition of a run's findings before they were spread (still read).</summary>
    public static string FindingsPartition(string tenant, string runId) => Composite(Part(tenant, "tenant"), Part(runId, "runId"), "tenant and runId");

    /// <summary>The partition of a device's findings in one run: "{tenant}|{runId}|{shard}", the shard two hex digits from the device id.</summary>
    public static string FindingsPartition(string tenant, string runId, string deviceId) =>
        Spread(FindingsPartition(tenant, runId), Part(deviceId, "deviceId"), "tenant and runId");

    public static TableKey Finding(string tenant, string runId, string banId, string deviceId) =>
        new(FindingsPartition(tenant, runId, deviceId), Composite(Part(banId, "banId"), Part(deviceId, "deviceId"), "banId and deviceId"));

    /// <summary>Every spread partition of a run's findings, as a half-open range ('}' follows '|' directly).</summary>
    /// <summary>"{partition}|{shard}": the shard two hex digits of <see cref="FindingShard"/> over the id.</summary>
    private static string Spread(string partition, string id, string what) => Shard(partition, FindingShard(id), what);

    /// <summary>Every spread partition of a partition, in key order: the shards <see cref="FindingShard"/> gives.</summary>
    public static IEnumerable<string> SpreadPartitions(string partition) =>
        Enumerable.Range(0, FindingPartitions).Select(shard => Shard(partition, shard, "partition"));

    private static string Shard(string partition, int shard, string what) => TableKeys.Validate($"{partition}{Separator}{shard:x2}", what);

    /// <summary>Every spread partition of a partition, as a half-open range ('}' follows '|' directly).</summary>
    public static (string FromInclusive, string ToExclusive) SpreadRange(string partition) => (partition + Separator, partition + (char)(Separator + 1));

    /// <summary>FNV-1a over the id in lower case: stable across processes (string.GetHashCode is not), so a retried run rewrites the same rows.</summary>
    public static int FindingShard(string deviceId)
    {
        var hash = 2166136261u;
        foreach (var c in deviceId)
            hash = (hash ^ char.ToLowerInvariant(c)) * 16777619u;
        return (int)(hash % FindingPartitions);
    }

    /// <summary>A tenant's pointer to its latest sweep that saved device states, beside (never inside) its runs' partition.</summary>
    public static TableKey LatestSweep(string tenant) => new(Composite(Part(tenant, "tenant"), "latest", "tenant"), "sweep");

    /// <summary>The one partition of a ban's device states before they were spread (still read; a spread row wins over it).</summary>
    public static string DeviceStatesPartition(string tenant, string banId) => Composite(Part(tenant, "tenant"), Part(banId, "banId"), "tenant and banId");

    /// <summary>
    /// The partition of one device's state for a ban: "{tenant}|{banId}|{shard}", spread like findings, so a sweep's states are written in
    /// parallel transactions and no partition takes more than its share of the service's ~2,000 entities/s.
    /// </summary>
    public static string DeviceStatesPartition(string tenant, string banId, string deviceId) =>
        Spread(DeviceStatesPartition(tenant, banId), Part(deviceId, "deviceId"), "tenant and banId");

    public static TableKey DeviceState(string tenant, string banId, string deviceId) => new(DeviceStatesPartition(tenant, banId, deviceId), DeviceStateRow(deviceId));

    /// <summary>Every spread partition of a ban's device states, as a half-open range ('}' follows '|' directly).</summary>
    public static (string FromInclusive, string ToExclusive) DeviceStatesRange(string tenant, string banId) => SpreadRange(DeviceStatesPartition(tenant, banId));

    public static string DeviceStateRow(string deviceId) => Part(deviceId, "deviceId");

    /// <summary>The one partition of a ban's audit before it was spread (still read).</summary>
    public static string AuditPartition(string tenant, string banId) => Composite(Part(tenant, "tenant"), Part(banId, "banId"), "tenant and banId");

    /// <summary>A write's partition of the ban's audit: "{tenant}|{banId}|{shard}", the shard from <see cref="AuditShard"/>.</summary>
    public static string AuditPartition(string tenant, string banId, string writeId) =>
        TableKeys.Validate($"{AuditPartition(tenant, banId)}{Separator}{AuditShard(writeId):x2}", "tenant and banId");

    /// <summary>
    /// Writes are journaled a thousand at a time ("{runId}-{sequence}"): each thousand of a run shares a shard, so a step's rows make
    /// full transactions, and the run's next thousand, and other runs, go to other shards. Ids of another shape are hashed.
    /// </summary>
    public static int AuditShard(string writeId)
    {
        var dash = writeId.LastIndexOf('-');
        return dash > 0 && long.TryParse(writeId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? (int)((FindingShard(writeId[..dash]) + (sequence / 1_000)) % FindingPartitions)
            : FindingShard(writeId);
    }

    /// <summary>The intent and the outcome of one write sit side by side in the same spread partition.</summary>
    public static TableKey AuditIntent(string tenant, string banId, string writeId) => new(AuditPartition(tenant, banId, writeId), AuditRow(writeId, IntentKind));

    public static TableKey AuditOutcome(string tenant, string banId, string writeId) => new(AuditPartition(tenant, banId, writeId), AuditRow(writeId, OutcomeKind));

    public static string BanResourcesPartition(string tenant) => Part(tenant, "tenant");

    public static TableKey BanResources(string tenant, string banId) => new(BanResourcesPartition(tenant), Part(banId, "banId"));

    /// <summary>
    /// The partitions holding a tenant's rows in a table keyed "{tenant}|…" (device states, attestations), as a half-open range:
    /// every "{tenant}|…" sorts at or after the lower bound and before the upper bound, because '}' follows '|' directly.
    /// </summary>
    public static (string FromInclusive, string ToExclusive) TenantRange(string tenant) => SpreadRange(Part(tenant, "tenant"));

    public static string AttestationsPartition(string tenant, string banId) => Composite(Part(tenant, "tenant"), Part(banId, "banId"), "tenant and banId");

    /// <summary>PK tenant|ban, RK device|UTC ticks (19 digits, so a device's rows sort by time).</summary>
    public static TableKey Attestation(string tenant, string banId, string deviceId, DateTimeOffset at) =>
        new(AttestationsPartition(tenant, banId), Composite(Part(deviceId, "deviceId"), at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture), "deviceId"));

    /// <summary>Every row key of one device's attestations, as a half-open range.</summary>
    public static (string FromInclusive, string ToExclusive) AttestationDeviceRange(string deviceId) => SpreadRange(Part(deviceId, "deviceId"));

    /// <summary>Returns the prefix when tables named with it are valid: ASCII letters and digits, starting with a letter.</summary>
    public static string ValidateTablePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            throw new ArgumentException("The table prefix must not be empty.", nameof(prefix));
        }

        if (prefix.Length > MaxTablePrefixLength)
        {
            throw new ArgumentException($"The table prefix is {prefix.Length} characters long; at most {MaxTablePrefixLength} keep table names within 63.", nameof(prefix));
        }

        if (!char.IsAsciiLetter(prefix[0]) || !prefix.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"The table prefix '{prefix}' must be ASCII letters and digits, starting with a letter.", nameof(prefix));
        }

        return prefix;
    }

    private static string Part(string? value, string field)
    {
        TableKeys.Validate(value, field);
        if (value!.Contains(Separator))
        {
            throw new ArgumentException($"The {field} must not contain '{Separator}': it separates the parts of a journal key.", field);
        }

        return value;
    }

    private static string AuditRow(string writeId, string kind) => Composite(Part(writeId, "writeId"), kind, "writeId");

    private static string Composite(string first, string second, string field) => TableKeys.Validate($"{first}{Separator}{second}", field);
}

/// <summary>Where one entity lives.</summary>
public readonly record struct TableKey(string PartitionKey, string RowKey);
