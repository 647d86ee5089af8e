namespace IntuneBanSync.IntegrationTests.Sweeps;

public sealed class LockedSweepTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    [Fact]
    public async Task Of_two_concurrent_sweeps_of_one_tenant_exactly_one_runs_and_the_other_reports_locked()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var sweeps = LockedSweeps(harness);
        var request = new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant);
        var paused = new PausingProgress();

        var first = Task.Run(() => sweeps.RunAsync(request, "timer", paused, CancellationToken.None));
        await paused.Started;
        var second = await sweeps.RunAsync(request, "helpdesk", null, CancellationToken.None);
        paused.Release();
        var firstOutcome = await first;

        Assert.True(firstOutcome.Ran);
        Assert.False(second.Ran);
        Assert.Equal("timer", second.LockedBy?.Holder);
    }

    [Fact]
    public async Task When_the_holder_dies_its_lock_expires_and_the_next_sweep_runs()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var locks = new TenantLocks(Azurite.CreateTableService(), harness.TablePrefix, harness.Clock);
        await locks.EnsureCreatedAsync(CancellationToken.None);
        var dead = await locks.TryAcquireAsync("contoso", "a host that died", TenantLocks.DefaultLease, CancellationToken.None);
        var request = new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant);

        var whileHeld = await LockedSweeps(harness).RunAsync(request, "timer", null, CancellationToken.None);
        harness.Clock.Advance(TenantLocks.DefaultLease + TimeSpan.FromSeconds(1));
        var afterExpiry = await LockedSweeps(harness).RunAsync(request, "timer", null, CancellationToken.None);

        Assert.NotNull(dead);
        Assert.False(whileHeld.Ran);
        Assert.True(afterExpiry.Ran);
        Assert.False(await dead.RenewAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_finished_sweep_releases_the_lock()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var request = new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant);

        await LockedSweeps(harness).RunAsync(request, "timer", null, CancellationToken.None);
        var next = await LockedSweeps(harness).RunAsync(request, "helpdesk", null, CancellationToken.None);

        Assert.True(next.Ran);
    }

    private LockedSweeps LockedSweeps(SweepHarness harness) =>
        new(harness.Engine(), new TenantLocks(Azurite.CreateTableService(), harness.TablePrefix, harness.Clock), harness.Clock);

    /// <summary>Holds the sweep at its first progress report until released, so a second sweep meets it running.</summary>
    private sealed class PausingProgress : IProgress<SweepProgress>
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _release = new();

        public Task Started => _started.Task;

        public void Release() => _release.Set();

        public void Report(SweepProgress value)
        {
            if (_started.TrySetResult())
                _release.Wait(TimeSpan.FromSeconds(30));
        }
    }
}
