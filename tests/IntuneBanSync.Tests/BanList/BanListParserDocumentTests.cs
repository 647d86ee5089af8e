namespace IntuneBanSync.Tests.BanList;

public sealed class BanListParserDocumentTests
{
    [Fact]
    public void Parser_accepts_a_complete_valid_document_with_all_its_values()
    {
        var json = BanListJson.Valid;

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        var document = result.Document!;
        Assert.Equal(1, document.Version);
        Assert.Equal(["tiktok", "wechat"], document.Bans.Select(b => b.Id));
        var tiktok = document.Bans[0];
        Assert.Equal("TikTok", tiktok.Name);
        Assert.Equal("Cybersecurity risk to the institution", tiktok.Reason);
        Assert.Equal("Security council decision 2023-03", tiktok.Reference);
        Assert.Equal(["TikTok", "TikTok Lite"], tiktok.Apps.DisplayNames);
        Assert.Equal(["com.zhiliaoapp.musically"], tiktok.Apps.Ios);
        Assert.Equal(["com.zhiliaoapp.musically", "com.ss.android.ugc.trill"], tiktok.Apps.Android);
        Assert.Equal(["9NH2GPH4JZS4"], tiktok.Apps.Windows);
        Assert.Empty(tiktok.Apps.Macos);
        Assert.Equal(["6b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"], tiktok.Scope.IncludeGroups);
        Assert.Equal(["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"], tiktok.Scope.ExcludeGroups);
        Assert.True(tiktok.Scope.Ownership.SetEquals([DeviceOwnership.Company, DeviceOwnership.Personal]));
        Assert.True(tiktok.Scope.Platforms.SetEquals([DevicePlatform.Ios, DevicePlatform.Android]));
        Assert.Equal(new DateTimeOffset(2023, 2, 23, 0, 0, 0, TimeSpan.Zero), tiktok.EffectiveFrom);
        Assert.Equal(new DateTimeOffset(2023, 3, 15, 0, 0, 0, TimeSpan.FromHours(1)), tiktok.UninstallBy);
        Assert.Equal(TimeSpan.FromHours(1), tiktok.UninstallBy.Offset);
        Assert.Equal(new DateTimeOffset(2023, 9, 14, 0, 0, 0, TimeSpan.Zero), tiktok.ExpiresOn);
        Assert.Equal(EnforcementMode.Enforce, tiktok.Enforcement);
    }

    [Fact]
    public void Parser_reads_each_exemption_subject_kind_and_optional_expiry()
    {
        var json = BanListJson.Valid;

        var exemptions = BanListParser.Parse(json).Document!.Exemptions;

        Assert.Equal(3, exemptions.Count);
        Assert.Equal(
            new Exemption(
                "police-comms", "tiktok", new ExemptionSubject(ExemptionSubjectKind.Group, "11111111-2222-4333-8444-555555555555"),
                "Police zone communications account", "CISO", new DateTimeOffset(2023, 9, 14, 0, 0, 0, TimeSpan.Zero)),
            exemptions[0]);
        Assert.Equal(new ExemptionSubject(ExemptionSubjectKind.User, "21111111-2222-4333-8444-555555555555"), exemptions[1].Subject);
        Assert.Null(exemptions[1].ExpiresOn);
        Assert.Equal(new ExemptionSubject(ExemptionSubjectKind.Device, "31111111-2222-4333-8444-555555555555"), exemptions[2].Subject);
        Assert.Equal("wechat", exemptions[2].BanId);
    }

    [Fact]
    public void Parser_applies_defaults_for_optional_ban_fields()
    {
        var json = BanListJson.Valid;

        var wechat = BanListParser.Parse(json).Document!.Bans[1];

        Assert.Equal(EnforcementMode.Report, wechat.Enforcement);
        Assert.Null(wechat.Reason);
        Assert.Null(wechat.Reference);
        Assert.Empty(wechat.Apps.Ios);
        Assert.Empty(wechat.Apps.Android);
        Assert.Empty(wechat.Apps.Windows);
        Assert.Empty(wechat.Apps.Macos);
        Assert.Empty(wechat.Scope.IncludeGroups);
        Assert.Empty(wechat.Scope.ExcludeGroups);
    }

    [Fact]
    public void Parser_accepts_a_document_without_exemptions()
    {
        var json = BanListJson.With(d => d.Remove("exemptions"));

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Empty(result.Document!.Exemptions);
    }

    [Fact]
    public void Parser_trims_display_names_and_names()
    {
        var json = BanListJson.With(d =>
        {
            d.Ban()["name"] = "  TikTok ";
            d.Apps()["displayNames"] = new JsonArray(" TikTok  ");
        });

        var ban = BanListParser.Parse(json).Document!.Bans[0];

        Assert.Equal("TikTok", ban.Name);
        Assert.Equal(["TikTok"], ban.Apps.DisplayNames);
    }

    [Theory]
    [InlineData("{ \"version\": 1, ")]
    [InlineData("version: 1")]
    [InlineData("")]
    [InlineData("{ \"version\": 1 } trailing")]
    public void Parser_rejects_text_that_is_not_json_at_the_root_with_its_position(string json)
    {
        var result = BanListParser.Parse(json);

        var error = BanListJson.SingleError(result, "$");
        Assert.Contains("not valid JSON", error.Message);
        Assert.Contains("line 1, position", error.Message);
    }

    [Fact]
    public void Parser_reports_the_line_of_a_json_syntax_error()
    {
        var json = "{\n  \"version\": 1,\n  \"bans\": [,]\n}";

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$");

        Assert.Contains("line 3", error.Message);
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"tiktok\"", "a string")]
    [InlineData("null", "null")]
    public void Parser_rejects_json_that_is_not_an_object(string json, string found)
    {
        var result = BanListParser.Parse(json);

        var error = BanListJson.SingleError(result, "$");
        Assert.Equal($"expected an object, found {found}", error.Message);
    }

    [Fact]
    public void Parser_requires_version()
    {
        var json = BanListJson.With(d => d.Remove("version"));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.version");

        Assert.Contains("required", error.Message);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("0")]
    [InlineData("1.5")]
    public void Parser_rejects_versions_other_than_1(string version)
    {
        var json = BanListJson.With(d => d["version"] = JsonNode.Parse(version));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.version");

        Assert.Contains("unsupported version", error.Message);
    }

    [Fact]
    public void Parser_rejects_version_given_as_a_string()
    {
        var json = BanListJson.With(d => d["version"] = "1");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.version");

        Assert.Equal("expected a number, found a string", error.Message);
    }

    [Fact]
    public void Parser_requires_bans()
    {
        var json = BanListJson.With(d =>
        {
            d.Remove("bans");
            d.Remove("exemptions");
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans");

        Assert.Contains("required", error.Message);
    }

    [Fact]
    public void Parser_rejects_an_empty_bans_array()
    {
        var json = BanListJson.With(d =>
        {
            d["bans"] = new JsonArray();
            d.Remove("exemptions");
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans");

        Assert.Contains("at least one", error.Message);
    }

    [Fact]
    public void Parser_rejects_bans_that_is_not_an_array()
    {
        var json = BanListJson.With(d =>
        {
            d["bans"] = new JsonObject();
            d.Remove("exemptions");
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans");

        Assert.Equal("expected an array, found an object", error.Message);
    }

    [Fact]
    public void Parser_rejects_a_ban_that_is_not_an_object()
    {
        var json = BanListJson.With(d => d["bans"]!.AsArray().Add("tiktok"));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[2]");

        Assert.Equal("expected an object, found a string", error.Message);
    }

    [Theory]
    [InlineData("$.comment")]
    [InlineData("$.bans[0].comment")]
    [InlineData("$.bans[0].apps.comment")]
    [InlineData("$.bans[0].scope.comment")]
    [InlineData("$.exemptions[0].comment")]
    public void Parser_rejects_unknown_properties_anywhere(string path)
    {
        var json = BanListJson.With(d =>
        {
            JsonObject target = path switch
            {
                "$.comment" => d,
                "$.bans[0].comment" => d.Ban(),
                "$.bans[0].apps.comment" => d.Apps(),
                "$.bans[0].scope.comment" => d.Scope(),
                _ => d.Exemption(),
            };
            target["comment"] = "hello";
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), path);

        Assert.StartsWith("unknown property 'comment'", error.Message);
    }

    [Fact]
    public void Parser_suggests_the_intended_property_for_a_typo()
    {
        var json = BanListJson.With(d =>
        {
            var ban = d.Ban();
            ban["uninstalBy"] = ban["uninstallBy"]!.DeepClone();
            ban.Remove("uninstallBy");
        });

        var result = BanListParser.Parse(json);

        Assert.Null(result.Document);
        var typo = Assert.Single(result.Errors, e => e.Path == "$.bans[0].uninstalBy");
        Assert.Equal("unknown property 'uninstalBy' (did you mean 'uninstallBy'?)", typo.Message);
        Assert.Contains(result.Errors, e => e.Path == "$.bans[0].uninstallBy");
    }

    [Fact]
    public void Parser_quotes_an_unknown_property_name_that_is_not_a_plain_identifier()
    {
        var json = BanListJson.With(d => d["my note"] = "x");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$['my note']");

        Assert.Contains("allowed here: version, bans, exemptions", error.Message);
    }

    [Fact]
    public void Parser_rejects_a_property_given_twice()
    {
        var json = BanListJson.Valid.Replace("\"version\": 1,", "\"version\": 1, \"version\": 1,", StringComparison.Ordinal);

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.version");

        Assert.Contains("more than once", error.Message);
    }

    [Fact]
    public void Parser_reports_every_error_in_the_file_at_once()
    {
        var json = BanListJson.With(d =>
        {
            d["version"] = 2;
            d.Ban(0)["expiresOn"] = "soon";
            d.Scope(1)["platforms"] = new JsonArray("linux");
            d.Exemption(2)["approvedBy"] = " ";
        });

        var result = BanListParser.Parse(json);

        Assert.False(result.IsValid);
        Assert.Null(result.Document);
        Assert.Equal(
            ["$.version", "$.bans[0].expiresOn", "$.bans[1].scope.platforms[0]", "$.exemptions[2].approvedBy"],
            result.Errors.Select(e => e.Path));
    }
}
