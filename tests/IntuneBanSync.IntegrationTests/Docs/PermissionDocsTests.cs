namespace IntuneBanSync.IntegrationTests.Docs;

/// <summary>README, infra/README.md and the grant scripts are the permission manifest's own output: they cannot drift from the code.</summary>
public sealed class PermissionDocsTests
{
    [Theory]
    [InlineData("README.md")]
    [InlineData("infra/README.md")]
    public void The_permission_table_of_a_readme_is_the_manifest(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), file));

        var section = Between(text, "<!-- permissions:begin", "<!-- permissions:end -->");

        Assert.Equal(PermissionsCommand.Render(Mechanisms.Permissions, "markdown"), section);
    }

    [Theory]
    [InlineData("infra/grant-permissions.sh", "bash")]
    [InlineData("infra/grant-permissions.ps1", "powershell")]
    public void A_grant_script_is_the_manifest(string file, string format)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), file));

        Assert.Equal(PermissionsCommand.Render(Mechanisms.Permissions, format), text);
    }

    private static string Between(string text, string begin, string end)
    {
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {begin}");
        start = text.IndexOf('\n', start) + 1;
        return text[start..text.IndexOf(end, start, StringComparison.Ordinal)];
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IntuneBanSync.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("The tests run outside the repository.");
    }
}
