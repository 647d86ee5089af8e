using System.Text.Json;
using Azure.Storage.Queues;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>A whole-tenant sweep asked for over HTTP: too long for the 230 s an HTTP call may take, so it runs from the queue.</summary>
public sealed record QueuedSweep(string Tenant, string RunId, string? Mode, string RequestedBy);

public sealed class SweepQueue(QueueClient queue)
{
    public const string Name = "ibs-sweeps";
    public const string PoisonName = Name + "-poison";

    public async Task EnqueueAsync(QueuedSweep sweep, CancellationToken ct)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        await queue.SendMessageAsync(JsonSerializer.Serialize(sweep, JsonSerializerOptions.Web), ct);
    }

    public static QueuedSweep Parse(string message) =>
        JsonSerializer.Deserialize<QueuedSweep>(message, JsonSerializerOptions.Web)
        ?? throw new JsonException("The queued sweep message is empty.");
}
