namespace IntuneBanSync.Tests.BanList;

/// <summary>Whatever the text, the parser answers with errors that name a path; it never throws.</summary>
public sealed class BanListParserHostileInputTests
{
    private static readonly string[] LoneSurrogates = [@"\ud800", @"\udfff", @"\ud800\u0041", @"x\udc00\ud800y"];

    private static readonly string[] ObjectPaths = ["$", "$.bans[0]", "$.bans[0].apps", "$.bans[0].scope", "$.exemptions[0]"];

    public static TheoryData<string, string> EveryStringWithEveryLoneSurrogate()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in BanListJson.StringPaths())
        {
            foreach (var surrogate in LoneSurrogates)
            {
                data.Add(path, surrogate);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStringWithEveryLoneSurrogate))]
    public void Parser_rejects_a_lone_surrogate_in_any_string_at_its_path(string path, string escapedSurrogate)
    {
        var json = BanListJson.WithRaw(d => d.SetString(path, BanListJson.Marker), $"\"{escapedSurrogate}\"");

        var error = BanListJson.SingleError(BanListParser.Parse(json), path);

        Assert.Contains("unpaired UTF-16 surrogate", error.Message);
    }

    public static TheoryData<string> Objects() => [.. ObjectPaths];

    [Theory]
    [MemberData(nameof(Objects))]
    public void Parser_rejects_a_property_named_with_a_lone_surrogate_at_that_property(string objectPath)
    {
        var json = BanListJson.WithRaw(d => Find(d, objectPath)[BanListJson.Marker] = 1, "\"\\ud800\"");

        var error = BanListJson.SingleError(BanListParser.Parse(json), $"{objectPath}['\\ud800']");

        Assert.Contains("unpaired UTF-16 surrogate", error.Message);
    }

    [Fact]
    public void Parser_rejects_a_lone_surrogate_nested_inside_an_unknown_property()
    {
        var json = BanListJson.WithRaw(d => d["comment"] = new JsonObject { ["notes"] = new JsonArray("ok", BanListJson.Marker) }, "\"\\udc00\"");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.comment.notes[1]");

        Assert.Contains("unpaired UTF-16 surrogate", error.Message);
    }

    [Fact]
    public void Parser_accepts_a_surrogate_pair_written_as_two_escapes()
    {
        var json = BanListJson.WithRaw(d => d.Ban()["name"] = BanListJson.Marker, "\"\\ud83c\\udfb5 TikTok\"");

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal("\U0001F3B5 TikTok", result.Document!.Bans[0].Name);
    }

    [Fact]
    public void Parser_rejects_text_holding_an_unpaired_surrogate_itself_at_the_root()
    {
        var json = BanListJson.Valid.Replace("TikTok Lite", "TikTok \uD800Lite", StringComparison.Ordinal);

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$");

        Assert.Contains("unpaired UTF-16 surrogate", error.Message);
    }

    [Fact]
    public void Parser_shows_a_property_name_with_control_characters_escaped_in_its_path()
    {
        var json = BanListJson.WithRaw(d => d[BanListJson.Marker] = 1, "\"a\\u0000b\\u001b[31m\"");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$['a\\u0000b\\u001B[31m']");

        Assert.StartsWith("unknown property 'a\\u0000b\\u001B[31m'", error.Message);
    }

    [Fact]
    public void Parser_shortens_a_long_value_it_quotes_in_an_error()
    {
        var json = BanListJson.With(d => d.Ban(1)["enforcement"] = new string('x', 100_000));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[1].enforcement");

        Assert.StartsWith($"'{new string('x', 80)}…' is not allowed in enforcement", error.Message);
    }

    [Fact]
    public void Parser_reports_at_most_100_errors_and_how_many_more_there_were()
    {
        var json = BanListJson.With(d =>
        {
            for (var i = 0; i < 150; i++)
            {
                d[$"comment{i}"] = i;
            }
        });

        var result = BanListParser.Parse(json);

        Assert.Equal(BanListLimits.MaxReportedErrors + 1, result.Errors.Count);
        Assert.Equal(new BanListError("$", "50 more errors are not shown"), result.Errors[^1]);
    }

    public static TheoryData<string> HostileDocuments() => [.. Hostile.Keys];

    [Theory]
    [MemberData(nameof(HostileDocuments))]
    public void Parser_never_throws_and_answers_a_hostile_document_with_errors_that_name_a_path(string hostile)
    {
        var json = Hostile[hostile]();

        var result = BanListParser.Parse(json);

        Assert.False(result.IsValid, hostile);
        Assert.Null(result.Document);
        Assert.InRange(result.Errors.Count, 1, BanListLimits.MaxReportedErrors + 1);
        Assert.All(result.Errors, error =>
        {
            Assert.StartsWith("$", error.Path, StringComparison.Ordinal);
            Assert.NotEmpty(error.Message);
            Assert.Equal(PlainText.Strip(error.ToString()), error.ToString());
            Assert.InRange(error.ToString().Length, 1, 1_000);
        });
    }

    public static TheoryData<string, string> EveryStringWithEveryHostileValue()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in BanListJson.StringPaths())
        {
            foreach (var value in HostileValues.Keys)
            {
                data.Add(path, value);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStringWithEveryHostileValue))]
    public void Parser_rejects_a_hostile_value_in_any_string_at_its_path(string path, string hostile)
    {
        var json = BanListJson.WithRaw(d => d.SetString(path, BanListJson.Marker), HostileValues[hostile]);

        var result = BanListParser.Parse(json);

        Assert.Null(result.Document);
        Assert.Contains(result.Errors, e => e.Path == path);
        Assert.All(result.Errors, error => Assert.Equal(PlainText.Strip(error.ToString()), error.ToString()));
    }

    private static readonly Dictionary<string, string> HostileValues = new()
    {
        ["NUL inside"] = "\"Tik\\u0000Tok\"",
        ["right-to-left override inside"] = "\"Tik\\u202eTok\"",
        ["escape sequence inside"] = "\"Tik\\u001b[2JTok\"",
        ["100,000 characters"] = $"\"{new string('x', 100_000)}\"",
        ["a number"] = "1e400",
        ["an object"] = "{\"a\": [[[[[]]]]]}",
    };

    private static readonly Dictionary<string, Func<string>> Hostile = new()
    {
        ["a lone surrogate as the whole document"] = () => "\"\\ud800\"",
        ["a lone surrogate as a property name of an empty document"] = () => "{\"\\udc00\": 1}",
        ["a raw lone surrogate in a property name"] = () => "{\"version\": 1, \"\uDC00\": 1}",
        ["a raw lone surrogate at the end"] = () => "{\"version\": 1}\uD800",
        ["NUL as a property name"] = () => "{\"version\": 1, \"\\u0000\": 1}",
        ["a raw NUL outside strings"] = () => "{\"version\": 1,\0 \"bans\": []}",
        ["a raw escape character in a string"] = () => "{\"version\": \"\u001b[2J\"}",
        ["a bidi override in every name"] = () => BanListJson.Valid.Replace("\"name\": \"", "\"name\": \"\u202E", StringComparison.Ordinal),
        ["arrays nested 100,000 deep"] = () => new string('[', 100_000) + new string(']', 100_000),
        ["objects nested 1,000 deep"] = () => string.Concat(Enumerable.Repeat("{\"a\":", 1_000)) + "1" + new string('}', 1_000),
        ["objects nested 20 deep in an unknown property"] = () =>
            BanListJson.Valid.Replace("\"version\": 1,", "\"version\": 1, \"x\": " + string.Concat(Enumerable.Repeat("{\"a\":", 20)) + "1" + new string('}', 20) + ",", StringComparison.Ordinal),
        ["version 1e400"] = () => BanListJson.Valid.Replace("\"version\": 1", "\"version\": 1e400", StringComparison.Ordinal),
        ["version of 100,000 digits"] = () => BanListJson.Valid.Replace("\"version\": 1", "\"version\": 1" + new string('0', 100_000), StringComparison.Ordinal),
        ["version -1e-400"] = () => BanListJson.Valid.Replace("\"version\": 1", "\"version\": -1e-400", StringComparison.Ordinal),
        ["maxDevices 1e400"] = () => BanListJson.With(d => d.Ban()["blastRadius"] = JsonNode.Parse("{\"maxDevices\": 1e400}")),
        ["maxPercent of 10,000 digits"] = () => BanListJson.With(d => d.Ban()["blastRadius"] = JsonNode.Parse("{\"maxPercent\": 1" + new string('0', 10_000) + "}")),
        ["maxDevices -0"] = () => BanListJson.With(d => d.Ban()["blastRadius"] = JsonNode.Parse("{\"maxDevices\": -0, \"maxPercent\": -1}")),
        ["a property name of 100,000 characters"] = () => "{\"" + new string('v', 100_000) + "\": 1}",
        ["100,000 unknown properties"] = () => "{" + string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"\"p{i}\":0")) + "}",
        ["200,000 display names"] = () => BanListJson.With(d => d.Apps()["displayNames"] = new JsonArray([.. Enumerable.Range(0, 200_000).Select(i => (JsonNode)i.ToString(CultureInfo.InvariantCulture))])),
        ["a text larger than 1 MiB"] = () => BanListJson.Valid + new string(' ', BanListLimits.MaxDocumentSize),
        ["a UTF-8 byte order mark and nothing else"] = () => "\uFEFF",
        ["a lone surrogate in an exemption's ban reference"] = () => BanListJson.WithRaw(d => d.Exemption()["ban"] = BanListJson.Marker, "\"tiktok\\ud800\""),
        ["surrogate escapes in every place at once"] = () => BanListJson.Valid.Replace("TikTok", "Tik\\udbffTok", StringComparison.Ordinal),
    };

    private static JsonObject Find(JsonObject document, string path) => path switch
    {
        "$" => document,
        "$.bans[0]" => document.Ban(),
        "$.bans[0].apps" => document.Apps(),
        "$.bans[0].scope" => document.Scope(),
        _ => document.Exemption(),
    };
}
