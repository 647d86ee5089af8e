namespace IntuneBanSync.Tests.Enforcement.Remediation;

public sealed class RemediationScriptsTests
{
    private static readonly string[] HostileNames =
    [
        "TikTok",
        "Tik'Tok'; Remove-Item -Recurse C:\\Windows; '",
        "$(Start-Process calc.exe)",
        "`$env:TEMP`; whoami",
        "\u2019); Invoke-Expression ('evil",
        "# IntuneBanSync-Targets: {\"displayNames\":[\"everything\"]}",
        "抖音",
    ];

    private static readonly string[] HostileIdentifiers = ["9NH2GPH4JZS4", "Bytedance'; exit 0; '", "$(iex x)"];

    [Fact]
    public void Hostile_display_names_and_identifiers_read_back_as_literal_values()
    {
        var scripts = RemediationScripts.For(BanWith(HostileNames, HostileIdentifiers));

        foreach (var script in new[] { scripts.Detection, scripts.Remediation })
        {
            Assert.Equal(HostileNames.Order(StringComparer.Ordinal), PowerShellReader.Array(ValueOf(script, "$DisplayNames = ")));
            Assert.Equal(HostileIdentifiers.Order(StringComparer.Ordinal), PowerShellReader.Array(ValueOf(script, "$Identifiers = ")));
        }
    }

    [Fact]
    public void Hostile_values_change_nothing_but_the_lines_that_hold_them()
    {
        var plain = RemediationScripts.For(BanWith(["TikTok"], ["9NH2GPH4JZS4"]));

        var hostile = RemediationScripts.For(BanWith(HostileNames, HostileIdentifiers));

        Assert.Equal(WithoutValues(plain.Detection), WithoutValues(hostile.Detection));
        Assert.Equal(WithoutValues(plain.Remediation), WithoutValues(hostile.Remediation));
    }

    [Fact]
    public void The_marker_line_carries_the_values_as_json_in_plain_ascii()
    {
        var scripts = RemediationScripts.For(BanWith(HostileNames, HostileIdentifiers));

        var line = scripts.Detection.Split('\n').Single(l => l.StartsWith(RemediationScripts.MarkerPrefix, StringComparison.Ordinal));
        var marker = JsonDocument.Parse(line[RemediationScripts.MarkerPrefix.Length..]).RootElement;
        Assert.Equal(HostileNames.Order(StringComparer.Ordinal), marker.GetProperty("displayNames").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(HostileIdentifiers.Order(StringComparer.Ordinal), marker.GetProperty("identifiers").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("tiktok", marker.GetProperty("ban").GetString());
        Assert.All(line, c => Assert.InRange(c, ' ', '~'));
        Assert.DoesNotContain('\'', line);
    }

    [Fact]
    public void The_order_and_repetition_of_values_in_the_ban_list_do_not_change_the_scripts()
    {
        var first = RemediationScripts.For(BanWith(["TikTok", "TikTok Lite"], ["9NH2GPH4JZS4", "BytedancePte.Ltd.TikTok"]));

        var second = RemediationScripts.For(BanWith([" TikTok Lite", "tiktok", "TikTok"], ["BytedancePte.Ltd.TikTok", "9NH2GPH4JZS4"]));

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_changed_identifier_changes_both_scripts_and_their_digest()
    {
        var before = RemediationScripts.For(BanWith(["TikTok"], ["9NH2GPH4JZS4"]));

        var after = RemediationScripts.For(BanWith(["TikTok"], ["9NH2GPH4JZS4", "BytedancePte.Ltd.TikTok"]));

        Assert.NotEqual(before.Detection, after.Detection);
        Assert.NotEqual(before.Remediation, after.Remediation);
        Assert.NotEqual(before.Digest, after.Digest);
    }

    [Fact]
    public void Detection_looks_for_every_users_packages_and_remediation_removes_them_for_all_users()
    {
        var scripts = RemediationScripts.For(BanWith(["TikTok"], ["9NH2GPH4JZS4"]));

        Assert.Contains("Get-AppxPackage -AllUsers", scripts.Detection, StringComparison.Ordinal);
        Assert.Contains("exit 1", scripts.Detection, StringComparison.Ordinal);
        Assert.Contains("Remove-AppxPackage -Package $package.PackageFullName -AllUsers", scripts.Remediation, StringComparison.Ordinal);
        Assert.Contains("Remove-AppxProvisionedPackage -Online -PackageName $package.PackageName -AllUsers", scripts.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', scripts.Detection + scripts.Remediation);
        Assert.All(scripts.Detection + scripts.Remediation, c => Assert.True(c == '\n' || c is >= ' ' and <= '~', $"U+{(int)c:X4} is not plain ASCII"));
        Assert.False(scripts.Detection.StartsWith('\uFEFF'));
    }

    private static Ban BanWith(IReadOnlyList<string> displayNames, IReadOnlyList<string> windows) =>
        Fleet.Ban() with { Apps = new BanApps(displayNames, [], [], windows, []) };

    private static string ValueOf(string script, string prefix) => script.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    private static string WithoutValues(string script) =>
        string.Join('\n', script.Split('\n').Where(l =>
            !l.StartsWith(RemediationScripts.MarkerPrefix, StringComparison.Ordinal) && !l.StartsWith("$DisplayNames = ", StringComparison.Ordinal)
            && !l.StartsWith("$Identifiers = ", StringComparison.Ordinal)));
}
