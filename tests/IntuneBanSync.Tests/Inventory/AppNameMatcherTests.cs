namespace IntuneBanSync.Tests.Inventory;

public sealed class AppNameMatcherTests
{
    private static readonly Ban TikTok = BanOf("tiktok", ["TikTok", "TikTok Lite"], [DevicePlatform.Ios, DevicePlatform.Android]);
    private static readonly Ban ShortVideo = BanOf("short-video", [" tiktok ", "Douyin"], [DevicePlatform.Windows]);
    private static readonly Ban WeChat = BanOf("wechat", ["WeChat"], [DevicePlatform.Ios]);

    private readonly AppNameMatcher matcher = new(new BanListDocument(1, [TikTok, ShortVideo, WeChat], []));

    [Theory]
    [InlineData("TikTok")]
    [InlineData("tiktok")]
    [InlineData("TIKTOK")]
    [InlineData("  TikTok\t")]
    public void Display_name_matches_ignoring_case_and_surrounding_whitespace(string displayName)
    {
        var bans = matcher.BansMatching(displayName);

        Assert.Equal([TikTok, ShortVideo], bans);
    }

    [Fact]
    public void Every_listed_display_name_of_a_ban_matches()
    {
        var bans = matcher.BansMatching("tiktok lite");

        Assert.Equal([TikTok], bans);
    }

    [Theory]
    [InlineData("TikTak Timer")]
    [InlineData("TikTok Shop Seller Center")]
    [InlineData("TikTok Studio")]
    [InlineData("Tik Tok")]
    [InlineData("TikTo")]
    [InlineData("TikTok Lite 2")]
    public void Decoys_never_match(string displayName)
    {
        var bans = matcher.BansMatching(displayName);

        Assert.Empty(bans);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Missing_display_name_matches_nothing(string? displayName)
    {
        var bans = matcher.BansMatching(displayName);

        Assert.Empty(bans);
    }

    [Fact]
    public void A_ban_listing_the_same_name_twice_is_returned_once()
    {
        var twice = BanOf("twice", ["Signal", "SIGNAL"], [DevicePlatform.Ios]);
        var duplicateMatcher = new AppNameMatcher(new BanListDocument(1, [twice], []));

        var bans = duplicateMatcher.BansMatching("signal");

        Assert.Equal([twice], bans);
    }

    [Fact]
    public void Platform_overload_keeps_only_bans_scoped_to_that_platform()
    {
        var bans = matcher.BansMatching("TikTok", DevicePlatform.Windows);

        Assert.Equal([ShortVideo], bans);
    }

    [Fact]
    public void Platform_overload_matches_nothing_on_a_platform_outside_every_scope()
    {
        var bans = matcher.BansMatching("WeChat", DevicePlatform.Macos);

        Assert.Empty(bans);
    }

    private static Ban BanOf(string id, IReadOnlyList<string> displayNames, IReadOnlyList<DevicePlatform> platforms) =>
        new(
            id,
            id,
            null,
            null,
            new BanApps(displayNames, [], [], [], []),
            new BanScope([], [], new HashSet<DeviceOwnership> { DeviceOwnership.Company }, platforms.ToHashSet()),
            new DateTimeOffset(2023, 2, 23, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2023, 3, 15, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2023, 9, 14, 0, 0, 0, TimeSpan.Zero),
            EnforcementMode.Report);
}
