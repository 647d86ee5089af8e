namespace IntuneBanSync.Tests.BanList;

/// <summary>Text that reaches terminals, log lines and Entra display names holds no control, line-break or bidi-override character.</summary>
public sealed class BanListParserControlCharacterTests
{
    private static readonly string[] TextPaths =
    [
        "$.bans[0].id", "$.bans[0].name", "$.bans[0].reason", "$.bans[0].reference",
        "$.bans[0].apps.displayNames[1]", "$.bans[0].apps.ios[0]", "$.bans[0].apps.android[1]", "$.bans[0].apps.windows[0]",
        "$.exemptions[1].id", "$.exemptions[1].ban", "$.exemptions[1].justification", "$.exemptions[1].approvedBy",
    ];

    private static readonly char[] Controls =
    [
        '\u0000', '\t', '\n', '\r', '\u001B', '\u007F', '\u0085', '\u009B',
        '\u2028', '\u2029', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069',
        '\u200E', '\u200F', '\u061C',
    ];

    public static TheoryData<string, int> EveryTextWithEveryControl()
    {
        var data = new TheoryData<string, int>();
        foreach (var path in TextPaths)
        {
            foreach (var control in Controls)
            {
                data.Add(path, control);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTextWithEveryControl))]
    public void Parser_rejects_a_control_character_inside_a_text_at_its_path(string path, int control)
    {
        var json = BanListJson.With(d => d.SetString(path, $"tik{(char)control}tok"));

        var result = BanListParser.Parse(json);

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors, e => e.Path == path);
        Assert.Equal(
            $"contains the control character U+{control.ToString("X4", CultureInfo.InvariantCulture)} at character 4: control, line-break and bidirectional-formatting characters are not allowed",
            error.Message);
    }

    [Theory]
    [InlineData("$.bans[0].name")]
    [InlineData("$.bans[0].apps.displayNames[0]")]
    [InlineData("$.bans[0].id")]
    [InlineData("$.exemptions[1].approvedBy")]
    public void Parser_rejects_a_trailing_newline_rather_than_trimming_it(string path)
    {
        var json = BanListJson.With(d => d.SetString(path, "tiktok\n"));

        var result = BanListParser.Parse(json);

        Assert.Null(result.Document);
        Assert.Contains(result.Errors, e => e.Path == path && e.Message.StartsWith("contains the control character U+000A at character 7", StringComparison.Ordinal));
    }

    [Fact]
    public void Parser_accepts_text_in_any_script()
    {
        var json = BanListJson.With(d =>
        {
            d.Ban()["name"] = "抖音 TikTok — Лайт עברית العربية 🎵";
            d.Ban()["reason"] = "Décision du conseil de sécurité";
        });

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal("抖音 TikTok — Лайт עברית العربية 🎵", result.Document!.Bans[0].Name);
    }
}
