using IntuneBanSync.Functions.Sweeps;
using Microsoft.Extensions.Hosting;

namespace IntuneBanSync.Functions.Composition;

/// <summary>
/// Creates the journal's tables (the attestations' among them), the locks', the ban lists' and the sweep queue once, when the host starts, so no
/// request pays for a create call and a storage account the app cannot reach stops it at start, not at the first sweep.
/// </summary>
public sealed class StorageSetup(JournalStore journal, TenantLocks locks, BanListStore banLists, SweepQueue queue) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await journal.EnsureCreatedAsync(cancellationToken);
        await locks.EnsureCreatedAsync(cancellationToken);
        await banLists.EnsureCreatedAsync(cancellationToken);
        await queue.EnsureCreatedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
