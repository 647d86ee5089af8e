namespace IntuneBanSync.Tests.Enforcement.Remediation;

public sealed class PowerShellLiteralTests
{
    public static TheoryData<string> Hostile =>
    [
        "TikTok",
        "O'Brien's App",
        "'; Remove-Item -Recurse -Force C:\\ ; '",
        "$(Invoke-Expression 'calc.exe')",
        "${env:ComSpec}",
        "`$x `n `' backtick",
        "a; b | c & d",
        "\u2018curly\u2019 \u201Alow\u201B quotes",
        "'\u2019",
        "''",
        "@('x') + @('y')",
        "# not a comment",
        "<# not a block #>",
        "\"double\" quotes",
        "emoji 🎵 and accents é",
        "抖音",
        "\u2019) + (Invoke-Expression 'calc') + ('",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_quoted_value_reads_back_as_exactly_the_value(string value)
    {
        var quoted = PowerShellLiteral.Quote(value, "apps.displayNames");

        Assert.Equal(value, PowerShellReader.Value(quoted));
    }

    [Fact]
    public void Every_single_quote_is_doubled()
    {
        var quoted = PowerShellLiteral.Quote("O'Brien's '' app", "apps.displayNames");

        Assert.Equal("'O''Brien''s '''' app'", quoted);
    }

    [Fact]
    public void Characters_beyond_ascii_typographic_quotes_included_are_written_as_their_codes()
    {
        var quoted = PowerShellLiteral.Quote("\u2018Tik\u2019 抖音", "apps.displayNames");

        Assert.Equal("('' + [char]0x2018 + 'Tik' + [char]0x2019 + ' ' + [char]0x6296 + [char]0x97F3)", quoted);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_quoted_value_is_plain_ascii(string value)
    {
        var quoted = PowerShellLiteral.Quote(value, "apps.displayNames");

        Assert.All(quoted, c => Assert.InRange(c, ' ', '~'));
    }

    [Fact]
    public void Dollar_signs_backticks_and_semicolons_are_written_as_they_are()
    {
        var quoted = PowerShellLiteral.Quote("$(calc); `n", "apps.displayNames");

        Assert.Equal("'$(calc); `n'", quoted);
    }

    [Theory]
    [InlineData("Tik\nTok", "U+000A")]
    [InlineData("Tik\rTok", "U+000D")]
    [InlineData("Tik\u2028Tok", "U+2028")]
    [InlineData("Tik\u0000Tok", "U+0000")]
    [InlineData("Tik\u202ETok", "U+202E")]
    public void A_value_with_a_control_character_is_refused_naming_the_field(string value, string character)
    {
        var error = Assert.Throws<ArgumentException>(() => PowerShellLiteral.Quote(value, "apps.windows"));

        Assert.Contains("apps.windows", error.Message, StringComparison.Ordinal);
        Assert.Contains(character, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_with_a_lone_surrogate_is_refused()
    {
        Assert.Throws<ArgumentException>(() => PowerShellLiteral.Quote("Tik\uD800Tok", "apps.displayNames"));
    }

    [Fact]
    public void An_array_reads_back_as_its_values_in_order()
    {
        string[] values = ["a'b", "$(c)", "d"];

        var array = PowerShellLiteral.Array(values, "apps.displayNames");

        Assert.Equal(values, PowerShellReader.Array(array));
        Assert.Equal("@()", PowerShellLiteral.Array([], "apps.windows"));
    }
}
