using IntuneBanSync.Enforcement;
using IntuneBanSync.Enforcement.Uninstall;
using Microsoft.Extensions.Time.Testing;

namespace IntuneBanSync.IntegrationTests.Journal;

/// <summary>
/// <see cref="WriteLog.SendEachAsync(IReadOnlyList{WriteIntent}, Func{IReadOnlyList{WriteIntent}, Task{IReadOnlyDictionary{string, ActionAnswer}}}, Func{WriteIntent, string?}, CancellationToken)"/>
/// writes the next step's intents and the last step's outcomes while a step is sent: an intent is still in the journal before its
/// request, and a step announced but never sent is journaled as not applied.
/// </summary>
public sealed class PipelinedWritesTests(AzuriteFixture azurite) : JournalTests(azurite)
{
    private const string Ban = "tiktok";

    [Fact]
    public async Task Every_step_is_journaled_before_it_is_sent_and_every_outcome_after()
    {
        var journal = await NewStoreAsync();
        var log = new WriteLog(journal, Tenant, "20260301T060000Z-aaaaaa", new FakeTimeProvider(Start));
        var intents = Intents(log, 2_100);
        var unjournaledWhenSent = new List<int>();

        var answers = await log.SendEachAsync(
            intents,
            async step =>
            {
                var journaled = (await journal.GetAuditAsync(Tenant, Ban, CancellationToken.None)).Select(e => e.Intent.WriteId).ToHashSet(StringComparer.Ordinal);
                lock (unjournaledWhenSent)
                    unjournaledWhenSent.Add(step.Count(i => !journaled.Contains(i.WriteId)));
                return step.ToDictionary(i => i.WriteId, _ => new ActionAnswer(204), StringComparer.Ordinal);
            },
            _ => null,
            CancellationToken.None);

        Assert.Equal([0, 0, 0], unjournaledWhenSent);
        Assert.Equal(2_100, answers.Count);
        var audit = await journal.GetAuditAsync(Tenant, Ban, CancellationToken.None);
        Assert.Equal(2_100, audit.Count);
        Assert.All(audit, e => Assert.Equal(WriteResult.Done, e.Outcome?.Result));
    }

    [Fact]
    public async Task A_step_that_fails_stays_open_and_the_step_announced_after_it_is_journaled_as_not_applied()
    {
        var (intents, audit, sent) = await FailingAsync<OperationCanceledException>(
            2_500, (n, step) => n == 2 ? throw new OperationCanceledException("the host died") : step.ToDictionary(i => i.WriteId, _ => new ActionAnswer(204), StringComparer.Ordinal));

        Assert.Equal(2_500, audit.Count);
        Assert.All(intents.Take(1_000), i => Assert.Equal(WriteResult.Done, audit[i.WriteId].Outcome?.Result));
        // The step in flight may or may not have reached the tenant: open, for the next sweep to reconcile.
        Assert.All(intents.Skip(1_000).Take(1_000), i => Assert.Null(audit[i.WriteId].Outcome));
        Assert.All(intents.Skip(2_000), i => Assert.Equal(WriteResult.NotApplied, audit[i.WriteId].Outcome?.Result));
        Assert.Equal(2, sent);
    }

    [Fact]
    public async Task A_403_stops_after_its_step_is_journaled_and_the_next_step_is_not_sent()
    {
        var (intents, audit, sent) = await FailingAsync<PermissionDeniedException>(
            1_500, (_, step) => step.ToDictionary(i => i.WriteId, _ => new ActionAnswer(403, "HTTP 403"), StringComparer.Ordinal));

        Assert.Equal(1, sent);
        Assert.All(intents.Take(1_000), i => Assert.Equal(WriteResult.Failed, audit[i.WriteId].Outcome?.Result));
        Assert.All(intents.Skip(1_000), i => Assert.Equal(WriteResult.NotApplied, audit[i.WriteId].Outcome?.Result));
    }

    /// <summary>Sends <paramref name="count"/> intents, the n-th step answered by <paramref name="answer"/>, expecting the send to fail; the audit after.</summary>
    private async Task<(List<WriteIntent> Intents, Dictionary<string, AuditEntry> Audit, int Sent)> FailingAsync<TException>(
        int count, Func<int, IReadOnlyList<WriteIntent>, IReadOnlyDictionary<string, ActionAnswer>> answer)
        where TException : Exception
    {
        var journal = await NewStoreAsync();
        var log = new WriteLog(journal, Tenant, "20260301T060000Z-bbbbbb", new FakeTimeProvider(Start));
        var intents = Intents(log, count);
        var sent = 0;

        await Assert.ThrowsAsync<TException>(() => log.SendEachAsync(intents, step => Task.FromResult(answer(++sent, step)), _ => null, CancellationToken.None));

        var audit = (await journal.GetAuditAsync(Tenant, Ban, CancellationToken.None)).ToDictionary(e => e.Intent.WriteId, StringComparer.Ordinal);
        return (intents, audit, sent);
    }

    private static List<WriteIntent> Intents(WriteLog log, int count) =>
        [.. Enumerable.Range(0, count).Select(i => log.Plan(UninstallAssignment.Id, Ban, $"device-{i:D5}", UninstallAssignment.SyncDevice, $"managedDevices/device-{i:D5}/syncDevice"))];
}
