namespace IntuneBanSync.Tests.Inventory;

public sealed class CsvRowsTests
{
    [Fact]
    public async Task Quoted_fields_keep_their_commas_doubled_quotes_and_line_breaks()
    {
        var csv = "\uFEFFApplicationName,DeviceId\r\n\"TikTok, Lite\",d1\r\n\"say \"\"hi\"\"\",d2\n\"two\r\nlines\",d3";

        var rows = await ReadAllAsync(csv);

        Assert.Equal(
            [["ApplicationName", "DeviceId"], ["TikTok, Lite", "d1"], ["say \"hi\"", "d2"], ["two\r\nlines", "d3"]],
            rows);
    }

    [Fact]
    public async Task A_trailing_line_break_ends_the_last_record_without_an_empty_one()
    {
        var rows = await ReadAllAsync("a,b\r\n1,\r\n");

        Assert.Equal([["a", "b"], ["1", ""]], rows);
    }

    [Fact]
    public async Task A_file_ending_inside_a_quoted_field_is_refused()
    {
        var csv = new CsvRows(new StringReader("a\r\n\"unterminated"));
        await csv.ReadAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await csv.ReadAsync(CancellationToken.None));
    }

    private static async Task<List<List<string>>> ReadAllAsync(string text)
    {
        var csv = new CsvRows(new StringReader(text));
        var rows = new List<List<string>>();
        while (await csv.ReadAsync(CancellationToken.None) is { } row)
            rows.Add([.. row]);
        return rows;
    }
}
