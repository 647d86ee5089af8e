using System.Runtime.CompilerServices;
using Azure.Data.Tables;

namespace IntuneBanSync.Journal;

/// <summary>Runs, findings, per (ban, device) state, the audit of writes and what was created per ban, in Table Storage. Tables are named {TablePrefix}Runs, {TablePrefix}Findings, {TablePrefix}DeviceStates, {TablePrefix}Audit and {TablePrefix}BanResources.</summary>
public sealed class JournalStore(TableServiceClient service, string tablePrefix)
{
    /// <summary>The service's limit on the entities of one transaction.</summary>
    public const int MaxTransactionSize = 100;

    private readonly TableClient _runs = service.GetTableClient(JournalKeys.RunsTable(tablePrefix));
    private readonly TableClient _findings = service.GetTableClient(JournalKeys.FindingsTable(tablePrefix));
    private readonly TableClient _deviceStates = service.GetTableClient(JournalKeys.DeviceStatesTable(tablePrefix));
    private readonly TableClient _audit = service.GetTableClient(JournalKeys.AuditTable(tablePrefix));
    private readonly TableClient _banResources = service.GetTableClient(JournalKeys.BanResourcesTable(tablePrefix));

    public string RunsTableName => _runs.Name;

    public string FindingsTableName => _findings.Name;

    public string DeviceStatesTableName => _deviceStates.Name;

    public string AuditTableName => _audit.Name;

    public string BanResourcesTableName => _banResources.Name;

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        foreach (var table in (TableClient[])[_runs, _findings, _deviceStates, _audit, _banResources])
        {
            await table.CreateIfNotExistsAsync(ct);
        }
    }

    /// <summary>Writes the run, replacing what was saved before under the same tenant and run id.</summary>
    public async Task SaveRunAsync(SweepRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var entity = JournalMapping.ToEntity(run);

        await _runs.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
    }

    public async Task<SweepRun?> GetRunAsync(string tenant, string runId, CancellationToken ct)
    {
        var key = JournalKeys.Run(tenant, runId);

        var response = await _runs.GetEntityIfExistsAsync<RunEntity>(key.PartitionKey, key.RowKey, cancellationToken: ct);

        return response.HasValue ? JournalMapping.ToRecord(response.Value!) : null;
    }

    /// <summary>The tenant's runs, in run id order.</summary>
    public async IAsyncEnumerable<SweepRun> ListRunsAsync(string tenant, [EnumeratorCancellation] CancellationToken ct)
    {
        var partition = JournalKeys.RunsPartition(tenant);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");

        await foreach (var entity in _runs.QueryAsync<RunEntity>(filter, cancellationToken: ct))
        {
            yield return JournalMapping.ToRecord(entity);
        }
    }

    /// <summary>
    /// Writes the findings of one run in transactions of at most 100. A finding for the same (ban, device) replaces the
    /// earlier one, so a retried run writes the same rows again instead of failing on duplicates.
    /// </summary>
    public async Task AppendFindingsAsync(string tenant, string runId, IReadOnlyCollection<Finding> findings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var entities = LastPerRow(findings.Select(finding => JournalMapping.ToEntity(tenant, runId, finding)));

        foreach (var chunk in entities.Chunk(MaxTransactionSize))
        {
            await UpsertInOneTransactionAsync(_findings, chunk, ct);
        }
    }

    public async IAsyncEnumerable<Finding> GetFindingsAsync(string tenant, string runId, [EnumeratorCancellation] CancellationToken ct)
    {
        var partition = JournalKeys.FindingsPartition(tenant, runId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");

        await foreach (var entity in _findings.QueryAsync<FindingEntity>(filter, cancellationToken: ct))
        {
            yield return JournalMapping.ToRecord(entity);
        }
    }

    /// <summary>What the journal knows of each device for one ban, keyed by managed device id.</summary>
    public async Task<IReadOnlyDictionary<string, DeviceBanState>> GetDeviceStatesAsync(string tenant, string banId, CancellationToken ct)
    {
        var partition = JournalKeys.DeviceStatesPartition(tenant, banId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");

        var states = new Dictionary<string, DeviceBanState>(StringComparer.Ordinal);
        await foreach (var entity in _deviceStates.QueryAsync<DeviceStateEntity>(filter, cancellationToken: ct))
        {
            states[entity.DeviceId] = JournalMapping.ToRecord(entity);
        }

        return states;
    }

    /// <summary>What the journal knows of one device across every ban of the tenant.</summary>
    public async IAsyncEnumerable<DeviceBanState> GetDeviceStatesForDeviceAsync(string tenant, string deviceId, [EnumeratorCancellation] CancellationToken ct)
    {
        var (from, to) = JournalKeys.TenantDeviceStatesRange(tenant);
        var row = JournalKeys.DeviceStateRow(deviceId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {from} and PartitionKey lt {to} and RowKey eq {row}");

        await foreach (var entity in _deviceStates.QueryAsync<DeviceStateEntity>(filter, cancellationToken: ct))
        {
            yield return JournalMapping.ToRecord(entity);
        }
    }

    /// <summary>Writes the states, replacing earlier ones, in one transaction per ban and hundred devices.</summary>
    public async Task SaveDeviceStatesAsync(string tenant, IReadOnlyCollection<DeviceBanState> states, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(states);
        var entities = LastPerRow(states.Select(state => JournalMapping.ToEntity(tenant, state)));

        await UpsertPerPartitionAsync(_deviceStates, entities, ct);
    }

    /// <summary>
    /// Builds every entity before the first request, so an invalid key fails the call with nothing written; and keeps
    /// the last of duplicate rows, because a transaction rejects the same row twice.
    /// </summary>
    private static List<T> LastPerRow<T>(IEnumerable<T> entities) where T : ITableEntity
    {
        var byRow = new Dictionary<(string, string), int>();
        var result = new List<T>();
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

    /// <summary>A transaction holds one partition, so rows are grouped by partition, then sent a hundred at a time.</summary>
    private static async Task UpsertPerPartitionAsync<T>(TableClient table, IEnumerable<T> entities, CancellationToken ct) where T : ITableEntity
    {
        foreach (var partition in entities.GroupBy(entity => entity.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(MaxTransactionSize))
            {
                await UpsertInOneTransactionAsync(table, chunk, ct);
            }
        }
    }

    private static async Task UpsertInOneTransactionAsync<T>(TableClient table, IEnumerable<T> entities, CancellationToken ct) where T : ITableEntity
    {
        List<TableTransactionAction> actions = [.. entities.Select(entity => new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity))];

        await table.SubmitTransactionAsync(actions, ct);
    }

    /// <summary>
    /// Intents, one row each in {prefix}Audit (PK tenant|ban, RK writeId|intent), in transactions of ≤ 100. Written before
    /// the requests they announce, so a crash between the two leaves an intent without outcome for the next sweep to reconcile.
    /// </summary>
    public async Task RecordIntentsAsync(string tenant, IReadOnlyCollection<WriteIntent> intents, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(intents);
        var entities = LastPerRow(intents.Select(intent => JournalMapping.ToEntity(tenant, intent)));

        await UpsertPerPartitionAsync(_audit, entities, ct);
    }

    /// <summary>Outcomes, one row each (RK writeId|outcome), in transactions of ≤ 100. A second outcome for a write replaces the first.</summary>
    public async Task RecordOutcomesAsync(string tenant, IReadOnlyCollection<WriteOutcome> outcomes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var entities = LastPerRow(outcomes.Select(outcome => JournalMapping.ToEntity(tenant, outcome)));

        await UpsertPerPartitionAsync(_audit, entities, ct);
    }

    /// <summary>Every intent of one ban with its outcome (null when none was written), in write-id order.</summary>
    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(string tenant, string banId, CancellationToken ct)
    {
        var partition = JournalKeys.AuditPartition(tenant, banId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");

        var intents = new List<WriteIntent>();
        var outcomes = new Dictionary<string, WriteOutcome>(StringComparer.Ordinal);
        await foreach (var entity in _audit.QueryAsync<AuditEntity>(filter, cancellationToken: ct))
        {
            switch (entity.Kind)
            {
                case JournalKeys.IntentKind:
                    intents.Add(JournalMapping.ToIntent(entity));
                    break;
                case JournalKeys.OutcomeKind:
                    outcomes[entity.WriteId] = JournalMapping.ToOutcome(entity);
                    break;
                default:
                    throw new InvalidDataException($"Audit row {entity.RowKey} of {entity.PartitionKey} has the unknown kind '{entity.Kind}'.");
            }
        }

        // Rows sort by "writeId|kind", which is not write-id order when one id is a prefix of another.
        return [.. intents
            .OrderBy(intent => intent.WriteId, StringComparer.Ordinal)
            .Select(intent => new AuditEntry(intent, outcomes.GetValueOrDefault(intent.WriteId)))];
    }

    public async Task<BanResources?> GetBanResourcesAsync(string tenant, string banId, CancellationToken ct)
    {
        var key = JournalKeys.BanResources(tenant, banId);

        var response = await _banResources.GetEntityIfExistsAsync<BanResourcesEntity>(key.PartitionKey, key.RowKey, cancellationToken: ct);

        return response.HasValue ? JournalMapping.ToRecord(response.Value!) : null;
    }

    /// <summary>Writes what exists in the tenant for the ban, replacing what was saved before.</summary>
    public async Task SaveBanResourcesAsync(string tenant, BanResources resources, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var entity = JournalMapping.ToEntity(tenant, resources);

        await _banResources.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
    }

    /// <summary>Every ban this tenant has resources for, including bans no longer in the ban list, in ban id order.</summary>
    public async Task<IReadOnlyList<BanResources>> ListBanResourcesAsync(string tenant, CancellationToken ct)
    {
        var partition = JournalKeys.BanResourcesPartition(tenant);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");

        var resources = new List<BanResources>();
        await foreach (var entity in _banResources.QueryAsync<BanResourcesEntity>(filter, cancellationToken: ct))
        {
            resources.Add(JournalMapping.ToRecord(entity));
        }

        return resources;
    }
}
