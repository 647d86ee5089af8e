namespace IntuneBanSync.Tests.Journal;

public sealed class SummaryTruncationTests
{
    [Fact]
    public void Summary_within_the_limit_is_kept_as_is()
    {
        var json = "{\"devices\":" + new string('1', TableText.MaxLongText - 12) + "}";

        var (fitted, truncated) = TableText.FitSummary(json);

        Assert.Equal(json, fitted);
        Assert.False(truncated);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("\"")]
    [InlineData("\u0001")]
    [InlineData("😀")]
    public void Oversized_summary_becomes_parseable_json_within_the_limit_holding_its_head(string repeated)
    {
        var json = string.Concat(Enumerable.Repeat(repeated, (TableText.MaxLongText / repeated.Length) + 10));

        var (fitted, truncated) = TableText.FitSummary(json);

        Assert.True(truncated);
        Assert.InRange(fitted!.Length, 1, TableText.MaxLongText);
        using var document = JsonDocument.Parse(fitted);
        var head = document.RootElement.GetProperty("head").GetString()!;
        Assert.StartsWith(head, json, StringComparison.Ordinal);
        Assert.True(head.Length > 0);
        Assert.Equal(json.Length, document.RootElement.GetProperty("originalLength").GetInt32());
    }

    [Fact]
    public void Truncation_never_splits_a_surrogate_pair()
    {
        var json = "x" + string.Concat(Enumerable.Repeat("😀", TableText.MaxLongText));

        var (fitted, _) = TableText.FitSummary(json);

        using var document = JsonDocument.Parse(fitted!);
        var head = document.RootElement.GetProperty("head").GetString()!;
        Assert.False(char.IsHighSurrogate(head[^1]));
    }

    [Fact]
    public void Missing_summary_stays_missing()
    {
        var (fitted, truncated) = TableText.FitSummary(null);

        Assert.Null(fitted);
        Assert.False(truncated);
    }
}
