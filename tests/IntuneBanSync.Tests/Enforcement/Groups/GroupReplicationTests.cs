using Microsoft.Extensions.Time.Testing;

namespace IntuneBanSync.Tests.Enforcement.Groups;

public sealed class GroupReplicationTests
{
    private const string Group = "60000000-0000-4000-8000-000000000001";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_group_just_created_is_asked_again_until_it_answers()
    {
        var replication = new GroupReplication(_clock, TimeSpan.FromMinutes(1));
        replication.Created(Group);
        var calls = 0;

        var answer = await WhileTimePassesAsync(replication.UntilReplicatedAsync(Group, () => Task.FromResult(++calls < 3 ? "missing" : "there"), a => a == "missing", default));

        Assert.Equal(("there", 3), (answer, calls));
    }

    [Fact]
    public async Task A_404_from_a_group_just_created_is_waited_out()
    {
        var replication = new GroupReplication(_clock, TimeSpan.FromMinutes(1));
        replication.Created(Group);
        var calls = 0;

        var answer = await WhileTimePassesAsync(replication.UntilReplicatedAsync(
            Group, () => ++calls < 2 ? throw new GraphReadException("the members", new HttpRequestException("gone", null, System.Net.HttpStatusCode.NotFound)) : Task.FromResult(7), _ => false, default));

        Assert.Equal((7, 2), (answer, calls));
    }

    [Fact]
    public async Task A_group_this_sweep_did_not_create_is_asked_once()
    {
        var replication = new GroupReplication(_clock, TimeSpan.FromMinutes(1));
        var calls = 0;

        var answer = await replication.UntilReplicatedAsync(Group, () => Task.FromResult(++calls), _ => true, default);

        Assert.Equal(1, answer);
    }

    [Fact]
    public async Task Patience_ends_the_waiting_and_the_last_answer_is_returned()
    {
        var replication = new GroupReplication(_clock, TimeSpan.FromSeconds(10));
        replication.Created(Group);
        var start = _clock.GetUtcNow();
        var calls = 0;

        var answer = await WhileTimePassesAsync(replication.UntilReplicatedAsync(Group, () => Task.FromResult(++calls), _ => true, default));

        // Waits of 1, 2 and 4 s, then the 3 s patience has left: five calls in all.
        Assert.Equal(TimeSpan.FromSeconds(10), _clock.GetUtcNow() - start);
        Assert.Equal(calls, answer);
        Assert.Equal(5, calls);
    }

    /// <summary>Moves the fake clock on a second at a time until the task ends, so its waits on the clock end.</summary>
    private async Task<T> WhileTimePassesAsync<T>(Task<T> task)
    {
        while (!task.IsCompleted)
        {
            await Task.Delay(1);
            if (!task.IsCompleted)
                _clock.Advance(TimeSpan.FromSeconds(1));
        }

        return await task;
    }
}
