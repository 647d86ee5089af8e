using IntuneBanSync.Sweeps;
using Microsoft.Azure.Functions.Worker;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>The scheduled sweep of the whole tenant: each ban in its own mode (report or enforce). A past-due run is an ordinary sweep.</summary>
public sealed class ScheduledSweep(SweepRunner runner)
{
    [Function(nameof(ScheduledSweep))]
    public async Task Run([TimerTrigger("%IntuneBanSync:Schedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken ct) =>
        await runner.RunAsync("timer", SweepTarget.WholeTenant, null, ct);
}
