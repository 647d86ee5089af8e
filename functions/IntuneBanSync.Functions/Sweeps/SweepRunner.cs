using IntuneBanSync.BanList;
using IntuneBanSync.Functions.Composition;
using IntuneBanSync.Sweeps;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>What every trigger shares: the tenant's current ban list, its engine, its lock.</summary>
public sealed class SweepRunner(TenantSweeps tenants, BanListSource banLists)
{
    public async Task<SweepOutcome> RunAsync(
        string tenant, string trigger, SweepTarget target, EnforcementMode? mode, string holder, string? runId, CancellationToken ct)
    {
        var banList = await banLists.LoadAsync(tenant, ct);
        return await tenants.For(tenant).RunAsync(new SweepRequest(banList, tenant, trigger, target, mode, RunId: runId), holder, null, ct);
    }
}
