using System.Runtime.CompilerServices;
using Azure.Data.Tables;

namespace IntuneBanSync.Journal;

/// <summary>Runs, findings and per (ban, device) state in Table Storage. Tables are named {TablePrefix}Runs, {TablePrefix}Findings, {TablePrefix}DeviceStates.</summary>
public sealed class JournalStore(TableServiceClient service, string tablePrefix)
{
    /// <summary>The service's limit on the entities of one transaction.</summary>
    public const int MaxTransactionSize = 100;

    private readonly TableClient _runs = service.GetTableClient(JournalKeys.RunsTable(tablePrefix));
    private readonly TableClient _findings = service.GetTableClient(JournalKeys.FindingsTable(tablePrefix));
    private readonly TableClient _deviceStates = service.GetTableClient(JournalKeys.DeviceStatesTable(tablePrefix));

    public string RunsTableName => _runs.Name;

    public string FindingsTableName => _findings.Name;

    public string DeviceStatesTableName => _deviceStates.Name;

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        foreach (var table in (TableClient[])[_runs, _findings, _deviceStates])
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

        foreach (var partition in entities.GroupBy(entity => entity.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(MaxTransactionSize))
            {
                await UpsertInOneTransactionAsync(_deviceStates, chunk, ct);
            }
        }
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

    private static async Task UpsertInOneTransactionAsync<T>(TableClient table, IEnumerable<T> entities, CancellationToken ct) where T : ITableEntity
    {
        List<TableTransactionAction> actions = [.. entities.Select(entity => new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity))];

        await table.SubmitTransactionAsync(actions, ct);
    }

    // --- Enforcement (issue 3): implemented by the journal helper ---

    /// <summary>Intents, one row each in {prefix}Audit (PK tenant|ban, RK writeId|intent), in transactions of ≤ 100.</summary>
    public Task RecordIntentsAsync(string tenant, IReadOnlyCollection<WriteIntent> intents, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>Outcomes, one row each (RK writeId|outcome), in transactions of ≤ 100.</summary>
    public Task RecordOutcomesAsync(string tenant, IReadOnlyCollection<WriteOutcome> outcomes, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>Every intent of one ban with its outcome (null when none was written), in write-id order.</summary>
    public Task<IReadOnlyList<AuditEntry>> GetAuditAsync(string tenant, string banId, CancellationToken ct) => throw new NotImplementedException();

    public Task<BanResources?> GetBanResourcesAsync(string tenant, string banId, CancellationToken ct) => throw new NotImplementedException();

    public Task SaveBanResourcesAsync(string tenant, BanResources resources, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>Every ban this tenant has resources for, including bans no longer in the ban list.</summary>
    public Task<IReadOnlyList<BanResources>> ListBanResourcesAsync(string tenant, CancellationToken ct) => throw new NotImplementedException();
}
