namespace IntuneBanSync.Tests.BanList;

/// <summary>The one renderer of notification texts, and the built-in texts it falls back to.</summary>
public sealed class NotificationTextTests
{
    private static readonly BanListContact Contact = new("Service desk, +32 2 000 00 00", new Uri("https://ibs.example.org/api/attest"));

    [Theory]
    [InlineData("en", "15 March 2027")]
    [InlineData("fr", "15 mars 2027")]
    [InlineData("nl", "15 maart 2027")]
    [InlineData("de", "15. März 2027")]
    [InlineData("es", "2027-03-15")]
    public void Deadline_is_written_as_its_language_writes_dates(string language, string expected)
    {
        var formatted = NotificationText.FormatDate(new DateTimeOffset(2027, 3, 15, 0, 0, 0, TimeSpan.Zero), language);

        Assert.Equal(expected, formatted);
    }

    [Fact]
    public void French_writes_the_first_of_the_month_as_1er()
    {
        var formatted = NotificationText.FormatDate(new DateTimeOffset(2027, 8, 1, 0, 0, 0, TimeSpan.Zero), "fr");

        Assert.Equal("1er août 2027", formatted);
    }

    [Fact]
    public void Deadline_is_the_date_in_the_offset_the_ban_list_wrote()
    {
        // 00:00 in Brussels is still 14 March in UTC.
        var formatted = NotificationText.FormatDate(new DateTimeOffset(2027, 3, 15, 0, 0, 0, TimeSpan.FromHours(1)), "en");

        Assert.Equal("15 March 2027", formatted);
    }

    [Fact]
    public void Rendering_does_not_depend_on_the_current_culture()
    {
        var ban = Ban();
        var previous = CultureInfo.CurrentCulture;
        string[] rendered;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("ar-SA");
            rendered = [.. DefaultNotificationTemplates.Languages.Select(l => NotificationText.Compose(ban, NotificationKind.Reminder, l, Contact).Body)];
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = previous;
        }

        var invariant = DefaultNotificationTemplates.Languages.Select(l => NotificationText.Compose(ban, NotificationKind.Reminder, l, Contact).Body);
        Assert.Equal(invariant, rendered);
        Assert.Contains("15 March 2027", rendered[0]);
    }

    [Fact]
    public void Render_replaces_every_placeholder_with_the_bans_and_the_contacts_values()
    {
        var template = new NotificationTemplate("{app} by {deadline}", "{reason} ({reference}) – {helpdesk} – {attestationLink}");

        var rendered = NotificationText.Render(template, Ban(), "nl", Contact);

        Assert.Equal("TikTok by 15 maart 2027", rendered.Title);
        Assert.Equal("Cybersecurity risk (Decision 2023-03) – Service desk, +32 2 000 00 00 – https://ibs.example.org/api/attest", rendered.Body);
    }

    [Fact]
    public void Render_uses_the_display_name_as_the_ban_spells_it()
    {
        var rendered = NotificationText.Render(new NotificationTemplate("{app}", "{app}"), Ban(), "en", Contact, app: " tiktok lite");

        Assert.Equal("TikTok Lite", rendered.Title);
    }

    [Fact]
    public void Render_refuses_an_app_that_is_not_a_display_name_of_the_ban()
    {
        var render = () => NotificationText.Render(new NotificationTemplate("{app}", "{app}"), Ban(), "en", Contact, app: "TikTok Shop Seller Center");

        Assert.Throws<ArgumentException>(render);
    }

    [Fact]
    public void Render_refuses_a_placeholder_without_a_value()
    {
        var render = () => NotificationText.Render(new NotificationTemplate("{app}", "{helpdesk}"), Ban(), "en", BanListContact.None);

        Assert.Throws<ArgumentException>(render);
    }

    [Fact]
    public void Full_stop_after_a_value_that_ends_a_sentence_is_left_out()
    {
        var ban = Ban() with { Reason = "Security risk." };

        var rendered = NotificationText.Render(new NotificationTemplate("{app}", "Reason: {reason}. Bye."), ban, "en", Contact);

        Assert.Equal("Reason: Security risk. Bye.", rendered.Body);
    }

    [Fact]
    public void Values_are_inserted_as_they_are_never_read_as_placeholders()
    {
        var ban = Ban() with { Reason = "see {helpdesk}" };

        var rendered = NotificationText.Render(new NotificationTemplate("{app}", "{reason}"), ban, "en", BanListContact.None);

        Assert.Equal("see {helpdesk}", rendered.Body);
    }

    [Theory]
    [InlineData("fr-BE", "fr")]
    [InlineData("NL-be", "nl")]
    [InlineData("de", "de")]
    [InlineData("es-ES", "en")]
    [InlineData(null, "en")]
    [InlineData("", "en")]
    public void Users_language_is_their_preferred_primary_language_else_the_bans_default(string? preferred, string expected)
    {
        var language = NotificationText.LanguageFor(Ban(), NotificationKind.Reminder, preferred);

        Assert.Equal(expected, language);
    }

    [Fact]
    public void Ban_default_language_is_used_for_a_language_it_does_not_write()
    {
        var ban = Ban() with { Notifications = BanNotifications.Default with { DefaultLanguage = "fr" } };

        var chosen = NotificationText.Template(ban, NotificationKind.Enforcement, "pt-BR", Contact);

        Assert.Equal("fr", chosen.Language);
        Assert.True(chosen.BuiltIn);
    }

    [Fact]
    public void Bans_own_template_is_chosen_over_the_built_in_text()
    {
        var own = new NotificationTemplate("Weg met {app}", "Verwijder {app}.");
        var ban = Ban() with
        {
            Notifications = BanNotifications.Default with
            {
                Templates = new Dictionary<NotificationKind, IReadOnlyDictionary<string, NotificationTemplate>>
                {
                    [NotificationKind.Reminder] = new Dictionary<string, NotificationTemplate> { ["en"] = own, ["fr"] = own, ["nl"] = own, ["de"] = own },
                },
            },
        };

        var chosen = NotificationText.Template(ban, NotificationKind.Reminder, "nl-BE", Contact);

        Assert.Equal(new LocalizedTemplate("nl", own, BuiltIn: false), chosen);
    }

    [Fact]
    public void Built_in_reminder_carries_the_reason_reference_helpdesk_and_link_when_they_fit()
    {
        var rendered = NotificationText.Compose(Ban(), NotificationKind.Reminder, "en", Contact);

        Assert.Equal("Remove TikTok by 15 March 2027", rendered.Title);
        Assert.Equal(
            "TikTok is no longer allowed on devices used for work. Please remove it from this device by 15 March 2027. Reason: Cybersecurity risk. "
            + "Reference: Decision 2023-03. Questions: Service desk, +32 2 000 00 00. Already removed it? Please confirm here: https://ibs.example.org/api/attest",
            rendered.Body);
    }

    [Fact]
    public void Built_in_texts_leave_out_the_sentences_whose_values_the_ban_list_lacks()
    {
        var ban = Ban() with { Reason = null, Reference = null };

        var rendered = NotificationText.Compose(ban, NotificationKind.Reminder, "de", BanListContact.None);

        Assert.Equal("TikTok ist auf dienstlich genutzten Geräten nicht mehr erlaubt. Bitte entfernen Sie die App bis zum 15. März 2027 von diesem Gerät.", rendered.Body);
    }

    [Fact]
    public void Built_in_enforcement_notice_carries_no_attestation_link()
    {
        var rendered = NotificationText.Compose(Ban(), NotificationKind.Enforcement, "fr", Contact);

        Assert.DoesNotContain("https://", rendered.Body);
        Assert.Contains("a expiré le 15 mars 2027", rendered.Body);
    }

    [Fact]
    public void Built_in_text_drops_the_reference_first_then_the_reason_when_too_long()
    {
        var ban = Ban() with { Reason = new string('r', 200), Reference = new string('f', 200) };

        var rendered = NotificationText.Compose(ban, NotificationKind.Reminder, "en", Contact);

        Assert.DoesNotContain("Reference:", rendered.Body);
        Assert.Contains("Reason: " + new string('r', 200), rendered.Body);
        Assert.Contains("https://ibs.example.org/api/attest", rendered.Body);
    }

    [Fact]
    public void Built_in_title_names_no_app_when_the_longest_display_name_is_too_long()
    {
        var ban = Ban() with { Apps = new BanApps(["TikTok", new string('a', 60)], [], [], [], []) };

        var rendered = NotificationText.Compose(ban, NotificationKind.Reminder, "en", Contact, app: "TikTok");

        Assert.Equal("Please remove a banned app", rendered.Title);
    }

    public static TheoryData<NotificationKind, string> EveryBuiltInText()
    {
        var data = new TheoryData<NotificationKind, string>();
        foreach (var kind in Enum.GetValues<NotificationKind>())
        {
            foreach (var language in DefaultNotificationTemplates.Languages)
                data.Add(kind, language);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryBuiltInText))]
    public void Built_in_text_fits_the_company_portal_with_every_value_at_its_longest(NotificationKind kind, string language)
    {
        var longest = new BanListContact(new string('h', BanListLimits.MaxHelpdeskLength), new Uri("https://ibs.example.org/" + new string('p', 176)));
        var ban = Ban() with
        {
            Reason = new string('r', BanListLimits.MaxTextLength),
            Reference = new string('f', BanListLimits.MaxTextLength),
            Apps = new BanApps([new string('a', BanListLimits.MaxDisplayNameLength)], [], [], [], []),
            UninstallBy = new DateTimeOffset(2027, 9, 30, 0, 0, 0, TimeSpan.Zero),
        };

        var rendered = NotificationText.Compose(ban, kind, language, longest);

        Assert.InRange(rendered.Title.Length, 1, BanListLimits.MaxNotificationTitleLength);
        Assert.InRange(rendered.Body.Length, 1, BanListLimits.MaxNotificationBodyLength);
        Assert.Contains("2027", rendered.Body);
    }

    [Theory]
    [MemberData(nameof(EveryBuiltInText))]
    public void Built_in_text_names_the_app_and_the_deadline_for_an_ordinary_ban(NotificationKind kind, string language)
    {
        var rendered = NotificationText.Compose(Ban(), kind, language, Contact);

        Assert.Contains("TikTok", rendered.Title);
        Assert.Contains("TikTok", rendered.Body);
        Assert.Contains(NotificationText.FormatDate(Ban().UninstallBy, language), rendered.Body);
        Assert.DoesNotContain("{", rendered.Title + rendered.Body);
    }

    private static Ban Ban() =>
        new(
            "tiktok", "TikTok", "Cybersecurity risk", "Decision 2023-03",
            new BanApps(["TikTok", "TikTok Lite"], [], [], [], []),
            new BanScope([], [], new HashSet<DeviceOwnership> { DeviceOwnership.Personal }, new HashSet<DevicePlatform> { DevicePlatform.Ios }),
            new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2027, 3, 15, 0, 0, 0, TimeSpan.FromHours(1)),
            new DateTimeOffset(2027, 9, 15, 0, 0, 0, TimeSpan.Zero),
            EnforcementMode.Report);
}
