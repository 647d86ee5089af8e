namespace IntuneBanSync.Tests.Enforcement;

public sealed class BlastRadiusCapTests
{
    [Fact]
    public void Percentage_cap_rounds_up_to_a_whole_device()
    {
        var radius = new BlastRadius(500, 20);

        var cap = radius.CapFor(11);

        Assert.Equal(3, cap);
    }

    [Fact]
    public void Device_cap_binds_when_the_percentage_allows_more()
    {
        var radius = new BlastRadius(500, 20);

        var cap = radius.CapFor(10_000);

        Assert.Equal(500, cap);
    }

    [Fact]
    public void Percentage_cap_binds_when_the_device_cap_allows_more()
    {
        var radius = new BlastRadius(500, 20);

        var cap = radius.CapFor(1_000);

        Assert.Equal(200, cap);
    }

    [Fact]
    public void Zero_percent_allows_no_new_enforcement()
    {
        var radius = new BlastRadius(500, 0);

        var cap = radius.CapFor(10_000);

        Assert.Equal(0, cap);
    }

    [Fact]
    public void Zero_devices_allows_no_new_enforcement()
    {
        var radius = new BlastRadius(0, 100);

        var cap = radius.CapFor(10_000);

        Assert.Equal(0, cap);
    }

    [Theory]
    [InlineData(250, 64.4, 161)]
    [InlineData(375, 8.8, 33)]
    [InlineData(1_000, 0.7, 7)]
    public void Fractional_percentage_that_gives_a_whole_number_of_devices_is_not_rounded_up_by_one(int inScope, double percent, int expected)
    {
        var radius = new BlastRadius(1_000_000, percent);

        var cap = radius.CapFor(inScope);

        Assert.Equal(expected, cap);
    }

    [Fact]
    public void Ban_without_a_blast_radius_is_limited_to_500_devices_or_20_percent()
    {
        var ban = Fleet.Ban();

        var limits = ban.Limits;

        Assert.Equal(new BlastRadius(500, 20), limits);
    }

    [Fact]
    public void Ban_with_a_blast_radius_is_limited_by_it()
    {
        var ban = Fleet.Ban() with { BlastRadius = new BlastRadius(10, 1) };

        var limits = ban.Limits;

        Assert.Equal(new BlastRadius(10, 1), limits);
    }
}
