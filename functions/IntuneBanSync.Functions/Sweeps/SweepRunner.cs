using IntuneBanSync.BanList;
using IntuneBanSync.Functions.Composition;
using IntuneBanSync.Reports;
using IntuneBanSync.Sweeps;
using Microsoft.Extensions.Options;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>What both triggers share: this tenant, the current ban list, the engine.</summary>
public sealed class SweepRunner(SweepEngine engine, BanListSource banList, IOptions<IntuneBanSyncOptions> options)
{
    public Task<SweepReport> RunAsync(string trigger, SweepTarget target, EnforcementMode? mode, CancellationToken ct) =>
        engine.RunAsync(new SweepRequest(banList.Load(), options.Value.Tenant, trigger, target, mode), null, ct);
}
