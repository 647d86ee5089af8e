using static IntuneBanSync.Tests.BanList.BanListNotificationJson;

namespace IntuneBanSync.Tests.BanList;

/// <summary>The document's optional <c>contact</c>: the values of {helpdesk} and {attestationLink}.</summary>
public sealed class BanListParserContactTests
{
    [Fact]
    public void Ban_list_without_contact_has_none()
    {
        var document = BanListParser.Parse(BanListJson.Valid).Document!;

        Assert.Equal(BanListContact.None, document.Contact);
    }

    [Fact]
    public void Contact_is_read()
    {
        var json = BanListJson.With(d => d.Contact("Service desk, +32 2 000 00 00", "https://ibs.example.org/api/attest?tenant=federal"));

        var contact = BanListParser.Parse(json).Document!.Contact;

        Assert.Equal("Service desk, +32 2 000 00 00", contact.Helpdesk);
        Assert.Equal(new Uri("https://ibs.example.org/api/attest?tenant=federal"), contact.AttestationUrl);
    }

    [Fact]
    public void Helpdesk_longer_than_100_characters_is_refused()
    {
        var json = BanListJson.With(d => d.Contact(new string('h', 101), null));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.contact.helpdesk");

        Assert.Equal("must be at most 100 characters (found 101)", error.Message);
    }

    [Fact]
    public void Helpdesk_with_a_control_character_is_refused()
    {
        var json = BanListJson.With(d => d.Contact("Service desk\u202E", null));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.contact.helpdesk");

        Assert.Contains("control character U+202E", error.Message);
    }

    [Theory]
    [InlineData("http://ibs.example.org/api/attest")]
    [InlineData("/api/attest")]
    [InlineData("ibs.example.org/api/attest")]
    [InlineData("https://user@ibs.example.org/api/attest")]
    [InlineData("https://ibs.example.org/api/at test")]
    [InlineData("javascript:alert(1)")]
    public void Attestation_url_that_is_not_an_absolute_https_url_is_refused(string url)
    {
        var json = BanListJson.With(d => d.Contact(null, url));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.contact.attestationUrl");

        Assert.Contains("is not an absolute https URL", error.Message);
    }

    [Fact]
    public void Attestation_url_longer_than_200_characters_is_refused()
    {
        var json = BanListJson.With(d => d.Contact(null, "https://ibs.example.org/" + new string('p', 177)));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.contact.attestationUrl");

        Assert.Equal("must be at most 200 characters (found 201)", error.Message);
    }

    [Fact]
    public void Unknown_contact_property_is_refused()
    {
        var json = BanListJson.With(d => d["contact"] = new JsonObject { ["helpDesk"] = "Service desk" });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.contact.helpDesk");

        Assert.Contains("did you mean 'helpdesk'?", error.Message);
    }
}
