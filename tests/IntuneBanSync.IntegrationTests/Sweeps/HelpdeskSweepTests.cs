using System.Diagnostics;
using Xunit.Abstractions;

namespace IntuneBanSync.IntegrationTests.Sweeps;

public sealed class HelpdeskSweepTests(AzuriteFixture azurite, ITestOutputHelper output) : AzuriteTests(azurite)
{
    [Fact]
    public async Task A_one_user_sweep_makes_the_same_graph_requests_on_a_small_and_a_large_tenant_and_at_most_twelve()
    {
        var small = await RequestsForUserWithTwoDevicesAsync(1_000);
        var large = await RequestsForUserWithTwoDevicesAsync(20_000);

        Assert.Equal(small, large);
        Assert.InRange(large, 1, 12);
    }

    [Fact]
    public async Task A_one_user_sweep_decides_as_the_whole_tenant_sweep_does()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var tenantReport = await harness.SweepAsync(harness.TikTokBan());
        var tenantFindings = await harness.Journal.GetFindingsAsync("contoso", tenantReport.RunId, CancellationToken.None).ToListAsync();
        var sample = tenantFindings.Where(f => f.UserId is not null).GroupBy(f => f.Decision).SelectMany(g => g.Take(3)).ToList();
        var userIds = sample.Select(f => f.UserId!).Distinct().ToList();
        Assert.Contains(sample, f => f.Decision == DecisionKind.Exempt);
        Assert.Contains(sample, f => f.Decision == DecisionKind.Offending);

        foreach (var user in userIds)
        {
            var report = await harness.SweepAsync(harness.TikTokBan(), new SweepTarget(User: user));
            var findings = await harness.Journal.GetFindingsAsync("contoso", report.RunId, CancellationToken.None).ToListAsync();

            Assert.Equal(
                tenantFindings.Where(f => f.UserId == user).Select(f => $"{f.DeviceId}:{f.Decision}").Order(),
                findings.Select(f => $"{f.DeviceId}:{f.Decision}").Order());
        }
    }

    private async Task<long> RequestsForUserWithTwoDevicesAsync(int devices)
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(devices));
        var user = harness.Tenant.State.ManagedDevices
            .Where(d => d.UserId is not null)
            .GroupBy(d => d.UserId)
            .First(g => g.Count() == 2)
            .Key!;
        var banList = harness.TikTokBan();
        harness.Tenant.Requests.Reset();

        var clock = Stopwatch.StartNew();
        var report = await harness.SweepAsync(banList, new SweepTarget(User: user));
        clock.Stop();

        var requests = harness.Tenant.Requests.Snapshot();
        output.WriteLine($"{devices} devices: {requests.Reads + requests.Writes} Graph requests, {clock.ElapsedMilliseconds} ms");
        Assert.Equal(SweepStatus.Completed, report.Status);
        Assert.Equal(2, report.DevicesEvaluated);
        return requests.Reads + requests.Writes;
    }
}
