namespace IntuneBanSync.Tests.BanList;

public sealed class BanListParserBlastRadiusTests
{
    private static string WithBlastRadius(JsonNode? blastRadius) => BanListJson.With(d => d.Ban(0)["blastRadius"] = blastRadius);

    [Fact]
    public void Parser_reads_a_ban_blast_radius()
    {
        var json = WithBlastRadius(new JsonObject { ["maxDevices"] = 50, ["maxPercent"] = 12.5 });

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid);
        Assert.Equal(new BlastRadius(50, 12.5), result.Document!.Bans[0].Limits);
    }

    [Fact]
    public void Parser_gives_a_ban_without_blast_radius_the_defaults_of_500_devices_and_20_percent()
    {
        var json = BanListJson.Valid;

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid);
        Assert.Equal(new BlastRadius(500, 20), result.Document!.Bans[0].Limits);
    }

    [Fact]
    public void Parser_takes_a_null_blast_radius_as_the_defaults()
    {
        var json = WithBlastRadius(null);

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid);
        Assert.Equal(BlastRadius.Default, result.Document!.Bans[0].Limits);
    }

    [Fact]
    public void Parser_takes_the_default_for_a_limit_the_blast_radius_leaves_out()
    {
        var json = WithBlastRadius(new JsonObject { ["maxDevices"] = 50 });

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid);
        Assert.Equal(new BlastRadius(50, 20), result.Document!.Bans[0].Limits);
    }

    [Fact]
    public void Parser_accepts_the_bounds_of_both_limits()
    {
        var json = WithBlastRadius(new JsonObject { ["maxDevices"] = 1_000_000, ["maxPercent"] = 0 });

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid);
        Assert.Equal(new BlastRadius(1_000_000, 0), result.Document!.Bans[0].Limits);
    }

    [Theory]
    [InlineData(150)]
    [InlineData(100.5)]
    [InlineData(-1)]
    public void Parser_rejects_a_percentage_outside_0_to_100(double percent)
    {
        var json = WithBlastRadius(new JsonObject { ["maxPercent"] = percent });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].blastRadius.maxPercent");

        Assert.Equal("must be a number from 0 to 100", error.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    public void Parser_rejects_a_device_cap_outside_0_to_a_million(int devices)
    {
        var json = WithBlastRadius(new JsonObject { ["maxDevices"] = devices });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].blastRadius.maxDevices");

        Assert.Contains("from 0 to 1000000", error.Message);
    }

    [Fact]
    public void Parser_rejects_a_device_cap_that_is_not_a_whole_number()
    {
        var json = WithBlastRadius(new JsonObject { ["maxDevices"] = 2.5 });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].blastRadius.maxDevices");

        Assert.Contains("whole number", error.Message);
    }

    [Fact]
    public void Parser_rejects_a_percentage_written_as_a_string()
    {
        var json = WithBlastRadius(new JsonObject { ["maxPercent"] = "20" });

        BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].blastRadius.maxPercent");
    }

    [Fact]
    public void Parser_rejects_a_blast_radius_that_is_not_an_object()
    {
        var json = WithBlastRadius("20%");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].blastRadius");

        Assert.Equal("expected an object, found a string", error.Message);
    }

    [Fact]
    public void Parser_rejects_an_unknown_property_in_a_blast_radius()
    {
        var json = WithBlastRadius(new JsonObject { ["maxDevice"] = 50 });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].blastRadius.maxDevice");

        Assert.Contains("did you mean 'maxDevices'", error.Message);
    }
}
