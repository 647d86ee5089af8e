using System.Diagnostics;
using System.Text.Json.Nodes;
using IntuneBanSync.BanList;
using IntuneBanSync.Graph;
using IntuneBanSync.IntegrationTests.Infrastructure;
using IntuneBanSync.IntegrationTests.Sweeps;
using IntuneBanSync.Journal;
using IntuneBanSync.Sweeps;
using IntuneBanSync.TenantSimulator;

namespace IntuneBanSync.IntegrationTests.Graph;

/// <summary>What the sweep does to go fast at scale (concurrent reads, $batch retries, pacing) leaves its results as they were.</summary>
public sealed class ScaleTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    [Fact]
    public async Task Concurrent_reads_give_the_same_report_as_sequential_ones()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(1500, seed: 11), latency: TimeSpan.FromMilliseconds(3));
        var sequentialFlight = new InFlightCounter();
        var concurrentFlight = new InFlightCounter();

        var sequential = await harness.Engine(harness.GraphOptions with { ReadConcurrency = 1 }, sequentialFlight)
            .RunAsync(new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant), null, CancellationToken.None);
        var sequentialFindings = await OffendingDevicesAsync(harness, sequential.RunId);
        var concurrent = await harness.Engine(harness.GraphOptions with { ReadConcurrency = 8 }, concurrentFlight)
            .RunAsync(new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant), null, CancellationToken.None);
        var concurrentFindings = await OffendingDevicesAsync(harness, concurrent.RunId);

        Assert.Equal(1, sequentialFlight.Max);
        Assert.True(concurrentFlight.Max > 1, $"the concurrent sweep must have had reads in flight together (at most {concurrentFlight.Max})");
        Assert.Equal(SweepStatus.Completed, concurrent.Status);
        Assert.True(sequential.OffendingDevices > 0 && sequential.ExemptDevices > 0, "the seed must exercise offenders and exemption groups");
        Assert.Equal(ExpectedReport.For(harness.Tenant.State, harness.Seed.Now), ExpectedReport.Of(concurrent));
        // One read at a time lists the devices whole (two pages); eight list them in slices.
        Assert.True(harness.Tenant.Requests.ByKind["GET deviceManagement/managedDevices"] > 2 + 2, "the concurrent sweep must have listed the devices in slices");
        Assert.Equal(sequential.Counts, concurrent.Counts);
        Assert.Equal(sequential.ByPlatformAndOwnership, concurrent.ByPlatformAndOwnership);
        Assert.Equal(sequentialFindings, concurrentFindings);
    }

    [Theory]
    [InlineData(FilterSupport.Honoured)]
    [InlineData(FilterSupport.Refused)]
    [InlineData(FilterSupport.Ignored)]
    public async Task Devices_listed_in_slices_or_whole_where_Intune_does_not_apply_the_slices_filter_give_the_tenants_report(FilterSupport support)
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(2500, seed: 5), simulator: o => o with { LastSyncFilter = support });

        var report = await harness.Engine(harness.GraphOptions with { ReadConcurrency = 4 })
            .RunAsync(new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant), null, CancellationToken.None);

        Assert.Equal(SweepStatus.Completed, report.Status);
        Assert.Equal(2500, report.DevicesEvaluated);
        Assert.Equal(ExpectedReport.For(harness.Tenant.State, harness.Seed.Now), ExpectedReport.Of(report));
        // Whole, the 2,500 devices are three pages: the sample page, nine slices of about 170 devices, or both and the whole listing after.
        var listings = harness.Tenant.Requests.ByKind["GET deviceManagement/managedDevices"];
        if (support == FilterSupport.Honoured)
            Assert.Equal(1 + 9, listings);
        else
            Assert.InRange(listings, 1 + 1 + 3, 1 + 9 + 3);
    }

    [Fact]
    public async Task A_device_that_syncs_while_the_slices_are_listed_is_still_listed()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(2500, seed: 6));
        // The sample page (the first 1,000) is read before any slice; every other device syncs as the first slice is asked for, so it
        // leaves the slice it was in for the last one.
        var moved = harness.Tenant.State.ManagedDevices.Skip(1000).ToList();
        var handler = new OnFirstSliceRequest(() =>
        {
            foreach (var device in moved)
                harness.Tenant.State.Arrange(device with { LastSyncDateTime = harness.Clock.GetUtcNow() });
        });

        var report = await harness.Engine(harness.GraphOptions with { ReadConcurrency = 4 }, handler)
            .RunAsync(new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant), null, CancellationToken.None);

        Assert.True(handler.Fired);
        Assert.Equal(SweepStatus.Completed, report.Status);
        Assert.Equal(2500, report.DevicesEvaluated);
        Assert.Equal(ExpectedReport.For(harness.Tenant.State, harness.Seed.Now), ExpectedReport.Of(report));
    }

    [Fact]
    public async Task A_throttled_inner_batch_request_is_retried_after_its_Retry_After()
    {
        await using var tenant = await SimulatedTenant.StartAsync(TenantSeed.Small);
        var options = new GraphOptions { BaseUrl = tenant.GraphUrl, RetryDelaySeconds = 0 };
        var batch = new GraphBatch(new GraphJson(GraphClientBuilder.Create(options), options));
        var users = tenant.State.Users.Take(20).ToList();
        tenant.Faults.RetryAfterSeconds = 1;
        tenant.Faults.ThrottleRate = 0.5;
        var clock = Stopwatch.StartNew();

        var answers = await batch.SendAsync("twenty users", options.BaseUrl, [.. users.Select(u => new BatchItem(u.Id, "GET", $"/users/{u.Id}?$select=id"))], CancellationToken.None);

        Assert.True(tenant.Requests.Throttled > 0, "the simulator must actually have throttled inner requests");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"a retry waits the Retry-After the throttled item carried (took {clock.Elapsed})");
        Assert.Equal(users.Select(u => u.Id).Order(), answers.Keys.Order());
        Assert.All(answers.Values, a => Assert.Equal(200, a.Status));
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_batch_waits_is_answered_429_at_once_not_waited_for()
    {
        await using var tenant = await SimulatedTenant.StartAsync(TenantSeed.Small);
        var options = new GraphOptions { BaseUrl = tenant.GraphUrl, RetryDelaySeconds = 0 };
        var batch = new GraphBatch(new GraphJson(GraphClientBuilder.Create(options), options), longestWait: TimeSpan.FromSeconds(2));
        var users = tenant.State.Users.Take(20).ToList();
        tenant.Faults.RetryAfterSeconds = 30;
        tenant.Faults.ThrottleRate = 1;
        var clock = Stopwatch.StartNew();

        var answers = await batch.SendAsync("twenty users", options.BaseUrl, [.. users.Select(u => new BatchItem(u.Id, "GET", $"/users/{u.Id}?$select=id"))], CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"a 30 s Retry-After is past the 2 s the batch waits (took {clock.Elapsed})");
        Assert.All(answers.Values, a => Assert.Equal(429, a.Status));
        Assert.Equal(20, tenant.Requests.Throttled);
    }

    [Fact]
    public async Task Per_device_actions_go_no_more_to_a_batch_than_the_smallest_write_bucket_admits()
    {
        await using var tenant = await SimulatedTenant.StartAsync(TenantSeed.Small);
        var options = new GraphOptions { BaseUrl = tenant.GraphUrl, IntuneDevicesWritesPerWindow = 7, Pacing = false };
        var actions = new GraphActions(new GraphJson(GraphClientBuilder.Create(options), options));
        var devices = tenant.State.ManagedDevices.Take(20).ToList();

        var answers = await actions.PostEachAsync(
            "twenty check-ins", GraphVersion.V1, [.. devices.Select(d => new GraphAction(d.Id, $"/deviceManagement/managedDevices/{d.Id}/syncDevice"))], CancellationToken.None);

        Assert.All(devices, d => Assert.True(answers[d.Id].Done));
        Assert.Equal(3, tenant.Requests.Batches);
        Assert.Equal(20, tenant.Requests.Writes);
    }

    [Fact]
    public async Task Pacing_keeps_an_enforce_sweep_under_the_simulators_limits()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, simulator: LowLimits);

        var report = await harness.Engine(PacedAtLowLimits(harness)).RunAsync(
            harness.EnforceRequest(), null, CancellationToken.None);

        var requests = harness.Tenant.Requests.Snapshot();
        Assert.Equal(SweepStatus.Completed, report.Status);
        Assert.True(requests.ByService["devices"].Reads > 2 * DeviceRequests && requests.ByService["devices"].Writes > 2 * DeviceWrites,
            "the sweep must need several windows of the devices bucket");
        Assert.True(requests.Throttled == 0, $"throttled: {string.Join(", ", requests.ByService.Select(s => $"{s.Key} {s.Value}"))}");
    }

    [Fact]
    public async Task Without_pacing_the_same_sweep_is_throttled()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, simulator: LowLimits);

        var report = await harness.Engine(PacedAtLowLimits(harness) with { Pacing = false }).RunAsync(
            harness.EnforceRequest(), null, CancellationToken.None);

        Assert.Equal(SweepStatus.Completed, report.Status);
        Assert.True(harness.Tenant.Requests.Throttled > 0, "the limits must be low enough that an unpaced sweep meets them");
    }

    [Fact]
    public void Pacing_limits_are_validated_naming_the_setting()
    {
        var options = new GraphOptions { IntuneDevicesRequestsPerWindow = 100, IntuneDevicesWritesPerWindow = 200 };

        var error = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => GraphClientBuilder.Create(options));

        Assert.Contains(nameof(GraphOptions.IntuneDevicesWritesPerWindow), error.Message, StringComparison.Ordinal);
    }

    private const int DeviceRequests = 12;
    private const int DeviceWrites = 3;
    private const double TimeFactor = 0.05;

    // A 1 s window (20 s × 0.05) with small devices and apps buckets: a sweep of the small tenant needs several of them.
    private static SimulatorOptions LowLimits(SimulatorOptions options) =>
        options with { TimeFactor = TimeFactor, DevicesLimit = new ThrottleLimit(DeviceRequests, DeviceWrites), AppsLimit = new ThrottleLimit(12, 3), ManagedDevicesPageSize = 10 };

    private static GraphOptions PacedAtLowLimits(SweepHarness harness) => harness.GraphOptions with
    {
        PacingWindowSeconds = 20 * TimeFactor,
        IntuneDevicesRequestsPerWindow = DeviceRequests,
        IntuneDevicesWritesPerWindow = DeviceWrites,
        IntuneAppsRequestsPerWindow = 12,
        IntuneAppsWritesPerWindow = 3,
        DevicePageSize = 10,
    };

    private static async Task<List<string>> OffendingDevicesAsync(SweepHarness harness, string runId)
    {
        var findings = new List<string>();
        await foreach (var f in harness.Journal.GetFindingsAsync("contoso", runId, CancellationToken.None))
            findings.Add($"{f.BanId}/{f.DeviceId}/{f.Decision}/{f.Reason}/{f.AppName}/{f.AppVersion}");
        findings.Sort(StringComparer.Ordinal);
        return findings;
    }

    /// <summary>Runs the action once, before the first request for a slice of the managed devices is sent.</summary>
    private sealed class OnFirstSliceRequest(Action action) : DelegatingHandler(new HttpClientHandler())
    {
        private int _fired;

        public bool Fired => Volatile.Read(ref _fired) == 1;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.Query.Contains("lastSyncDateTime", StringComparison.Ordinal) && Interlocked.Exchange(ref _fired, 1) == 0)
                action();
            return base.SendAsync(request, cancellationToken);
        }
    }

}
