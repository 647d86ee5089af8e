using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace IntuneBanSync.Journal;

/// <summary>
/// Runs, findings, per (ban, device) state, the audit of writes and what was created per ban, in Table Storage. Tables are
/// named {TablePrefix}Runs, {TablePrefix}Findings, {TablePrefix}DeviceStates, {TablePrefix}Audit and {TablePrefix}BanResources.
/// </summary>
public sealed class JournalStore
{
    /// <summary>The service's limit on the entities of one transaction.</summary>
    public const int MaxTransactionSize = 100;

    /// <summary>The real service's scalability target for one partition; each partition's transactions are paced to stay under it.</summary>
    public const int MaxEntitiesPerSecondPerPartition = 2_000;

    /// <summary>Transactions in flight at once, each on its own partition.</summary>
    public const int MaxParallelTransactions = 8;

    private const string KindColumn = "Kind";

    private readonly TableClient _runs;
    private readonly TableClient _findings;
    private readonly TableClient _deviceStates;
    private readonly TableClient _audit;
    private readonly TableClient _banResources;
    private readonly CreateOnce _created;
    private readonly PartitionPacing _pacing = new(TimeProvider.System);

    public JournalStore(TableServiceClient service, string tablePrefix)
    {
        _runs = service.GetTableClient(JournalKeys.RunsTable(tablePrefix));
        _findings = service.GetTableClient(JournalKeys.FindingsTable(tablePrefix));
        _deviceStates = service.GetTableClient(JournalKeys.DeviceStatesTable(tablePrefix));
        _audit = service.GetTableClient(JournalKeys.AuditTable(tablePrefix));
        _banResources = service.GetTableClient(JournalKeys.BanResourcesTable(tablePrefix));
        Attestations = new AttestationStore(service, tablePrefix);
        _created = new CreateOnce(CreateTablesAsync);
    }

    /// <summary>The users' attestations, which the planner reads: self-reported removals that stand in for "unverified".</summary>
    public AttestationStore Attestations { get; }

    public string RunsTableName => _runs.Name;

    public string FindingsTableName => _findings.Name;

    public string DeviceStatesTableName => _deviceStates.Name;

    public string AuditTableName => _audit.Name;

    public string BanResourcesTableName => _banResources.Name;

    /// <summary>What this store has written: transactions, rows, rows per partition (JournalGrowthTests hold the journal to its floor with it).</summary>
    public JournalStats Stats { get; } = new();

    /// <summary>Creates the tables once per store: later calls cost no request.</summary>
    public Task EnsureCreatedAsync(CancellationToken ct) => _created.RunAsync(ct);

    private async Task CreateTablesAsync(CancellationToken ct)
    {
        // Side by side: six round trips a new process pays before its first sweep, not one after another.
        await Task.WhenAll(
            [.. ((TableClient[])[_runs, _findings, _deviceStates, _audit, _banResources]).Select(table => (Task)table.CreateIfNotExistsAsync(ct)), Attestations.EnsureCreatedAsync(ct)]);
    }

    /// <summary>Writes the run, replacing what was saved before under the same tenant and run id.</summary>
    public async Task SaveRunAsync(SweepRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var entity = TableRows.ToEntity(JournalKeys.Run(run.Tenant, run.RunId), run);

        await UpsertOneAsync(_runs, entity, ct);
    }

    /// <summary>
    /// Points the tenant at its latest sweep that saved device states: a state row is written only when it changes, so "still
    /// seen" is read from that sweep's findings, not from a column every row would need rewritten each sweep.
    /// </summary>
    public async Task SaveLatestSweepAsync(string tenant, LatestSweep latest, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(latest);
        await UpsertOneAsync(_runs, TableRows.ToEntity(JournalKeys.LatestSweep(tenant), latest), ct);
    }

    public async Task<LatestSweep?> GetLatestSweepAsync(string tenant, CancellationToken ct)
    {
        var key = JournalKeys.LatestSweep(tenant);

        var response = await _runs.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: ct);

        return response.HasValue ? TableRows.ToRow<LatestSweep>(response.Value!) : null;
    }

    public async Task<SweepRun?> GetRunAsync(string tenant, string runId, CancellationToken ct)
    {
        var key = JournalKeys.Run(tenant, runId);

        var response = await _runs.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: ct);

        return response.HasValue ? TableRows.ToRow<SweepRun>(response.Value!) : null;
    }

    /// <summary>The tenant's runs, in run id order.</summary>
    public IAsyncEnumerable<SweepRun> ListRunsAsync(string tenant, CancellationToken ct) =>
        QueryAsync<SweepRun>(_runs, JournalKeys.RunsPartition(tenant), ct);

    /// <summary>The tenant's runs still marked running (at most a few: one per sweep that is running or died).</summary>
    public async IAsyncEnumerable<SweepRun> ListRunningAsync(string tenant, [EnumeratorCancellation] CancellationToken ct)
    {
        var partition = JournalKeys.RunsPartition(tenant);
        // Rows written before statuses were stored in kebab case say "Running".
        var (running, legacy) = (TableRows.EnumName(SweepStatus.Running), SweepStatus.Running.ToString());
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and (Status eq {running} or Status eq {legacy})");
        await foreach (var entity in _runs.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            yield return TableRows.ToRow<SweepRun>(entity);
    }

    /// <summary>
    /// Writes the findings of one run in transactions of at most 100. A finding for the same (ban, device) replaces the
    /// earlier one, so a retried run writes the same rows again instead of failing on duplicates.
    /// </summary>
    public async Task AppendFindingsAsync(string tenant, string runId, IReadOnlyCollection<Finding> findings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var entities = LastPerRow(findings.Select(f => TableRows.ToEntity(JournalKeys.Finding(tenant, runId, f.BanId, f.DeviceId), f)));

        await UpsertPerPartitionAsync(_findings, entities, ct);
    }

    /// <summary>Every finding of one run, from each of its partitions (and the single partition of runs written before findings were spread).</summary>
    public IAsyncEnumerable<Finding> GetFindingsAsync(string tenant, string runId, CancellationToken ct) =>
        QueryFilteredAsync<Finding>(_findings, LegacyOrSpread(JournalKeys.FindingsPartition(tenant, runId)), ct);

    /// <summary>One (ban, device)'s finding in one run, or null when the run listed none for it.</summary>
    public async Task<Finding?> GetFindingAsync(string tenant, string runId, string banId, string deviceId, CancellationToken ct)
    {
        var key = JournalKeys.Finding(tenant, runId, banId, deviceId);

        var response = await _findings.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: ct);

        return response.HasValue ? TableRows.ToRow<Finding>(response.Value!) : null;
    }

    /// <summary>What the journal knows of each device for one ban, keyed by managed device id.</summary>
    public async Task<IReadOnlyDictionary<string, DeviceBanState>> GetDeviceStatesAsync(string tenant, string banId, CancellationToken ct)
    {
        var states = new Dictionary<string, DeviceBanState>(StringComparer.OrdinalIgnoreCase);
        // The legacy partition comes before the spread ones, so a device's spread row, written later, replaces its legacy one.
        foreach (var entity in await LegacyThenSpreadAsync(_deviceStates, JournalKeys.DeviceStatesPartition(tenant, banId), ct))
        {
            var state = TableRows.ToRow<DeviceBanState>(entity);
            if (!states.ContainsKey(state.DeviceId) || IsSpread(entity.PartitionKey, tenant, banId))
                states[state.DeviceId] = state;
        }

        return states;
    }

    /// <summary>What the journal knows of one device across every ban of the tenant.</summary>
    public async IAsyncEnumerable<DeviceBanState> GetDeviceStatesForDeviceAsync(string tenant, string deviceId, [EnumeratorCancellation] CancellationToken ct)
    {
        var (from, to) = JournalKeys.TenantRange(tenant);
        var row = JournalKeys.DeviceStateRow(deviceId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {from} and PartitionKey lt {to} and RowKey eq {row}");

        // One row per ban: a spread row replaces the legacy one written before states were spread.
        var byBan = new Dictionary<string, DeviceBanState>(StringComparer.Ordinal);
        await foreach (var entity in _deviceStates.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            var state = TableRows.ToRow<DeviceBanState>(entity);
            if (!byBan.ContainsKey(state.BanId) || IsSpread(entity.PartitionKey, tenant, state.BanId))
                byBan[state.BanId] = state;
        }

        foreach (var state in byBan.Values)
            yield return state;
    }

    private static bool IsSpread(string partitionKey, string tenant, string banId) =>
        !string.Equals(partitionKey, JournalKeys.DeviceStatesPartition(tenant, banId), StringComparison.Ordinal);

    /// <summary>Writes the states, replacing earlier ones, in one transaction per ban and hundred devices.</summary>
    public async Task SaveDeviceStatesAsync(string tenant, IReadOnlyCollection<DeviceBanState> states, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(states);
        var entities = LastPerRow(states.Select(s => TableRows.ToEntity(JournalKeys.DeviceState(tenant, s.BanId, s.DeviceId), s)));

        await UpsertPerPartitionAsync(_deviceStates, entities, ct);
    }

    /// <summary>
    /// Intents, one row each in {prefix}Audit (PK tenant|ban|shard of the write id, RK writeId|intent), in transactions of ≤ 100. Written before
    /// the requests they announce, so a crash between the two leaves an intent without outcome for the next sweep to reconcile.
    /// </summary>
    public async Task RecordIntentsAsync(string tenant, IReadOnlyCollection<WriteIntent> intents, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(intents);
        var entities = LastPerRow(intents.Select(i => AuditRow(JournalKeys.AuditIntent(tenant, i.BanId, i.WriteId), i, JournalKeys.IntentKind)));

        await UpsertPerPartitionAsync(_audit, entities, ct);
    }

    /// <summary>Outcomes, one row each (RK writeId|outcome), in transactions of ≤ 100. A second outcome for a write replaces the first.</summary>
    public async Task RecordOutcomesAsync(string tenant, IReadOnlyCollection<WriteOutcome> outcomes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var entities = LastPerRow(outcomes.Select(o => AuditRow(JournalKeys.AuditOutcome(tenant, o.BanId, o.WriteId), o, JournalKeys.OutcomeKind)));

        await UpsertPerPartitionAsync(_audit, entities, ct);
    }

    /// <summary>Every intent of one ban with its outcome (null when none was written), in write-id order.</summary>
    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(string tenant, string banId, CancellationToken ct)
    {
        var filter = LegacyOrSpread(JournalKeys.AuditPartition(tenant, banId));

        var intents = new List<WriteIntent>();
        var outcomes = new Dictionary<string, WriteOutcome>(StringComparer.Ordinal);
        await foreach (var entity in _audit.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            switch (entity.GetString(KindColumn))
            {
                case JournalKeys.IntentKind:
                    intents.Add(TableRows.ToRow<WriteIntent>(entity));
                    break;
                case JournalKeys.OutcomeKind:
                    var outcome = TableRows.ToRow<WriteOutcome>(entity);
                    outcomes[outcome.WriteId] = outcome;
                    break;
                case var kind:
                    throw new InvalidDataException($"Audit row {entity.RowKey} of {entity.PartitionKey} has the unknown kind '{kind}'.");
            }
        }

        // Rows come partition by partition and sort by "writeId|kind", which is not write-id order when one id is a prefix of another.
        return [.. intents
            .OrderBy(intent => intent.WriteId, StringComparer.Ordinal)
            .Select(intent => new AuditEntry(intent, outcomes.GetValueOrDefault(intent.WriteId)))];
    }

    public async Task<BanResources?> GetBanResourcesAsync(string tenant, string banId, CancellationToken ct)
    {
        var key = JournalKeys.BanResources(tenant, banId);

        var response = await _banResources.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: ct);

        return response.HasValue ? ToResources(response.Value!) : null;
    }

    /// <summary>Writes what exists in the tenant for the ban, replacing what was saved before. Stored exactly or refused, never cut.</summary>
    public async Task SaveBanResourcesAsync(string tenant, BanResources resources, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var entity = TableRows.ToEntity(JournalKeys.BanResources(tenant, resources.BanId), resources);

        await UpsertOneAsync(_banResources, entity, ct);
    }

    /// <summary>Every ban this tenant has resources for, including bans no longer in the ban list, in ban id order.</summary>
    public async Task<IReadOnlyList<BanResources>> ListBanResourcesAsync(string tenant, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {JournalKeys.BanResourcesPartition(tenant)}");
        var resources = new List<BanResources>();
        await foreach (var entity in _banResources.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            resources.Add(ToResources(entity));
        return resources;
    }

    private static TableEntity AuditRow<T>(TableKey key, T row, string kind) where T : notnull
    {
        var entity = TableRows.ToEntity(key, row);
        entity[KindColumn] = kind;
        return entity;
    }

    private static IAsyncEnumerable<T> QueryAsync<T>(TableClient table, string partition, CancellationToken ct) =>
        QueryFilteredAsync<T>(table, TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), ct);

    private static async IAsyncEnumerable<T> QueryFilteredAsync<T>(TableClient table, string filter, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            yield return TableRows.ToRow<T>(entity);
    }

    /// <summary>
    /// A partition written before its rows were spread, then each spread partition, in the order one range query over them gives.
    /// They are read side by side: a range query pages through the partitions one after another (7,000 device states took a
    /// second and a half on the critical path of every sweep), and the service serves queries of distinct partitions in parallel.
    /// </summary>
    private static async Task<IReadOnlyList<TableEntity>> LegacyThenSpreadAsync(TableClient table, string legacy, CancellationToken ct)
    {
        var partitions = await Task.WhenAll(JournalKeys.SpreadPartitions(legacy).Prepend(legacy).Select(async partition =>
        {
            var rows = new List<TableEntity>();
            await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: ct))
                rows.Add(entity);
            return rows;
        }));
        return [.. partitions.SelectMany(rows => rows)];
    }

    /// <summary>A partition written before its rows were spread, and every spread partition of it.</summary>
    private static string LegacyOrSpread(string legacy)
    {
        var (from, to) = JournalKeys.SpreadRange(legacy);
        return TableClient.CreateQueryFilter($"PartitionKey eq {legacy} or (PartitionKey ge {from} and PartitionKey lt {to})");
    }

    /// <summary>Rows written before resources were typed held a group and an app list; they are read as typed resources of the uninstall assignment.</summary>
    private static BanResources ToResources(TableEntity entity) =>
        entity.ContainsKey(nameof(BanResources.Resources)) ? TableRows.ToRow<BanResources>(entity) : LegacyResources.Read(entity);

    /// <summary>
    /// Builds every entity before the first request, so an invalid key fails the call with nothing written; and keeps
    /// the last of duplicate rows, because a transaction rejects the same row twice.
    /// </summary>
    private static List<TableEntity> LastPerRow(IEnumerable<TableEntity> entities)
    {
        var byRow = new Dictionary<(string, string), int>();
        var result = new List<TableEntity>();
        foreach (var entity in entities)
        {
            if (byRow.TryGetValue((entity.PartitionKey, entity.RowKey), out var index))
            {
                result[index] = entity;
            }
            else
            {
                byRow.Add((entity.PartitionKey, entity.RowKey), result.Count);
                result.Add(entity);
            }
        }

        return result;
    }

    private async Task UpsertOneAsync(TableClient table, TableEntity entity, CancellationToken ct)
    {
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
        Stats.SingleWrite(table.Name, entity.PartitionKey);
    }

    /// <summary>
    /// A transaction holds one partition, so rows are grouped by partition and sent a hundred at a time: partitions in parallel
    /// (bounded), each partition's transactions one after another and paced under its entities-per-second target.
    /// </summary>
    private async Task UpsertPerPartitionAsync(TableClient table, IEnumerable<TableEntity> entities, CancellationToken ct)
    {
        var partitions = entities.GroupBy(entity => entity.PartitionKey, StringComparer.Ordinal).ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxParallelTransactions, CancellationToken = ct };
        await Parallel.ForEachAsync(partitions, options, async (partition, token) =>
        {
            foreach (var chunk in partition.Chunk(MaxTransactionSize))
            {
                await _pacing.WaitTurnAsync(table.Name, partition.Key, chunk.Length, token);
                await table.SubmitTransactionAsync([.. chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))], token);
                Stats.Transaction(table.Name, partition.Key, chunk.Length);
            }
        });
    }

    /// <summary>
    /// When each partition may take its next rows: a transaction of n rows books n / 2,000 s of its partition. Wall-clock, as the
    /// service's own limit is.
    /// </summary>
    private sealed class PartitionPacing(TimeProvider clock)
    {
        private readonly ConcurrentDictionary<(string Table, string Partition), long> _freeAt = new();

        public async Task WaitTurnAsync(string table, string partition, int rows, CancellationToken ct)
        {
            var now = clock.GetTimestamp();
            var cost = rows * clock.TimestampFrequency / MaxEntitiesPerSecondPerPartition;
            var start = now;
            _freeAt.AddOrUpdate((table, partition), now + cost, (_, freeAt) => (start = Math.Max(freeAt, now)) + cost);
            if (_freeAt.Count > 1_000)
                Forget(now);
            if (start > now)
                await Task.Delay(clock.GetElapsedTime(now, start), clock, ct);
        }

        private void Forget(long now)
        {
            foreach (var (key, freeAt) in _freeAt)
            {
                if (freeAt < now)
                    _freeAt.TryRemove(KeyValuePair.Create(key, freeAt));
            }
        }
    }

    /// <summary>The shape of {prefix}BanResources rows before mechanisms: GroupName, GroupId, GroupCreatedByUs, WoundDown, AppsJson.</summary>
    private static class LegacyResources
    {
        private static readonly MechanismName Uninstall = new("uninstall-assignment");
        private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

        public static BanResources Read(TableEntity entity)
        {
            var at = entity.Timestamp ?? DateTimeOffset.MinValue;
            var resources = new List<CreatedResource>();
            if (entity.GetString("GroupId") is { Length: > 0 } groupId && entity.GetBoolean("GroupCreatedByUs") == true)
                resources.Add(new CreatedResource(new("group"), groupId, Uninstall, at, entity.GetString("GroupName")));
            var apps = JsonSerializer.Deserialize<List<LegacyApp>>(entity.GetString("AppsJson") ?? "[]", Json) ?? [];
            foreach (var app in apps)
            {
                if (app.AppCreatedByUs)
                    resources.Add(new CreatedResource(new("catalog-app"), app.AppId, Uninstall, at, app.Route));
                if (app.AssignmentCreatedByUs && app.AssignmentId is { } assignment)
                    resources.Add(new CreatedResource(new("app-assignment"), assignment, Uninstall, at, app.Route, app.AppId));
            }

            return new BanResources(entity.RowKey, resources, entity.GetBoolean("WoundDown") ?? false);
        }

        private sealed record LegacyApp(string Route, string AppId, bool AppCreatedByUs, string? AssignmentId, bool AssignmentCreatedByUs);
    }
}
