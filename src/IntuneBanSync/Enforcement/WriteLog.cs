using IntuneBanSync.Journal;
using IntuneBanSync.Reports;

namespace IntuneBanSync.Enforcement;

/// <summary>Every write to the tenant goes through here: its intent is journaled before the request, its outcome after.</summary>
public sealed class WriteLog(JournalStore journal, string tenant, string runId, TimeProvider time)
{
    private int _sequence;

    public List<WriteRecord> Writes { get; } = [];

    public WriteIntent Plan(string banId, string? deviceId, string action, string target) =>
        new($"{runId}-{Interlocked.Increment(ref _sequence):D6}", banId, deviceId, action, target, runId, time.GetUtcNow());

    /// <summary>Journals the intent, sends, journals the outcome. A refused write is journaled as failed and rethrown.</summary>
    public async Task<T> SendAsync<T>(WriteIntent intent, Func<Task<T>> send, Func<T, (string Result, string? Detail)> describe, CancellationToken ct)
    {
        await journal.RecordIntentsAsync(tenant, [intent], ct);
        T answer;
        try
        {
            answer = await send();
        }
        catch (GraphWriteException e)
        {
            await RecordAsync([(intent, "failed", e.Message)], ct);
            throw;
        }

        var (result, detail) = describe(answer);
        await RecordAsync([(intent, result, detail)], ct);
        return answer;
    }

    /// <summary>One request covering several logical writes (a PATCH of up to 20 members): all intents first, then all outcomes.</summary>
    public async Task<T> SendManyAsync<T>(
        IReadOnlyList<WriteIntent> intents, Func<Task<T>> send, Func<T, WriteIntent, (string Result, string? Detail)> describe, CancellationToken ct)
    {
        await journal.RecordIntentsAsync(tenant, intents, ct);
        var answer = await send();
        await RecordAsync(intents.Select(i => (i, describe(answer, i).Result, describe(answer, i).Detail)).ToList(), ct);
        return answer;
    }

    /// <summary>An outcome for an intent an earlier, interrupted sweep left open, found out by reading the tenant.</summary>
    public Task ReconcileAsync(IReadOnlyList<(WriteIntent Intent, string Result, string Detail)> outcomes, CancellationToken ct) =>
        outcomes.Count == 0
            ? Task.CompletedTask
            : journal.RecordOutcomesAsync(
                tenant, outcomes.Select(o => new WriteOutcome(o.Intent.WriteId, o.Intent.BanId, o.Result, o.Detail, time.GetUtcNow())).ToList(), ct);

    private async Task RecordAsync(IReadOnlyList<(WriteIntent Intent, string Result, string? Detail)> outcomes, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await journal.RecordOutcomesAsync(tenant, outcomes.Select(o => new WriteOutcome(o.Intent.WriteId, o.Intent.BanId, o.Result, o.Detail, now)).ToList(), ct);
        lock (Writes)
            Writes.AddRange(outcomes.Select(o => new WriteRecord(o.Intent.BanId, o.Intent.Action, o.Intent.Target, o.Result)));
    }
}
