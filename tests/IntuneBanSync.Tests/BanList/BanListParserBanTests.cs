namespace IntuneBanSync.Tests.BanList;

public sealed class BanListParserBanTests
{
    [Fact]
    public void Parser_requires_a_ban_id()
    {
        var json = BanListJson.With(d =>
        {
            d.Ban(1).Remove("id");
            d.Remove("exemptions");
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[1].id");

        Assert.Equal("required property 'id' is missing", error.Message);
    }

    [Theory]
    [InlineData("TikTok")]
    [InlineData("tik tok")]
    [InlineData("tik/tok")]
    [InlineData("tik#tok")]
    [InlineData("tiktök")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Parser_rejects_ban_ids_outside_the_allowed_characters_and_length(string id)
    {
        var json = BanListJson.With(d => d.RenameBan(1, id));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[1].id");

        Assert.Contains("1 to 64 characters", error.Message);
    }

    [Fact]
    public void Parser_rejects_a_blank_ban_id()
    {
        var json = BanListJson.With(d =>
        {
            d.Ban(1)["id"] = "";
            d.Remove("exemptions");
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[1].id");

        Assert.Equal("must not be empty or blank", error.Message);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("tiktok-2023.v1_b")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Parser_accepts_ban_ids_of_lowercase_letters_digits_dots_underscores_and_dashes(string id)
    {
        var json = BanListJson.With(d => d.RenameBan(1, id));

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(id, result.Document!.Bans[1].Id);
    }

    [Fact]
    public void Parser_rejects_a_duplicate_ban_id_at_the_second_ban()
    {
        var json = BanListJson.With(d => d.RenameBan(1, "tiktok"));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[1].id");

        Assert.Equal("duplicate ban id 'tiktok' (already used at $.bans[0].id)", error.Message);
    }

    [Fact]
    public void Parser_requires_a_ban_name()
    {
        var json = BanListJson.With(d => d.Ban().Remove("name"));

        BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].name");
    }

    [Fact]
    public void Parser_rejects_a_blank_ban_name()
    {
        var json = BanListJson.With(d => d.Ban()["name"] = "   ");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].name");

        Assert.Equal("must not be empty or blank", error.Message);
    }

    [Theory]
    [InlineData("reason")]
    [InlineData("reference")]
    public void Parser_rejects_reason_or_reference_that_is_not_a_string(string property)
    {
        var json = BanListJson.With(d => d.Ban()[property] = 42);

        var error = BanListJson.SingleError(BanListParser.Parse(json), $"$.bans[0].{property}");

        Assert.Equal("expected a string, found the number 42", error.Message);
    }

    [Fact]
    public void Parser_requires_apps()
    {
        var json = BanListJson.With(d => d.Ban().Remove("apps"));

        BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].apps");
    }

    [Fact]
    public void Parser_rejects_apps_that_is_not_an_object()
    {
        var json = BanListJson.With(d => d.Ban()["apps"] = new JsonArray("TikTok"));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].apps");

        Assert.Equal("expected an object, found an array", error.Message);
    }

    [Fact]
    public void Parser_requires_display_names_because_identifiers_alone_cannot_match_inventory()
    {
        var json = BanListJson.With(d => d.Apps().Remove("displayNames"));

        BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].apps.displayNames");
    }

    [Fact]
    public void Parser_rejects_an_empty_display_names_list()
    {
        var json = BanListJson.With(d => d.Apps()["displayNames"] = new JsonArray());

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].apps.displayNames");

        Assert.Contains("at least one", error.Message);
    }

    [Fact]
    public void Parser_rejects_a_blank_display_name()
    {
        var json = BanListJson.With(d => d.Apps()["displayNames"] = new JsonArray("TikTok", " "));

        BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].apps.displayNames[1]");
    }

    [Fact]
    public void Parser_rejects_a_display_names_string_where_an_array_is_expected()
    {
        var json = BanListJson.With(d => d.Apps()["displayNames"] = "TikTok");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].apps.displayNames");

        Assert.Equal("expected an array, found a string", error.Message);
    }

    [Theory]
    [InlineData("ios")]
    [InlineData("android")]
    [InlineData("windows")]
    [InlineData("macos")]
    public void Parser_rejects_platform_identifiers_that_are_not_an_array_of_strings(string platform)
    {
        var json = BanListJson.With(d => d.Apps()[platform] = "com.zhiliaoapp.musically");

        var error = BanListJson.SingleError(BanListParser.Parse(json), $"$.bans[0].apps.{platform}");

        Assert.Equal("expected an array, found a string", error.Message);
    }

    [Fact]
    public void Parser_rejects_a_platform_identifier_that_is_not_a_string()
    {
        var json = BanListJson.With(d => d.Apps()["android"] = new JsonArray("com.zhiliaoapp.musically", true));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].apps.android[1]");

        Assert.Equal("expected a string, found the boolean true", error.Message);
    }

    [Fact]
    public void Parser_requires_scope()
    {
        var json = BanListJson.With(d => d.Ban().Remove("scope"));

        BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].scope");
    }

    [Theory]
    [InlineData("platforms")]
    [InlineData("ownership")]
    public void Parser_requires_platforms_and_ownership_in_scope(string property)
    {
        var json = BanListJson.With(d => d.Scope().Remove(property));

        BanListJson.SingleError(BanListParser.Parse(json), $"$.bans[0].scope.{property}");
    }

    [Theory]
    [InlineData("platforms")]
    [InlineData("ownership")]
    public void Parser_rejects_empty_platforms_or_ownership(string property)
    {
        var json = BanListJson.With(d => d.Scope()[property] = new JsonArray());

        var error = BanListJson.SingleError(BanListParser.Parse(json), $"$.bans[0].scope.{property}");

        Assert.Contains("at least one", error.Message);
    }

    [Fact]
    public void Parser_rejects_an_unknown_platform_naming_the_value_and_the_allowed_values()
    {
        var json = BanListJson.With(d => d.Scope()["platforms"] = new JsonArray("ios", "linux"));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].scope.platforms[1]");

        Assert.Equal("'linux' is not allowed in platforms; use one of: ios, android, windows, macos", error.Message);
    }

    [Fact]
    public void Parser_points_out_that_platform_values_are_lowercase()
    {
        var json = BanListJson.With(d => d.Scope()["platforms"] = new JsonArray("iOS"));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].scope.platforms[0]");

        Assert.EndsWith("(values are lowercase: did you mean 'ios'?)", error.Message);
    }

    [Fact]
    public void Parser_rejects_an_unknown_ownership_naming_the_value_and_the_allowed_values()
    {
        var json = BanListJson.With(d => d.Scope()["ownership"] = new JsonArray("shared"));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].scope.ownership[0]");

        Assert.Equal("'shared' is not allowed in ownership; use one of: company, personal", error.Message);
    }

    [Theory]
    [InlineData("includeGroups")]
    [InlineData("excludeGroups")]
    public void Parser_rejects_a_group_that_is_not_a_guid(string property)
    {
        var json = BanListJson.With(d => d.Scope()[property] = new JsonArray("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "<entra group id>"));

        var error = BanListJson.SingleError(BanListParser.Parse(json), $"$.bans[0].scope.{property}[1]");

        Assert.StartsWith("'<entra group id>' is not a GUID", error.Message);
    }

    [Fact]
    public void Parser_rejects_groups_given_as_a_single_string()
    {
        var json = BanListJson.With(d => d.Scope()["includeGroups"] = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].scope.includeGroups");

        Assert.Equal("expected an array, found a string", error.Message);
    }

    [Theory]
    [InlineData("effectiveFrom")]
    [InlineData("uninstallBy")]
    [InlineData("expiresOn")]
    public void Parser_requires_each_ban_date(string property)
    {
        var json = BanListJson.With(d => d.Ban(1).Remove(property));

        BanListJson.SingleError(BanListParser.Parse(json), $"$.bans[1].{property}");
    }

    [Theory]
    [InlineData("2024-06-01")]
    [InlineData("2024-06-01T00:00:00")]
    [InlineData("2024-06-01 00:00:00Z")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-06-01T00:00:00+25:00")]
    [InlineData("next tuesday")]
    [InlineData("")]
    public void Parser_rejects_a_malformed_date_or_one_without_time_zone(string value)
    {
        var json = BanListJson.With(d => d.Ban(1)["uninstallBy"] = value);

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[1].uninstallBy");

        Assert.StartsWith($"malformed date '{value}'", error.Message);
    }

    [Theory]
    [InlineData("$.bans[0].effectiveFrom", "2023-02-23T00:00:00Z\n")]
    [InlineData("$.bans[0].uninstallBy", "2023-03-15T00:00:00Z\n")]
    [InlineData("$.bans[0].expiresOn", "2023-09-14T00:00:00+02:00\n")]
    [InlineData("$.exemptions[0].expiresOn", "2023-09-14T00:00:00Z\n")]
    [InlineData("$.bans[0].uninstallBy", "2023-03-15T00:00:00Z\r\n")]
    [InlineData("$.bans[0].uninstallBy", " 2023-03-15T00:00:00Z")]
    public void Parser_rejects_a_date_with_a_trailing_newline_or_surrounding_space(string path, string value)
    {
        var json = BanListJson.With(d => d.SetString(path, value));

        var error = BanListJson.SingleError(BanListParser.Parse(json), path);

        Assert.StartsWith("malformed date", error.Message);
    }

    [Fact]
    public void Parser_rejects_a_date_given_as_a_number()
    {
        var json = BanListJson.With(d => d.Ban(1)["expiresOn"] = 20250101);

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[1].expiresOn");

        Assert.Equal("expected a string, found the number 20250101", error.Message);
    }

    [Theory]
    [InlineData("2024-06-01T12:30:00Z")]
    [InlineData("2024-06-01T12:30Z")]
    [InlineData("2024-06-01T12:30:00.125-05:00")]
    public void Parser_accepts_iso_8601_date_times_with_a_time_zone(string value)
    {
        var json = BanListJson.With(d => d.Ban(1)["uninstallBy"] = value);

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture), result.Document!.Bans[1].UninstallBy);
    }

    [Fact]
    public void Parser_rejects_uninstallBy_before_effectiveFrom()
    {
        var json = BanListJson.With(d => d.Ban(1)["uninstallBy"] = "2023-12-31T23:59:59Z");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[1].uninstallBy");

        Assert.Contains("before effectiveFrom", error.Message);
    }

    [Fact]
    public void Parser_compares_deadlines_as_instants_across_time_zones()
    {
        var json = BanListJson.With(d => d.Ban(1)["uninstallBy"] = "2024-01-01T00:30:00+01:00");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[1].uninstallBy");

        Assert.Contains("before effectiveFrom", error.Message);
    }

    [Fact]
    public void Parser_accepts_uninstallBy_equal_to_effectiveFrom_as_a_ban_without_grace()
    {
        var json = BanListJson.Valid;

        var wechat = BanListParser.Parse(json).Document!.Bans[1];

        Assert.Equal(wechat.EffectiveFrom, wechat.UninstallBy);
    }

    [Theory]
    [InlineData("2024-01-01T00:00:00Z")]
    [InlineData("2023-06-01T00:00:00Z")]
    public void Parser_rejects_expiresOn_not_after_uninstallBy(string expiresOn)
    {
        var json = BanListJson.With(d => d.Ban(1)["expiresOn"] = expiresOn);

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[1].expiresOn");

        Assert.Contains("must be after uninstallBy", error.Message);
    }

    [Theory]
    [InlineData("report", EnforcementMode.Report)]
    [InlineData("enforce", EnforcementMode.Enforce)]
    public void Parser_reads_the_enforcement_mode(string value, EnforcementMode expected)
    {
        var json = BanListJson.With(d => d.Ban(1)["enforcement"] = value);

        var ban = BanListParser.Parse(json).Document!.Bans[1];

        Assert.Equal(expected, ban.Enforcement);
    }

    [Theory]
    [InlineData("block")]
    [InlineData("")]
    public void Parser_rejects_an_unknown_enforcement_mode(string value)
    {
        var json = BanListJson.With(d => d.Ban()["enforcement"] = value);

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].enforcement");

        Assert.Equal($"'{value}' is not allowed in enforcement; use one of: report, enforce", error.Message);
    }
}
