namespace IntuneBanSync.Tests.Enforcement.Compliance;

public sealed class NotificationMessagesTests
{
    [Fact]
    public void The_notice_is_in_english_by_default_and_in_french_dutch_and_german()
    {
        var messages = NotificationMessages.For(Fleet.Ban());

        Assert.Equal(["en-us", "fr-fr", "nl-nl", "de-de"], messages.Select(m => m.Locale));
        Assert.Equal(["en-us"], messages.Where(m => m.IsDefault).Select(m => m.Locale));
    }

    [Fact]
    public void The_notice_names_the_app_the_reason_the_reference_and_the_deadline()
    {
        var ban = Fleet.Ban() with { Reason = "Cybersecurity risk", Reference = "Council decision 2023/12" };

        var english = NotificationMessages.For(ban)[0];

        Assert.Equal("TikTok is not allowed on this device", english.Subject);
        Assert.Contains("TikTok is banned on devices used for work: Cybersecurity risk (Council decision 2023/12).", english.Body, StringComparison.Ordinal);
        Assert.Contains("2023-03-15 00:00 UTC", english.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_reason_or_reference_the_sentence_still_reads()
    {
        var english = NotificationMessages.For(Fleet.Ban() with { Reason = null, Reference = null })[0];

        Assert.StartsWith("TikTok is banned on devices used for work. Remove it before", english.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_are_stripped_and_intune_tokens_defused()
    {
        var ban = Fleet.Ban() with { Name = "Tik\u202ETok", Reason = "risk\u0007 for {{UserName}}" };

        var messages = NotificationMessages.For(ban);

        Assert.All(messages, m => Assert.DoesNotContain(m.Subject + m.Body, c => char.IsControl(c) || c is '\u202E' or '{' or '}'));
        Assert.Contains("risk for ((UserName))", messages[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_reason_is_cut_to_keep_the_notice_short()
    {
        var ban = Fleet.Ban() with { Reason = new string('r', BanListLimits.MaxTextLength), Reference = new string('x', BanListLimits.MaxTextLength) };

        var english = NotificationMessages.For(ban)[0];

        Assert.Contains(new string('r', NotificationMessages.MaxQuotedLength) + "…", english.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('r', NotificationMessages.MaxQuotedLength + 1), english.Body, StringComparison.Ordinal);
        Assert.True(english.Body.Length < 700, $"{english.Body.Length} characters");
    }
}
