using IntuneBanSync.BanList;

namespace IntuneBanSync.Tests.BanList;

/// <summary>Reads files: the shipped sample, and a path that does not exist.</summary>
public sealed class BanListFileTests
{
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
