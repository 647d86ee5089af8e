namespace IntuneBanSync.Tests.BanList;

/// <summary>Each size and count limit: its value is accepted, one more is an error at the field's path.</summary>
public sealed class BanListParserLimitTests
{
    public static TheoryData<string> Limits() => [.. Fields.Keys];

    [Theory]
    [MemberData(nameof(Limits))]
    public void Parser_accepts_a_field_at_its_limit(string field)
    {
        var (limit, _, set) = Fields[field];
        var json = BanListJson.With(d => set(d, limit));

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Theory]
    [MemberData(nameof(Limits))]
    public void Parser_rejects_a_field_over_its_limit_at_its_path(string field)
    {
        var (limit, path, set) = Fields[field];
        var json = BanListJson.With(d => set(d, limit + 1));

        var error = BanListJson.SingleError(BanListParser.Parse(json), path);

        Assert.Contains($"at most {limit.ToString("N0", CultureInfo.InvariantCulture)}", error.Message);
        Assert.Contains($"{(limit + 1).ToString("N0", CultureInfo.InvariantCulture)}", error.Message);
    }

    [Fact]
    public void Parser_measures_a_name_without_the_spaces_it_trims()
    {
        var json = BanListJson.With(d => d.Ban()["name"] = $"  {new string('n', BanListLimits.MaxNameLength)}  ");

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void Parser_rejects_a_megabyte_ban_name_without_quoting_it()
    {
        var json = BanListJson.With(d => d.Ban()["name"] = new string('n', 1_000_000));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].name");

        Assert.Equal("must be at most 100 characters (found 1,000,000)", error.Message);
    }

    [Fact]
    public void Parser_does_not_call_exemptions_unknown_when_the_bans_are_too_many_to_read()
    {
        var json = BanListJson.With(d => SetBans(d, BanListLimits.MaxBans + 1));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans");

        Assert.Equal("'bans' lists 251 entries; at most 250 are allowed", error.Message);
    }

    [Fact]
    public void Parser_rejects_a_text_larger_than_the_document_limit_at_the_root()
    {
        var json = BanListJson.Valid + new string(' ', BanListLimits.MaxDocumentSize - BanListJson.Valid.Length + 1);

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$");

        Assert.Equal("the ban list is 1,048,577 characters; at most 1,048,576 are read", error.Message);
    }

    [Fact]
    public void Parser_accepts_a_text_of_exactly_the_document_limit()
    {
        var json = BanListJson.Valid + new string(' ', BanListLimits.MaxDocumentSize - BanListJson.Valid.Length);

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    private static readonly Dictionary<string, (int Limit, string Path, Action<JsonObject, int> Set)> Fields = new()
    {
        ["bans"] = (BanListLimits.MaxBans, "$.bans", SetBans),
        ["exemptions"] = (BanListLimits.MaxExemptions, "$.exemptions", SetExemptions),
        ["name"] = (BanListLimits.MaxNameLength, "$.bans[0].name", (d, n) => d.Ban()["name"] = Text(n)),
        ["reason"] = (BanListLimits.MaxTextLength, "$.bans[0].reason", (d, n) => d.Ban()["reason"] = Text(n)),
        ["reference"] = (BanListLimits.MaxTextLength, "$.bans[0].reference", (d, n) => d.Ban()["reference"] = Text(n)),
        ["justification"] = (BanListLimits.MaxTextLength, "$.exemptions[1].justification", (d, n) => d.Exemption(1)["justification"] = Text(n)),
        ["approvedBy"] = (BanListLimits.MaxApprovedByLength, "$.exemptions[1].approvedBy", (d, n) => d.Exemption(1)["approvedBy"] = Text(n)),
        ["displayNames"] = (BanListLimits.MaxDisplayNames, "$.bans[0].apps.displayNames", (d, n) => d.Apps()["displayNames"] = Entries("App", n)),
        ["a display name"] = (BanListLimits.MaxDisplayNameLength, "$.bans[0].apps.displayNames[1]", (d, n) => d.Apps()["displayNames"]![1] = Text(n)),
        ["ios"] = (BanListLimits.MaxIdentifiersPerPlatform, "$.bans[0].apps.ios", (d, n) => d.Apps()["ios"] = Entries("com.example.app", n)),
        ["android"] = (BanListLimits.MaxIdentifiersPerPlatform, "$.bans[0].apps.android", (d, n) => d.Apps()["android"] = Entries("com.example.app", n)),
        ["windows"] = (BanListLimits.MaxIdentifiersPerPlatform, "$.bans[0].apps.windows", (d, n) => d.Apps()["windows"] = Entries("9NBLGGH", n)),
        ["macos"] = (BanListLimits.MaxIdentifiersPerPlatform, "$.bans[0].apps.macos", (d, n) => d.Apps()["macos"] = Entries("com.example.app", n)),
        ["an ios identifier"] = (BanListLimits.MaxIdentifierLength, "$.bans[0].apps.ios[0]", (d, n) => d.Apps()["ios"]![0] = Text(n)),
        ["an android identifier"] = (BanListLimits.MaxIdentifierLength, "$.bans[0].apps.android[1]", (d, n) => d.Apps()["android"]![1] = Text(n)),
        ["a windows identifier"] = (BanListLimits.MaxIdentifierLength, "$.bans[0].apps.windows[0]", (d, n) => d.Apps()["windows"]![0] = Text(n)),
        ["a macos identifier"] = (BanListLimits.MaxIdentifierLength, "$.bans[0].apps.macos[0]", (d, n) => d.Apps()["macos"] = new JsonArray(Text(n))),
        ["includeGroups"] = (BanListLimits.MaxGroupsPerList, "$.bans[0].scope.includeGroups", (d, n) => d.Scope()["includeGroups"] = Groups(n)),
        ["excludeGroups"] = (BanListLimits.MaxGroupsPerList, "$.bans[0].scope.excludeGroups", (d, n) => d.Scope()["excludeGroups"] = Groups(n)),
    };

    private static string Text(int length) => new('t', length);

    private static JsonArray Entries(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => (JsonNode)$"{prefix}{i}")];

    private static JsonArray Groups(int count) =>
        [.. Enumerable.Range(0, count).Select(i => (JsonNode)$"00000000-0000-4000-8000-{i:D12}")];

    private static void SetBans(JsonObject document, int count)
    {
        var bans = document["bans"]!.AsArray();
        for (var i = bans.Count; i < count; i++)
        {
            var ban = document.Ban(1).DeepClone().AsObject();
            ban["id"] = $"ban-{i}";
            bans.Add(ban);
        }
    }

    private static void SetExemptions(JsonObject document, int count)
    {
        var exemptions = document["exemptions"]!.AsArray();
        for (var i = exemptions.Count; i < count; i++)
        {
            var exemption = document.Exemption(1).DeepClone().AsObject();
            exemption["id"] = $"exemption-{i}";
            exemptions.Add(exemption);
        }
    }
}
