namespace IntuneBanSync.Enforcement.Groups;

/// <summary>
/// Entra replicates a group for a few seconds after it answers its creation: until then GET, PATCH and members/$ref on it answer 404
/// (msgraph-sdk-java #2575, terraform-provider-azuread #283). A 404 from a group created in this sweep is that lag, not a missing
/// object: the call is made again after a wait on the sweep's clock, for a bounded time, and then the caller says the group has not
/// replicated yet (the next sweep finishes). A group this sweep did not create gets no second call.
/// </summary>
public sealed class GroupReplication(TimeProvider time, TimeSpan patience)
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(1);

    private readonly HashSet<string> _created = new(StringComparer.OrdinalIgnoreCase);

    public void Created(string groupId) => _created.Add(groupId);

    public bool JustCreated(string groupId) => _created.Contains(groupId);

    /// <summary>
    /// Calls until the group answers (no 404 thrown, and the answer is not <paramref name="groupMissing"/>), the group turns out not to
    /// be one this sweep created, or patience runs out; waits double from one second. Returns the last answer, or rethrows the last 404.
    /// </summary>
    public async Task<T> UntilReplicatedAsync<T>(string groupId, Func<Task<T>> call, Func<T, bool> groupMissing, CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        var wait = FirstWait;
        while (true)
        {
            try
            {
                var answer = await call();
                if (!groupMissing(answer) || !MayWait())
                    return answer;
            }
            catch (Exception e) when (NotFound(e) && MayWait())
            {
                // Not replicated yet: wait and ask again.
            }

            var next = wait < patience - waited ? wait : patience - waited;
            await Task.Delay(next, time, ct);
            waited += next;
            wait += wait;
        }

        bool MayWait() => JustCreated(groupId) && waited < patience;
    }

    private static bool NotFound(Exception e) => e is GraphReadException { Status: 404 } or GraphWriteException { Status: 404 };
}
