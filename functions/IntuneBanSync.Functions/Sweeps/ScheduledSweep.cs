using IntuneBanSync.Functions.Composition;
using IntuneBanSync.Sweeps;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>The scheduled sweep of every tenant, each ban in its own mode. A past-due run is an ordinary sweep; a locked tenant is skipped, not an error.</summary>
public sealed class ScheduledSweep(SweepRunner runner, TenantSweeps tenants, ILogger<ScheduledSweep> logger)
{
    [Function(nameof(ScheduledSweep))]
    public async Task Run([TimerTrigger("%IntuneBanSync:Schedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken ct)
    {
        foreach (var tenant in tenants.Names)
        {
            var outcome = await runner.RunAsync(tenant, "timer", SweepTarget.WholeTenant, null, "timer", null, ct);
            if (!outcome.Ran)
                logger.LogInformation("Scheduled sweep of {Tenant} skipped: locked by {Holder} until {Until}", tenant, outcome.LockedBy?.Holder, outcome.LockedBy?.ExpiresAt);
        }
    }
}
