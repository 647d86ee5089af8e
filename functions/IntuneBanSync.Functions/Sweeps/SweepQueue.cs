using System.Text.Json;
using Azure.Storage.Queues;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>
/// A whole-tenant sweep to run from the queue: one asked for over HTTP (too long for the 230 s an HTTP call may take), or one
/// tenant's turn of the scheduled sweep. Trigger is what the run is journaled as (messages without one came from the helpdesk).
/// </summary>
public sealed record QueuedSweep(string Tenant, string RunId, string? Mode, string RequestedBy, DateTimeOffset? AsOf = null, string? Trigger = null)
{
    /// <summary>What the run is journaled as: its trigger, the helpdesk when the message carries none.</summary>
    public string JournaledTrigger => Trigger ?? "helpdesk";
}

public sealed class SweepQueue(QueueClient queue)
{
    public const string Name = "ibs-sweeps";
    public const string PoisonName = Name + "-poison";

    /// <summary>Called once, when the host starts (<see cref="Composition.StorageSetup"/>).</summary>
    public async Task EnsureCreatedAsync(CancellationToken ct) => await queue.CreateIfNotExistsAsync(cancellationToken: ct);

    public async Task EnqueueAsync(QueuedSweep sweep, CancellationToken ct) =>
        await queue.SendMessageAsync(JsonSerializer.Serialize(sweep, JsonSerializerOptions.Web), ct);

    /// <summary>Journals the run as queued, then queues its work item: the run row and the message name the same run, tenant, trigger and mode.</summary>
    public async Task QueueRunAsync(JournalStore journal, QueuedSweep sweep, EnforcementMode mode, DateTimeOffset now, CancellationToken ct)
    {
        await journal.SaveRunAsync(new SweepRun(sweep.RunId, sweep.Tenant, sweep.JournaledTrigger, mode, now, null, SweepStatus.Queued, SweepCounts.Empty), ct);
        await EnqueueAsync(sweep, ct);
    }

    /// <summary>The message, its tenant in canonical form (a message queued before tenant names were canonical may carry another case).</summary>
    public static QueuedSweep Parse(string message)
    {
        var sweep = JsonSerializer.Deserialize<QueuedSweep>(message, JsonSerializerOptions.Web)
            ?? throw new JsonException("The queued sweep message is empty.");
        return TenantName.IsValid(sweep.Tenant)
            ? sweep with { Tenant = TenantName.Canonical(sweep.Tenant) }
            : throw new JsonException($"The queued sweep message names no valid tenant: tenant must be {TenantName.Rule}.");
    }
}
