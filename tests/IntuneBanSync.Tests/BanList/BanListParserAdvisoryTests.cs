namespace IntuneBanSync.Tests.BanList;

/// <summary><c>scope.advisoryGroups</c>: groups whose members' devices are advised, never enforced.</summary>
public sealed class BanListParserAdvisoryTests
{
    [Fact]
    public void Ban_without_advisory_groups_has_none()
    {
        var ban = BanListParser.Parse(BanListJson.Valid).Document!.Bans[0];

        Assert.Empty(ban.Scope.AdvisoryGroups);
    }

    [Fact]
    public void Advisory_groups_are_read_as_lowercase_guids()
    {
        var json = BanListJson.With(d => d.Scope()["advisoryGroups"] = new JsonArray("7A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"));

        var ban = BanListParser.Parse(json).Document!.Bans[0];

        Assert.Equal(["7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"], ban.Scope.AdvisoryGroups);
    }

    [Fact]
    public void Advisory_group_that_is_not_a_guid_is_refused()
    {
        var json = BanListJson.With(d => d.Scope()["advisoryGroups"] = new JsonArray("Police"));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].scope.advisoryGroups[0]");

        Assert.Contains("is not a GUID", error.Message);
    }

    [Fact]
    public void More_than_100_advisory_groups_are_refused()
    {
        var json = BanListJson.With(d => d.Scope()["advisoryGroups"] = new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode)$"00000000-0000-4000-8000-{i:D12}")]));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].scope.advisoryGroups");

        Assert.Equal("'advisoryGroups' lists 101 entries; at most 100 are allowed", error.Message);
    }
}
