using IntuneBanSync.Graph;
using IntuneBanSync.Inventory;

namespace IntuneBanSync.Tests.Inventory;

public sealed class SyncSlicesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Every_instant_lies_in_a_slice_whatever_the_sample(int seed)
    {
        var random = new Random(seed);
        var sample = Enumerable.Range(0, 1000).Select(_ => (DateTimeOffset?)Start.AddMilliseconds(-random.NextInt64(0, 90L * 24 * 3600 * 1000))).ToList();
        // Ties and the millisecond bounds themselves are where a range of gt/lt could leave a device out.
        sample.AddRange(Enumerable.Repeat(sample[0], 200));
        var slices = SyncSlices.Plan(sample, Start, 8)!;
        IReadOnlyList<SyncWindow> all = [.. slices.Earlier, slices.Latest];

        var probes = sample.Select(t => t!.Value)
            .Concat(all.SelectMany(w => new[] { w.After, w.Before }).OfType<DateTimeOffset>().SelectMany(b => new[] { b, b.AddTicks(-1), b.AddTicks(1), b.AddMilliseconds(-1) }))
            .Concat([DateTimeOffset.MinValue, Start, Start.AddDays(1), new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero)]);
        Assert.All(probes, t => Assert.Contains(all, w => w.Contains(t)));
        Assert.InRange(slices.Earlier.Count, 2, 8);
    }

    [Fact]
    public void Slices_hold_about_as_many_of_the_sampled_devices_each()
    {
        var random = new Random(42);
        var sample = Enumerable.Range(0, 1000).Select(_ => (DateTimeOffset?)Start.AddMinutes(-random.Next(10, 7 * 24 * 60))).ToList();

        var slices = SyncSlices.Plan(sample, Start, 8)!;

        Assert.Equal(8, slices.Earlier.Count);
        Assert.All(slices.Earlier, w => Assert.InRange(sample.Count(t => w.Contains(t)), 100, 150));
    }

    [Fact]
    public void The_last_slice_holds_every_device_synced_since_a_little_before_the_sweep_began_and_is_open_ended()
    {
        var sample = Enumerable.Range(1, 1000).Select(i => (DateTimeOffset?)Start.AddHours(-i)).ToList();

        var slices = SyncSlices.Plan(sample, Start, 4)!;

        Assert.Null(slices.Latest.Before);
        Assert.True(slices.Latest.Contains(Start - SyncSlices.ClockMargin));
        Assert.True(slices.Latest.Contains(Start.AddYears(1)));
        Assert.All(slices.Earlier, w => Assert.False(w.Contains(Start)));
    }

    [Fact]
    public void A_sampled_device_without_a_last_sync_time_leaves_the_listing_whole()
    {
        List<DateTimeOffset?> sample = [Start.AddHours(-1), null, Start.AddHours(-2)];

        Assert.Null(SyncSlices.Plan(sample, Start, 8));
    }

    [Fact]
    public void Never_synced_devices_stamped_with_the_minimum_time_fall_in_the_first_slice()
    {
        var never = new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var sample = Enumerable.Repeat((DateTimeOffset?)never, 600).Concat(Enumerable.Range(1, 400).Select(i => (DateTimeOffset?)Start.AddHours(-i))).ToList();

        var slices = SyncSlices.Plan(sample, Start, 4)!;

        Assert.True(slices.Earlier[0].Contains(never));
        Assert.Null(slices.Earlier[0].After);
    }

    [Fact]
    public void The_filter_of_a_slice_uses_only_gt_and_lt_to_the_millisecond()
    {
        var window = new SyncWindow(new DateTimeOffset(2026, 11, 30, 8, 0, 0, 5, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(1)));

        Assert.Equal("lastSyncDateTime gt 2026-11-30T08:00:00.005Z and lastSyncDateTime lt 2026-12-01T09:00:00.000Z", window.ToString());
        Assert.Equal("lastSyncDateTime lt 2026-12-01T09:00:00.000Z", (window with { After = null }).ToString());
        Assert.False(window.Contains(null));
    }
}

public sealed class GivenIdsTests
{
    [Fact]
    public void A_device_listed_twice_is_given_once_whatever_the_case_of_its_id()
    {
        var given = new GivenIds();

        Assert.True(given.Add("0d7c8acb-9998-42b7-8c74-702d1f95c4a5"));
        Assert.False(given.Add("0D7C8ACB-9998-42B7-8C74-702D1F95C4A5"));
        Assert.True(given.Add("75c55ba7-a706-468f-9768-ca42c0d754e9"));
    }

    [Fact]
    public void Ids_that_are_not_GUIDs_are_told_apart_as_text()
    {
        var given = new GivenIds();

        Assert.True(given.Add("device-1"));
        Assert.False(given.Add("DEVICE-1"));
        Assert.True(given.Add("device-2"));
    }
}
