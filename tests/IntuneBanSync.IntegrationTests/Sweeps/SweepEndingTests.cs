using Azure;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace IntuneBanSync.IntegrationTests.Sweeps;

/// <summary>How a sweep ends when it does not end well: cancelled, past its deadline, its lock lost, its process dead.</summary>
public sealed class SweepEndingTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    [Fact]
    public async Task A_cancelled_sweep_is_journaled_as_cancelled_and_releases_the_tenant_lock()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        using var cancel = new CancellationTokenSource();
        var handler = new OnRequest("deviceManagement/managedDevices", cancel.Cancel);
        var locks = Locks(harness);
        var sweeps = new LockedSweeps(harness.Engine(finalHandler: handler), locks, harness.Clock);
        var request = new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant, RunId: "run-cancelled");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sweeps.RunAsync(request, "ibs on a laptop", null, cancel.Token));

        var run = await harness.Journal.GetRunAsync("contoso", "run-cancelled", CancellationToken.None);
        Assert.Equal(SweepStatus.Cancelled, run?.Status);
        Assert.NotNull(run?.EndedAt);
        Assert.Null(await locks.PeekAsync("contoso", CancellationToken.None));
    }

    [Fact]
    public async Task A_sweep_past_its_deadline_ends_incomplete_and_says_so()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var handler = new OnRequest("deviceManagement/managedDevices", () => harness.Clock.Advance(TimeSpan.FromMinutes(2)));
        var request = new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant, Deadline: TimeSpan.FromMinutes(1));

        var report = await harness.Engine(finalHandler: handler).RunAsync(request, null, CancellationToken.None);

        Assert.Equal(SweepStatus.Incomplete, report.Status);
        Assert.Contains(report.Problems, p => p.Contains("deadline of 1 minutes passed", StringComparison.Ordinal));
        var run = await harness.Journal.GetRunAsync("contoso", report.RunId, CancellationToken.None);
        Assert.Equal(SweepStatus.Incomplete, run?.Status);
    }

    [Fact]
    public async Task A_sweep_whose_lock_cannot_be_renewed_stops_before_its_next_write_and_the_journal_says_it_failed()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var storage = new FailingWrites("Locks");
        var locks = new TenantLocks(Azurite.CreateTableService(Options(storage)), harness.TablePrefix, harness.Clock);
        var handler = new OnRequest("groups", () =>
        {
            // Storage goes away and the lease runs out while enforcement reads.
            storage.Failing = true;
            harness.Clock.Advance(TenantLocks.DefaultLease + TimeSpan.FromMinutes(1));
        });
        var sweeps = new LockedSweeps(harness.Engine(finalHandler: handler), locks, harness.Clock);
        var request = new SweepRequest(harness.EnforceBan(), "contoso", "test", SweepTarget.WholeTenant, EnforcementMode.Enforce, RunId: "run-lost");

        var error = await Assert.ThrowsAsync<LockLostException>(() => sweeps.RunAsync(request, "timer", null, CancellationToken.None));

        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Writes);
        var run = await harness.Journal.GetRunAsync("contoso", "run-lost", CancellationToken.None);
        Assert.Equal(SweepStatus.Failed, run?.Status);
        Assert.Equal(error.Message, run?.Error);
        Assert.Contains("lock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_left_running_by_a_dead_process_is_marked_abandoned_by_the_next_sweep_under_the_lock()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var journal = harness.Journal;
        await journal.EnsureCreatedAsync(CancellationToken.None);
        var dead = new SweepRun("run-dead", "contoso", "timer", EnforcementMode.Report, harness.Seed.Now, null, SweepStatus.Running, SweepCounts.Empty);
        await journal.SaveRunAsync(dead, CancellationToken.None);
        var request = new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant);

        var outcome = await new LockedSweeps(harness.Engine(), Locks(harness), harness.Clock).RunAsync(request, "timer", null, CancellationToken.None);

        Assert.True(outcome.Ran);
        Assert.Equal(SweepStatus.Abandoned, (await journal.GetRunAsync("contoso", "run-dead", CancellationToken.None))?.Status);
        Assert.Equal(SweepStatus.Completed, (await journal.GetRunAsync("contoso", outcome.Report!.RunId, CancellationToken.None))?.Status);
    }

    [Fact]
    public async Task Every_log_line_of_an_enforcement_read_failure_names_the_run_not_the_ban()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        harness.Tenant.Faults.FailPath("deviceAppManagement/mobileApps", 503);
        var logs = new LogRecorder();
        var engine = SweepEngine.Over(harness.GraphOptions with { MaxRetry = 0 }, harness.Journal, harness.Clock, logger: logs);

        var report = await engine.RunAsync(
            harness.EnforceRequest(), null, CancellationToken.None);

        Assert.Equal(SweepStatus.Incomplete, report.Status);
        var named = logs.RunIds.ToList();
        Assert.Contains(named, id => id == report.RunId);
        Assert.All(named, id => Assert.Equal(report.RunId, id));
        Assert.True(logs.Warnings > 0);
    }

    [Fact]
    public async Task A_sweep_whose_device_states_cannot_be_read_fails_and_stops_the_inventory_read_beside_it()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var inventoryStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = false;
        var lateRequests = 0;
        var graph = new SlowDeviceListing(() => inventoryStarted.TrySetResult(), () =>
        {
            if (Volatile.Read(ref ended))
                Interlocked.Increment(ref lateRequests);
        });
        var journal = new JournalStore(Azurite.CreateTableService(Options(new FailingStateReads(inventoryStarted.Task))), harness.TablePrefix);
        var engine = SweepEngine.Over(harness.GraphOptions, journal, harness.Clock, finalHandler: graph);
        var request = new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant, RunId: "run-states");

        // The device states fail only once the inventory's first Graph request is out: read one after the other, they would wait forever.
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => engine.RunAsync(request, null, CancellationToken.None));
        Volatile.Write(ref ended, true);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(503, error.Status);
        Assert.Equal(SweepStatus.Failed, (await harness.Journal.GetRunAsync("contoso", "run-states", CancellationToken.None))?.Status);
        Assert.Equal(0, Volatile.Read(ref lateRequests));
    }

    private TenantLocks Locks(SweepHarness harness) => new(Azurite.CreateTableService(), harness.TablePrefix, harness.Clock);

    private static TableClientOptions Options(HttpPipelinePolicy policy)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        return options;
    }

    /// <summary>Runs an action the first time a Graph request's path contains a fragment, then lets the request go on.</summary>
    private sealed class OnRequest(string pathFragment, Action action) : DelegatingHandler(new HttpClientHandler())
    {
        private int _fired;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.Contains(pathFragment, StringComparison.OrdinalIgnoreCase) && Interlocked.Exchange(ref _fired, 1) == 0)
                action();
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Reads of the device states answer 503 once the inventory has begun (a wait of 30 s says it never did).</summary>
    private sealed class FailingStateReads(Task inventoryStarted) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The table clients of these tests are asynchronous.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method == RequestMethod.Get && message.Request.Uri.Path.Contains("DeviceStates", StringComparison.Ordinal))
            {
                await inventoryStarted.WaitAsync(TimeSpan.FromSeconds(30));
                throw new RequestFailedException(503, "The storage account is paused.");
            }

            await ProcessNextAsync(message, pipeline);
        }
    }

    /// <summary>Graph with every Intune request 200 ms slower (unless the sweep cancels it), so the inventory outlasts a failure beside it.</summary>
    private sealed class SlowDeviceListing(Action started, Action each) : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            each();
            if (request.RequestUri!.AbsolutePath.Contains("deviceManagement", StringComparison.OrdinalIgnoreCase))
            {
                started();
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Once failing, every write to a table whose name ends with the suffix answers 503, as a paused storage account does.</summary>
    private sealed class FailingWrites(string tableSuffix) : HttpPipelinePolicy
    {
        public volatile bool Failing;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The table clients of these tests are asynchronous.");

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var path = message.Request.Uri.Path;
            if (Failing && message.Request.Method != RequestMethod.Get && path.Contains(tableSuffix, StringComparison.Ordinal))
                throw new RequestFailedException(503, "The storage account is paused.");
            return ProcessNextAsync(message, pipeline);
        }
    }

    private sealed class LogRecorder : ILogger<SweepEngine>
    {
        private readonly List<string> _runIds = [];

        public IEnumerable<string> RunIds
        {
            get
            {
                lock (_runIds)
                    return [.. _runIds];
            }
        }

        public int Warnings { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
                Warnings++;
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == "RunId").Value is string runId)
            {
                lock (_runIds)
                    _runIds.Add(runId);
            }
        }
    }
}
