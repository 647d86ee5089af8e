namespace IntuneBanSync.Enforcement;

/// <summary>Asked before every write: throws when the sweep may no longer write (its tenant lock was lost or could not be renewed).</summary>
public interface IWriteGuard
{
    /// <summary>Why the sweep may no longer write, once it may not; null while it may.</summary>
    string? LostReason { get; }

    void ThrowIfLost();
}

/// <summary>Every write to the tenant goes through here: its intent is journaled before the request, its outcome after.</summary>
public sealed class WriteLog(JournalStore journal, string tenant, string runId, TimeProvider time, IWriteGuard? guard = null)
{
    private readonly List<WriteRecord> _writes = [];
    private int _sequence;

    public IReadOnlyList<WriteRecord> Writes
    {
        get
        {
            lock (_writes)
                return [.. _writes];
        }
    }

    public WriteIntent Plan(MechanismName mechanism, string banId, string? deviceId, WriteAction action, string target) =>
        new($"{runId}-{Interlocked.Increment(ref _sequence):D6}", banId, deviceId, action, target, runId, time.GetUtcNow(), mechanism);

    /// <summary>Journals the intent, sends, journals the outcome. A refused write is journaled as failed and rethrown.</summary>
    public async Task<T> SendAsync<T>(WriteIntent intent, Func<Task<T>> send, Func<T, (WriteResult Result, string? Detail)> describe, CancellationToken ct)
    {
        guard?.ThrowIfLost();
        await journal.RecordIntentsAsync(tenant, [intent], ct);
        T answer;
        try
        {
            answer = await send();
        }
        catch (GraphWriteException e)
        {
            await RecordAsync([(intent, WriteResult.Failed, e.Message)], ct);
            if (e.Status == 403)
                throw new PermissionDeniedException(intent.Action, e);
            throw;
        }

        var (result, detail) = describe(answer);
        await RecordAsync([(intent, result, detail)], ct);
        return answer;
    }

    /// <summary>One request covering several logical writes (a PATCH of up to 20 members): all intents first, then all outcomes.</summary>
    public async Task<T> SendManyAsync<T>(
        IReadOnlyList<WriteIntent> intents, Func<Task<T>> send, Func<T, WriteIntent, (WriteResult Result, string? Detail)> describe, CancellationToken ct)
    {
        guard?.ThrowIfLost();
        await journal.RecordIntentsAsync(tenant, intents, ct);
        var answer = await send();
        await RecordAsync([.. intents.Select(i => Described(i, describe(answer, i)))], ct);
        return answer;
    }

    /// <summary>
    /// One action per intent, sent many to a request (<see cref="GraphActions"/>), a step at a time: each step's intents journaled
    /// before it is sent, its outcomes after. An action not done is journaled as failed with Graph's answer; a 403 stops the mechanism
    /// once its step's outcomes are journaled. Answers by write id.
    /// </summary>
    public Task<IReadOnlyDictionary<string, ActionAnswer>> SendEachAsync(
        IReadOnlyList<WriteIntent> intents, Func<IReadOnlyList<WriteIntent>, Task<IReadOnlyDictionary<string, ActionAnswer>>> send,
        Func<WriteIntent, string?> doneDetail, CancellationToken ct) =>
        SendEachAsync(InSteps(intents).ToAsyncEnumerable(), send, doneDetail, ct);

    /// <summary>
    /// The steps as they come (a mechanism may still be producing them): the next step's intents and the last step's outcomes are
    /// written while a step's requests are out, so the write bucket does not idle while the journal is written. A step that throws
    /// leaves its intents open for the next sweep to reconcile; the step announced after it, never sent, is journaled as not applied.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ActionAnswer>> SendEachAsync(
        IAsyncEnumerable<IReadOnlyList<WriteIntent>> steps, Func<IReadOnlyList<WriteIntent>, Task<IReadOnlyDictionary<string, ActionAnswer>>> send,
        Func<WriteIntent, string?> doneDetail, CancellationToken ct)
    {
        guard?.ThrowIfLost();
        var answers = new Dictionary<string, ActionAnswer>(StringComparer.Ordinal);
        await using var pending = steps.GetAsyncEnumerator(ct);
        var announcing = AnnounceNextAsync(pending, ct);
        var recording = Task.CompletedTask;
        try
        {
            while (await announcing is { } step)
            {
                guard?.ThrowIfLost();
                announcing = AnnounceNextAsync(pending, ct);
                var answered = await send(step);
                await recording;
                foreach (var intent in step)
                    answers[intent.WriteId] = AnswerOf(answered, intent);
                recording = RecordAsync(
                    [.. step.Select(w => answers[w.WriteId] is { Done: true } ? (w, WriteResult.Done, doneDetail(w)) : (w, WriteResult.Failed, answers[w.WriteId].Detail))], ct);
                if (step.FirstOrDefault(w => answers[w.WriteId].Status == 403) is { } denied)
                {
                    await recording;
                    throw new PermissionDeniedException(denied.Action, new GraphWriteException(denied.Target, 403, new HttpRequestException(answers[denied.WriteId].Detail)));
                }
            }

            await recording;
        }
        catch
        {
            await recording.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await ((Task)announcing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            // The step announced last was never sent: the one before it failed, or the guard stopped the sweep before it.
            if (announcing.IsCompletedSuccessfully && announcing.Result is { } unsent)
                await NotSentAsync(unsent, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        return answers;
    }

    /// <summary>The next non-empty step, its intents journaled; null when there is none.</summary>
    private async Task<IReadOnlyList<WriteIntent>?> AnnounceNextAsync(IAsyncEnumerator<IReadOnlyList<WriteIntent>> steps, CancellationToken ct)
    {
        while (await steps.MoveNextAsync())
        {
            if (steps.Current.Count == 0)
                continue;
            await journal.RecordIntentsAsync(tenant, steps.Current, ct);
            return steps.Current;
        }

        return null;
    }

    /// <summary>Steps of at most <see cref="IntentsPerStep"/> out of a mechanism's own steps.</summary>
    public static IEnumerable<IReadOnlyList<WriteIntent>> InSteps(IReadOnlyList<WriteIntent> intents) => intents.Chunk(IntentsPerStep);

    private Task NotSentAsync(IReadOnlyList<WriteIntent> intents, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return journal.RecordOutcomesAsync(tenant, [.. intents.Select(i => Outcome(i, WriteResult.NotApplied, "not sent: the step before it failed", now))], ct);
    }

    private static ActionAnswer AnswerOf(IReadOnlyDictionary<string, ActionAnswer> answers, WriteIntent intent) =>
        answers.GetValueOrDefault(intent.WriteId) ?? ActionAnswer.None;

    /// <summary>
    /// Five windows' worth of device writes (200 per 20 s): ten table transactions of intents, written while the step before is sent;
    /// smaller steps would make more of them, larger ones more to reconcile after a crash.
    /// </summary>
    private const int IntentsPerStep = 1_000;

    private static (WriteIntent, WriteResult, string?) Described(WriteIntent intent, (WriteResult Result, string? Detail) outcome) =>
        (intent, outcome.Result, outcome.Detail);

    /// <summary>An outcome for an intent an earlier, interrupted sweep left open, found out by reading the tenant.</summary>
    public Task ReconcileAsync(IReadOnlyList<ReconciledWrite> outcomes, CancellationToken ct)
    {
        if (outcomes.Count == 0)
            return Task.CompletedTask;
        var now = time.GetUtcNow();
        return journal.RecordOutcomesAsync(tenant, [.. outcomes.Select(o => Outcome(o.Intent, o.Result, o.Detail, now))], ct);
    }

    private async Task RecordAsync(IReadOnlyList<(WriteIntent Intent, WriteResult Result, string? Detail)> outcomes, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await journal.RecordOutcomesAsync(tenant, [.. outcomes.Select(o => Outcome(o.Intent, o.Result, o.Detail, now))], ct);
        lock (_writes)
            _writes.AddRange(outcomes.Select(o => new WriteRecord(o.Intent.BanId, o.Intent.Action.Name, o.Intent.Target, WireName.Of(o.Result))));
    }

    private static WriteOutcome Outcome(WriteIntent intent, WriteResult result, string? detail, DateTimeOffset at) =>
        new(intent.WriteId, intent.BanId, result, detail, at);
}

/// <summary>Graph refused a write with 403: the app lacks a permission. Not a <see cref="GraphWriteException"/>, so no mechanism treats it as one device's failure: it stops the mechanism.</summary>
public sealed class PermissionDeniedException(WriteAction action, GraphWriteException inner) : Exception($"Graph refused {action} with 403: {inner.Message}", inner);

/// <summary>A write the service refused (after the SDK's retries): the tenant is unchanged by it.</summary>
public sealed class GraphWriteException(string what, int? status, Exception inner)
    : Exception($"Could not {what}: {(status is { } s ? $"HTTP {s}" : inner.Message)}", inner)
{
    public int? Status { get; } = status;
}
