namespace IntuneBanSync.IntegrationTests.Enforcement.Uninstall;

/// <summary>
/// The harness's fake clock for an engine that waits: each wait it starts (Task.Delay on this provider, up to five minutes) moves
/// the clock on by exactly that much at once, so the wait ends in no real time and the simulated tenant, on the same clock, sees the
/// time pass. Longer timers (a sweep's own deadlines) are left alone.
/// </summary>
internal sealed class SkippingClock(FakeTimeProvider clock) : TimeProvider
{
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(5);

    private readonly List<TimeSpan> _waits = [];

    /// <summary>The waits the engine started, in order.</summary>
    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_waits)
                return [.. _waits];
        }
    }

    public TimeSpan Waited => Waits.Aggregate(TimeSpan.Zero, (total, wait) => total + wait);

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override long GetTimestamp() => clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = clock.CreateTimer(callback, state, dueTime, period);
        if (period == Timeout.InfiniteTimeSpan && dueTime > TimeSpan.Zero && dueTime <= Longest)
        {
            lock (_waits)
                _waits.Add(dueTime);
            // Not inline: the timer must be handed back before it fires.
            _ = Task.Run(() => clock.Advance(dueTime));
        }

        return timer;
    }
}
