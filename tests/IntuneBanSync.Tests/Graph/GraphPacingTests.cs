using Microsoft.Extensions.Time.Testing;

namespace IntuneBanSync.Tests.Graph;

public sealed class GraphPacingTests
{
    private static readonly BucketCost OneRead = new(GraphBucket.IntuneDevices, 1, 0);
    private static readonly BucketCost OneWrite = new(GraphBucket.IntuneDevices, 1, 1);

    private static GraphOptions Limits => new() { PacingWindowSeconds = 20, IntuneDevicesRequestsPerWindow = 3, IntuneDevicesWritesPerWindow = 1 };

    [Fact]
    public async Task A_bucket_admits_its_limit_then_waits_until_the_oldest_answer_leaves_the_window()
    {
        var clock = new FakeTimeProvider();
        var pacing = new GraphPacing(Limits, clock);
        for (var i = 0; i < 3; i++)
            (await pacing.AcquireAsync([OneRead], CancellationToken.None)).Dispose();

        var fourth = pacing.AcquireAsync([OneRead], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(20));
        var stillWaiting = !fourth.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(1.5));

        Assert.True(stillWaiting, "the window (20 s and a twentieth) has not passed");
        (await fourth.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task A_write_waits_for_the_write_limit_while_reads_still_pass()
    {
        var clock = new FakeTimeProvider();
        var pacing = new GraphPacing(Limits, clock);
        (await pacing.AcquireAsync([OneWrite], CancellationToken.None)).Dispose();

        var write = pacing.AcquireAsync([OneWrite], CancellationToken.None);
        var read = pacing.AcquireAsync([OneRead], CancellationToken.None);

        Assert.False(write.IsCompleted);
        Assert.True(read.IsCompleted);
    }

    [Fact]
    public async Task Requests_in_flight_count_until_answered()
    {
        var clock = new FakeTimeProvider();
        var pacing = new GraphPacing(Limits, clock);
        var inFlight = new List<IDisposable>();
        for (var i = 0; i < 3; i++)
            inFlight.Add(await pacing.AcquireAsync([OneRead], CancellationToken.None));

        var fourth = pacing.AcquireAsync([OneRead], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(60));

        Assert.False(fourth.IsCompleted);
        inFlight.ForEach(l => l.Dispose());
    }

    [Fact]
    public async Task A_429_closes_the_bucket_for_its_Retry_After()
    {
        var clock = new FakeTimeProvider();
        var pacing = new GraphPacing(Limits, clock);
        pacing.Throttled(GraphBucket.IntuneDevices, TimeSpan.FromSeconds(7));

        var next = pacing.AcquireAsync([OneRead], CancellationToken.None);
        var other = pacing.AcquireAsync([new BucketCost(GraphBucket.IntuneApps, 1, 0)], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(6));
        var waited = !next.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True(waited);
        Assert.True(other.IsCompleted, "another bucket is not closed");
        (await next.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Theory]
    [InlineData("/deviceManagement/managedDevices/1/syncDevice", new[] { GraphBucket.IntuneDevices })]
    [InlineData("/deviceManagement/detectedApps?$top=1000", new[] { GraphBucket.IntuneDevices })]
    [InlineData("/deviceManagement/deviceCompliancePolicies/1/assign", new[] { GraphBucket.IntuneApps })]
    [InlineData("/deviceManagement/deviceHealthScripts", new[] { GraphBucket.IntuneDevices, GraphBucket.IntuneApps })]
    [InlineData("/deviceAppManagement/mobileApps('1')/assignments", new[] { GraphBucket.IntuneApps })]
    [InlineData("/users?$filter=id in ('a')", new[] { GraphBucket.Directory })]
    [InlineData("/groups/1/members/$ref", new[] { GraphBucket.Directory })]
    [InlineData("/identity/conditionalAccess/policies", new GraphBucket[0])]
    public void Requests_count_against_the_buckets_of_their_resource(string path, GraphBucket[] buckets) =>
        Assert.Equal(buckets, GraphPacing.BucketsOf(path));

    [Theory]
    [InlineData("GET", "/deviceManagement/managedDevices", false)]
    [InlineData("POST", "/users/1/checkMemberGroups", false)]
    [InlineData("POST", "/deviceManagement/managedDevices/1/syncDevice", true)]
    [InlineData("PATCH", "/groups/1", true)]
    public void Only_requests_that_change_something_are_writes(string method, string path, bool write) =>
        Assert.Equal(write, GraphPacing.IsWrite(method, path));
}
