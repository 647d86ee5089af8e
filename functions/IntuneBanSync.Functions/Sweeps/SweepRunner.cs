using IntuneBanSync.Functions.Composition;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>What every trigger shares: the tenant's current ban list, its engine, its lock.</summary>
public sealed class SweepRunner(TenantSweeps tenants, BanListSource banLists)
{
    /// <param name="tenant">A tenant of this deployment, in any case: it is swept, locked and journaled under its canonical name.</param>
    public async Task<SweepOutcome> RunAsync(string tenant, string trigger, SweepChoices sweep, string holder, string? runId, CancellationToken ct)
    {
        var name = tenants.Find(tenant) ?? throw new ArgumentException($"'{tenant}' is not a tenant of this deployment.", nameof(tenant));
        var banList = await banLists.LoadAsync(name, ct);
        return await tenants.For(name).RunAsync(sweep.ToRequest(banList, name, trigger, runId), holder, null, ct);
    }
}
