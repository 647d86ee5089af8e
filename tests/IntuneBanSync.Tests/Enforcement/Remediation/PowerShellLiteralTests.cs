using IntuneBanSync.Enforcement.Remediation;

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
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_quoted_value_reads_back_as_exactly_the_value(string value)
    {
        var quoted = PowerShellLiteral.Quote(value, "apps.displayNames");

        Assert.Equal(value, PowerShellReader.Literal(quoted));
    }

    [Fact]
    public void Every_single_quote_is_doubled_including_the_typographic_ones()
    {
        var quoted = PowerShellLiteral.Quote("it's \u2018a\u2019 \u201Ab\u201B", "apps.displayNames");

        Assert.Equal("'it''s \u2018\u2018a\u2019\u2019 \u201A\u201Ab\u201B\u201B'", quoted);
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
