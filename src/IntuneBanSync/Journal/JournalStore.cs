using Azure.Data.Tables;

namespace IntuneBanSync.Journal;

/// <summary>Runs, findings and per (ban, device) state in Table Storage. Tables are named {TablePrefix}Runs, {TablePrefix}Findings, {TablePrefix}DeviceStates.</summary>
public sealed class JournalStore(TableServiceClient service, string tablePrefix)
{
    private readonly TableServiceClient _service = service;
    private readonly string _prefix = tablePrefix;
    public Task EnsureCreatedAsync(CancellationToken ct) => throw new NotImplementedException();
    public Task SaveRunAsync(SweepRun run, CancellationToken ct) => throw new NotImplementedException();
    public Task<SweepRun?> GetRunAsync(string tenant, string runId, CancellationToken ct) => throw new NotImplementedException();
    public Task AppendFindingsAsync(string tenant, string runId, IReadOnlyCollection<Finding> findings, CancellationToken ct) => throw new NotImplementedException();
    public IAsyncEnumerable<Finding> GetFindingsAsync(string tenant, string runId, CancellationToken ct) => throw new NotImplementedException();
    public Task<IReadOnlyDictionary<string, DeviceBanState>> GetDeviceStatesAsync(string tenant, string banId, CancellationToken ct) => throw new NotImplementedException();
    public Task SaveDeviceStatesAsync(string tenant, IReadOnlyCollection<DeviceBanState> states, CancellationToken ct) => throw new NotImplementedException();
}
