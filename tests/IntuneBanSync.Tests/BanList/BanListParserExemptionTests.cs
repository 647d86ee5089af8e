namespace IntuneBanSync.Tests.BanList;

public sealed class BanListParserExemptionTests
{
    [Fact]
    public void Parser_rejects_exemptions_that_is_not_an_array()
    {
        var json = BanListJson.With(d => d["exemptions"] = new JsonObject());

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.exemptions");

        Assert.Equal("expected an array, found an object", error.Message);
    }

    [Fact]
    public void Parser_requires_an_exemption_id()
    {
        var json = BanListJson.With(d => d.Exemption(1).Remove("id"));

        BanListJson.SingleError(BanListParser.Parse(json), "$.exemptions[1].id");
    }

    [Fact]
    public void Parser_rejects_an_exemption_id_outside_the_allowed_characters()
    {
        var json = BanListJson.With(d => d.Exemption(1)["id"] = "Press Office");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.exemptions[1].id");

        Assert.Contains("exemption id 'Press Office'", error.Message);
    }

    [Fact]
    public void Parser_rejects_a_duplicate_exemption_id_at_the_second_exemption()
    {
        var json = BanListJson.With(d => d.Exemption(2)["id"] = "police-comms");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.exemptions[2].id");

        Assert.Equal("duplicate exemption id 'police-comms' (already used at $.exemptions[0].id)", error.Message);
    }

    [Fact]
    public void Parser_allows_an_exemption_to_share_its_id_with_a_ban()
    {
        var json = BanListJson.With(d => d.Exemption()["id"] = "tiktok");

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void Parser_requires_the_ban_an_exemption_applies_to()
    {
        var json = BanListJson.With(d => d.Exemption().Remove("ban"));

        BanListJson.SingleError(BanListParser.Parse(json), "$.exemptions[0].ban");
    }

    [Fact]
    public void Parser_rejects_an_exemption_for_an_unknown_ban()
    {
        var json = BanListJson.With(d => d.Exemption()["ban"] = "tik-tok");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.exemptions[0].ban");

        Assert.StartsWith("unknown ban 'tik-tok'", error.Message);
    }

    [Fact]
    public void Parser_does_not_call_a_ban_unknown_when_only_its_id_is_malformed()
    {
        var json = BanListJson.With(d =>
        {
            d.RenameBan(0, "TikTok");
        });

        var result = BanListParser.Parse(json);

        Assert.Equal(["$.bans[0].id"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Parser_rejects_an_exemption_naming_no_subject()
    {
        var json = BanListJson.With(d => d.Exemption(1).Remove("user"));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.exemptions[1]");

        Assert.Equal("an exemption names exactly one of 'group', 'user' or 'device'; found none", error.Message);
    }

    [Fact]
    public void Parser_rejects_an_exemption_naming_two_subjects()
    {
        var json = BanListJson.With(d => d.Exemption(1)["device"] = "41111111-2222-4333-8444-555555555555");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.exemptions[1]");

        Assert.Equal("an exemption names exactly one of 'group', 'user' or 'device'; found 'user' and 'device'", error.Message);
    }

    [Theory]
    [InlineData(0, "group")]
    [InlineData(1, "user")]
    [InlineData(2, "device")]
    public void Parser_rejects_an_exemption_subject_that_is_not_a_guid(int index, string subject)
    {
        var json = BanListJson.With(d => d.Exemption(index)[subject] = "police@contoso.example");

        var error = BanListJson.SingleError(BanListParser.Parse(json), $"$.exemptions[{index}].{subject}");

        Assert.StartsWith("'police@contoso.example' is not a GUID", error.Message);
    }

    [Fact]
    public void Parser_stores_exemption_subjects_as_lowercase_guids()
    {
        var json = BanListJson.With(d => d.Exemption(1)["user"] = "ABCDEF01-2222-4333-8444-555555555555");

        var exemption = BanListParser.Parse(json).Document!.Exemptions[1];

        Assert.Equal("abcdef01-2222-4333-8444-555555555555", exemption.Subject.Id);
    }

    [Theory]
    [InlineData("justification")]
    [InlineData("approvedBy")]
    public void Parser_requires_a_justification_and_an_approver(string property)
    {
        var json = BanListJson.With(d => d.Exemption(2).Remove(property));

        BanListJson.SingleError(BanListParser.Parse(json), $"$.exemptions[2].{property}");
    }

    [Theory]
    [InlineData("justification")]
    [InlineData("approvedBy")]
    public void Parser_rejects_a_blank_justification_or_approver(string property)
    {
        var json = BanListJson.With(d => d.Exemption(2)[property] = "");

        var error = BanListJson.SingleError(BanListParser.Parse(json), $"$.exemptions[2].{property}");

        Assert.Equal("must not be empty or blank", error.Message);
    }

    [Fact]
    public void Parser_rejects_a_malformed_exemption_expiry()
    {
        var json = BanListJson.With(d => d.Exemption()["expiresOn"] = "2023-09-14");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.exemptions[0].expiresOn");

        Assert.StartsWith("malformed date", error.Message);
    }

    [Fact]
    public void Parser_rejects_an_exemption_that_is_not_an_object()
    {
        var json = BanListJson.With(d => d["exemptions"]!.AsArray().Add(7));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.exemptions[3]");

        Assert.Equal("expected an object, found the number 7", error.Message);
    }
}
