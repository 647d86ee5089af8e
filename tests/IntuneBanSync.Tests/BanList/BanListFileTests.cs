using System.Diagnostics;
using System.Text;

namespace IntuneBanSync.Tests.BanList;

/// <summary>Reads files: the shipped sample, a path that does not exist, and files that never end or are not UTF-8.</summary>
public sealed class BanListFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ibs-banlist-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Sample_ban_list_at_the_repository_root_parses()
    {
        var path = Path.Combine(RepositoryRoot(), "banlist.sample.json");

        var result = BanListParser.ParseFile(path);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        var ban = Assert.Single(result.Document!.Bans);
        Assert.Equal("tiktok", ban.Id);
        Assert.Equal(["TikTok", "TikTok Lite"], ban.Apps.DisplayNames);
        Assert.Equal(["com.zhiliaoapp.musically"], ban.Apps.Ios);
        Assert.Equal(["com.zhiliaoapp.musically", "com.zhiliaoapp.musically.go", "com.ss.android.ugc.trill"], ban.Apps.Android);
        Assert.Equal(["9NH2GPH4JZS4"], ban.Apps.Windows);
        Assert.Equal(EnforcementMode.Report, ban.Enforcement);
        Assert.Equal(4, ban.Scope.Platforms.Count);
        Assert.Equal(2, ban.Scope.Ownership.Count);
        var exemption = Assert.Single(result.Document.Exemptions);
        Assert.Equal("police-comms", exemption.Id);
        Assert.Equal(ExemptionSubjectKind.User, exemption.Subject.Kind);
    }

    [Fact]
    public void ParseFile_reports_a_missing_file_as_an_error_at_the_root()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ibs-missing-{Guid.NewGuid():N}", "banlist.json");

        var result = BanListParser.ParseFile(path);

        var error = BanListJson.SingleError(result, "$");
        Assert.Contains(path, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void ParseFile_reports_a_directory_given_as_the_file_as_an_error_at_the_root()
    {
        var path = AppContext.BaseDirectory;

        var result = BanListParser.ParseFile(path);

        var error = BanListJson.SingleError(result, "$");
        Assert.StartsWith("cannot read the ban list file", error.Message);
    }

    [UnixFact]
    public void ParseFile_stops_reading_dev_zero_at_the_size_limit()
    {
        var result = BanListParser.ParseFile("/dev/zero");

        var error = BanListJson.SingleError(result, "$");
        Assert.Equal("the ban list file '/dev/zero' is larger than 1,048,576 bytes, the most this tool reads", error.Message);
    }

    [UnixFact]
    public async Task ParseFile_stops_reading_a_fifo_that_never_ends_at_the_size_limit()
    {
        var fifo = Path.Combine(_folder, "banlist.fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var writer = Task.Run(() => WriteForever(fifo));

        var result = BanListParser.ParseFile(fifo);

        BanListJson.SingleError(result, "$");
        Assert.Contains("is larger than 1,048,576 bytes", result.Errors[0].Message);
        await writer;
    }

    [Fact]
    public void ParseFile_rejects_a_ten_gigabyte_file_after_reading_one_mebibyte()
    {
        var path = Path.Combine(_folder, "huge.json");
        using (var file = File.Create(path))
        {
            file.SetLength(10L * 1024 * 1024 * 1024);
        }

        var result = BanListParser.ParseFile(path);

        var error = BanListJson.SingleError(result, "$");
        Assert.Contains("is larger than 1,048,576 bytes", error.Message);
    }

    [Fact]
    public void ParseFile_rejects_a_file_one_byte_over_the_size_limit()
    {
        var path = WriteFile("over.json", Encoding.UTF8.GetBytes(Padded(BanListLimits.MaxDocumentSize + 1)));

        var result = BanListParser.ParseFile(path);

        var error = BanListJson.SingleError(result, "$");
        Assert.Contains("is larger than 1,048,576 bytes", error.Message);
    }

    [Fact]
    public void ParseFile_accepts_a_file_of_exactly_the_size_limit()
    {
        var path = WriteFile("limit.json", Encoding.UTF8.GetBytes(Padded(BanListLimits.MaxDocumentSize)));

        var result = BanListParser.ParseFile(path);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void ParseFile_rejects_invalid_utf8_inside_a_string_at_the_root_with_its_byte()
    {
        var text = Encoding.UTF8.GetBytes(BanListJson.Valid);
        var at = BanListJson.Valid.IndexOf("TikTok Lite", StringComparison.Ordinal);
        text[at + 6] = 0xFF;
        var path = WriteFile("latin1.json", text);

        var result = BanListParser.ParseFile(path);

        var error = BanListJson.SingleError(result, "$");
        Assert.Equal($"the ban list file '{path}' is not valid UTF-8 (byte {at + 7:N0}): save it as UTF-8", error.Message);
    }

    [Fact]
    public void ParseFile_rejects_a_utf16_file_asking_for_utf8()
    {
        var path = WriteFile("utf16.json", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(BanListJson.Valid)]);

        var result = BanListParser.ParseFile(path);

        var error = BanListJson.SingleError(result, "$");
        Assert.Equal($"the ban list file '{path}' is UTF-16 (it starts with a UTF-16 byte order mark): save it as UTF-8", error.Message);
    }

    [Fact]
    public void ParseFile_accepts_utf8_with_a_byte_order_mark()
    {
        var path = WriteFile("bom.json", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(BanListJson.Valid)]);

        var result = BanListParser.ParseFile(path);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void ParseFile_reports_a_lone_surrogate_escape_at_its_path()
    {
        var path = WriteFile("surrogate.json", Encoding.UTF8.GetBytes(BanListJson.Valid.Replace("\"TikTok Lite\"", "\"TikTok \\ud800Lite\"", StringComparison.Ordinal)));

        var result = BanListParser.ParseFile(path);

        var error = BanListJson.SingleError(result, "$.bans[0].apps.displayNames[1]");
        Assert.Contains("unpaired UTF-16 surrogate", error.Message);
    }

    private static string Padded(int length) => BanListJson.Valid + new string(' ', length - Encoding.UTF8.GetByteCount(BanListJson.Valid));

    private string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static void WriteForever(string fifo)
    {
        var zeros = new byte[64 * 1024];
        try
        {
            using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            while (true)
            {
                stream.Write(zeros);
            }
        }
        catch (IOException)
        {
            // The reader closed its end: it stopped reading, which is what the test asserts.
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IntuneBanSync.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds IntuneBanSync.sln.");
    }
}

/// <summary>A test of Unix special files (/dev/zero, FIFOs); skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "needs Unix special files";
        }
    }
}
