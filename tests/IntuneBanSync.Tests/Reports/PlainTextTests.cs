using System.Text.RegularExpressions;

namespace IntuneBanSync.Tests.Reports;

public sealed class PlainTextTests
{
    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x0007)]
    [InlineData(0x0009)]
    [InlineData(0x000A)]
    [InlineData(0x000D)]
    [InlineData(0x001B)]
    [InlineData(0x001F)]
    [InlineData(0x007F)]
    [InlineData(0x0080)]
    [InlineData(0x0085)]
    [InlineData(0x009B)]
    [InlineData(0x009F)]
    public void Strip_removes_c0_and_c1_control_characters(int control)
    {
        var text = $"Tik{(char)control}Tok";

        var plain = PlainText.Strip(text);

        Assert.Equal("TikTok", plain);
    }

    [Theory]
    [InlineData(0x2028)]
    [InlineData(0x2029)]
    public void Strip_removes_the_line_and_paragraph_separators(int separator)
    {
        var text = $"Tik{(char)separator}Tok";

        var plain = PlainText.Strip(text);

        Assert.Equal("TikTok", plain);
    }

    [Theory]
    [InlineData(0x202A)]
    [InlineData(0x202B)]
    [InlineData(0x202C)]
    [InlineData(0x202D)]
    [InlineData(0x202E)]
    [InlineData(0x2066)]
    [InlineData(0x2067)]
    [InlineData(0x2068)]
    [InlineData(0x2069)]
    [InlineData(0x200E)]
    [InlineData(0x200F)]
    [InlineData(0x061C)]
    public void Strip_removes_bidirectional_controls(int bidi)
    {
        var text = $"ko{(char)bidi}Tk{(char)bidi}iT";

        var plain = PlainText.Strip(text);

        Assert.Equal("koTkiT", plain);
    }

    [Theory]
    [InlineData(@"a\uD800b", @"a\uFFFDb")]
    [InlineData(@"a\uDC00b", @"a\uFFFDb")]
    [InlineData(@"TikTok\uD83D", @"TikTok\uFFFD")]
    [InlineData(@"\uDE00TikTok", @"\uFFFDTikTok")]
    [InlineData(@"\uDC00\uD800", @"\uFFFD\uFFFD")]
    [InlineData(@"\uD800\uD83D\uDE00", @"\uFFFD\uD83D\uDE00")]
    public void Strip_replaces_each_lone_surrogate_with_the_replacement_character(string escapedText, string escapedExpected)
    {
        var text = Unescaped(escapedText);

        var plain = PlainText.Strip(text);

        Assert.Equal(Unescaped(escapedExpected), plain);
    }

    [Theory]
    [InlineData("TikTok")]
    [InlineData("抖音 — Лайт עברית العربية")]
    [InlineData("TikTok \U0001F3B5 \U0001F600")]
    [InlineData("")]
    public void Strip_keeps_ordinary_text_and_surrogate_pairs_as_they_are(string text)
    {
        var plain = PlainText.Strip(text);

        Assert.Equal(text, plain);
    }

    [Fact]
    public void Strip_turns_null_into_empty_text()
    {
        var plain = PlainText.Strip(null);

        Assert.Equal("", plain);
    }

    [Fact]
    public void Strip_defuses_a_terminal_escape_sequence()
    {
        var text = "TikTok\u001B[2J\u001B]0;pwned\u0007";

        var plain = PlainText.Strip(text);

        Assert.Equal("TikTok[2J]0;pwned", plain);
    }

    [Theory]
    [InlineData(@"a\u000Ab", @"a\u000Ab")]
    [InlineData(@"\u0000", @"\u0000")]
    [InlineData(@"x\u202Ey", @"x\u202Ey")]
    [InlineData(@"a\uD800b", @"a\uD800b")]
    public void Visible_shows_control_characters_and_lone_surrogates_as_escapes(string escapedText, string expected)
    {
        var text = Unescaped(escapedText);

        var visible = PlainText.Visible(text, 80);

        Assert.Equal(expected, visible);
    }

    [Theory]
    [InlineData("TikTok \U0001F3B5")]
    [InlineData("it's \\ fine")]
    public void Visible_keeps_ordinary_text_and_surrogate_pairs_as_they_are(string text)
    {
        var visible = PlainText.Visible(text, 80);

        Assert.Equal(text, visible);
    }

    [Fact]
    public void Visible_shortens_text_longer_than_its_limit_with_an_ellipsis()
    {
        var text = new string('x', 81);

        var visible = PlainText.Visible(text, 80);

        Assert.Equal(new string('x', 80) + "…", visible);
    }

    [Fact]
    public void Visible_keeps_text_of_exactly_its_limit()
    {
        var text = new string('x', 80);

        var visible = PlainText.Visible(text, 80);

        Assert.Equal(text, visible);
    }

    [Fact]
    public void Visible_never_splits_a_surrogate_pair_when_it_shortens()
    {
        var text = new string('x', 79) + "\U0001F600" + "tail";

        var visible = PlainText.Visible(text, 80);

        Assert.Equal(new string('x', 79) + "…", visible);
    }

    [Theory]
    [InlineData("TikTok", -1)]
    [InlineData(@"Tik\u0009Tok", 3)]
    [InlineData(@"\u202ETikTok", 0)]
    [InlineData(@"TikTok\u2028", 6)]
    [InlineData(@"TikTok \uD83D\uDE00", -1)]
    public void IndexOfControl_finds_the_first_control_character(string escapedText, int expected)
    {
        var index = PlainText.IndexOfControl(Unescaped(escapedText));

        Assert.Equal(expected, index);
    }

    /// <summary>Test data holds <c>\uXXXX</c> escapes, not the characters, so test names and result files stay readable.</summary>
    private static string Unescaped(string escaped) => Regex.Unescape(escaped);
}
