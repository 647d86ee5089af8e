using static IntuneBanSync.Tests.BanList.BanListNotificationJson;

namespace IntuneBanSync.Tests.BanList;

/// <summary>Each ban's optional <c>notifications</c>: reminder offsets, default language, templates, and their rendered lengths.</summary>
public sealed class BanListParserNotificationTests
{
    [Fact]
    public void Ban_without_notifications_reminds_14_7_and_1_days_before_in_english_with_the_built_in_texts()
    {
        var ban = BanListParser.Parse(BanListJson.Valid).Document!.Bans[0];

        Assert.Equal([14, 7, 1], ban.Notifications.ReminderDaysBefore);
        Assert.Equal("en", ban.Notifications.DefaultLanguage);
        Assert.Empty(ban.Notifications.Templates);
    }

    [Fact]
    public void Reminder_days_are_read_largest_first()
    {
        var json = BanListJson.With(d => d.Notifications()["reminderDaysBefore"] = new JsonArray(3, 30, 10));

        var ban = BanListParser.Parse(json).Document!.Bans[0];

        Assert.Equal([30, 10, 3], ban.Notifications.ReminderDaysBefore);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("91")]
    [InlineData("1.5")]
    [InlineData("-7")]
    [InlineData("\"7\"")]
    public void Reminder_days_outside_1_to_90_whole_days_are_refused(string value)
    {
        var json = BanListJson.With(d => d.Notifications()["reminderDaysBefore"] = new JsonArray(14, JsonNode.Parse(value)));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].notifications.reminderDaysBefore[1]");

        Assert.Equal("must be a whole number of days from 1 to 90", error.Message);
    }

    [Fact]
    public void Reminder_day_listed_twice_is_refused_at_the_second()
    {
        var json = BanListJson.With(d => d.Notifications()["reminderDaysBefore"] = new JsonArray(14, 7, 14));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].notifications.reminderDaysBefore[2]");

        Assert.Contains("already at $.bans[0].notifications.reminderDaysBefore[0]", error.Message);
    }

    [Fact]
    public void Unknown_notification_property_is_refused()
    {
        var json = BanListJson.With(d => d.Notifications()["reminderDays"] = new JsonArray(14));

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].notifications.reminderDays");

        Assert.Contains("unknown property", error.Message);
    }

    [Theory]
    [InlineData("EN")]
    [InlineData("fr-BE")]
    [InlineData("french")]
    [InlineData("")]
    public void Default_language_that_is_not_a_primary_language_tag_is_refused(string tag)
    {
        var json = BanListJson.With(d => d.Notifications()["defaultLanguage"] = tag);

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].notifications.defaultLanguage");

        Assert.Contains("is not a language tag", error.Message);
    }

    [Fact]
    public void Default_language_the_texts_are_not_written_in_is_refused()
    {
        var json = BanListJson.With(d => d.Notifications()["defaultLanguage"] = "es");

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].notifications.defaultLanguage");

        Assert.Contains("the reminder and enforcement and advisory texts are not written in it", error.Message);
    }

    [Fact]
    public void Default_language_written_in_every_kind_is_accepted()
    {
        var json = BanListJson.With(d =>
        {
            d.Notifications()["defaultLanguage"] = "es";
            foreach (var kind in (string[])["reminder", "enforcement", "advisory"])
            {
                var texts = Kind();
                texts["es"] = Template("Elimine {app}", "Elimine {app} antes del {deadline}.");
                d.Templates()[kind] = texts;
            }
        });

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal("es", result.Document!.Bans[0].Notifications.DefaultLanguage);
    }

    [Fact]
    public void Templates_of_a_kind_are_read_by_language()
    {
        var json = BanListJson.With(d => d.Templates()["reminder"] = Kind("Remove {app}", "Please remove {app} by {deadline}."));

        var ban = BanListParser.Parse(json).Document!.Bans[0];

        var reminder = ban.Notifications.Templates[NotificationKind.Reminder];
        Assert.Equal(["de", "en", "fr", "nl"], reminder.Keys.Order());
        Assert.Equal(new NotificationTemplate("Remove {app}", "Please remove {app} by {deadline}."), reminder["fr"]);
        Assert.False(ban.Notifications.Templates.ContainsKey(NotificationKind.Enforcement));
    }

    [Fact]
    public void Kind_given_without_the_four_required_languages_is_refused_naming_the_missing_ones()
    {
        var json = BanListJson.With(d =>
        {
            var texts = Kind();
            texts.Remove("nl");
            texts.Remove("de");
            d.Templates()["enforcement"] = texts;
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].notifications.templates.enforcement");

        Assert.Contains("lack nl, de", error.Message);
    }

    [Fact]
    public void Other_primary_language_tags_are_allowed_beside_the_required_ones()
    {
        var json = BanListJson.With(d =>
        {
            var texts = Kind();
            texts["lb"] = Template("Läscht {app}", "Läscht {app} w.e.g. bis den {deadline}.");
            d.Templates()["advisory"] = texts;
        });

        var ban = BanListParser.Parse(json).Document!.Bans[0];

        Assert.Contains("lb", ban.Notifications.Templates[NotificationKind.Advisory].Keys);
    }

    [Theory]
    [InlineData("EN-GB")]
    [InlineData("en-GB")]
    [InlineData("e")]
    public void Template_language_that_is_not_a_primary_language_tag_is_refused(string tag)
    {
        var json = BanListJson.With(d =>
        {
            var texts = Kind();
            texts[tag] = Template();
            d.Templates()["reminder"] = texts;
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), $"$.bans[0].notifications.templates.reminder['{tag}']".Replace("['e']", ".e"));

        Assert.Contains("is not a language tag", error.Message);
    }

    [Fact]
    public void Unknown_kind_of_template_is_refused()
    {
        var json = BanListJson.With(d => d.Templates()["reminders"] = Kind());

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].notifications.templates.reminders");

        Assert.Contains("did you mean 'reminder'?", error.Message);
    }

    [Fact]
    public void Template_needs_a_title_and_a_body()
    {
        var json = BanListJson.With(d =>
        {
            var texts = Kind();
            texts["de"]!.AsObject().Remove("body");
            d.Templates()["reminder"] = texts;
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].notifications.templates.reminder.de.body");

        Assert.Equal("required property 'body' is missing", error.Message);
    }

    [Fact]
    public void Unknown_placeholder_is_refused_naming_its_path()
    {
        var json = BanListJson.With(d =>
        {
            var texts = Kind();
            texts["nl"] = Template(body: "Verwijder {appName} uiterlijk {deadline}.");
            d.Templates()["reminder"] = texts;
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].notifications.templates.reminder.nl.body");

        Assert.StartsWith("unknown placeholder '{appName}'", error.Message);
    }

    [Fact]
    public void Placeholder_in_the_wrong_case_is_refused_with_a_hint()
    {
        var json = BanListJson.With(d =>
        {
            var texts = Kind();
            texts["en"] = Template(title: "Remove {App}");
            d.Templates()["reminder"] = texts;
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].notifications.templates.reminder.en.title");

        Assert.Contains("did you mean '{app}'?", error.Message);
    }

    [Theory]
    [InlineData("Remove {app by {deadline}")]
    [InlineData("Remove app} now")]
    public void Brace_outside_a_placeholder_is_refused(string title)
    {
        var json = BanListJson.With(d =>
        {
            var texts = Kind();
            texts["fr"] = Template(title: title);
            d.Templates()["reminder"] = texts;
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].notifications.templates.reminder.fr.title");

        Assert.Contains("is not part of a placeholder", error.Message);
    }

    [Fact]
    public void Control_character_in_a_template_is_refused()
    {
        var json = BanListJson.With(d =>
        {
            var texts = Kind();
            texts["en"] = Template(body: "Remove {app}.\nNow.");
            d.Templates()["reminder"] = texts;
        });

        var error = BanListJson.SingleError(BanListParser.Parse(json), "$.bans[0].notifications.templates.reminder.en.body");

        Assert.Contains("control character U+000A", error.Message);
    }

    [Fact]
    public void Placeholder_without_a_value_is_refused_saying_where_the_value_comes_from()
    {
        var json = BanListJson.With(d => d.Templates()["reminder"] = Kind(body: "Remove {app}. Questions: {helpdesk}."));

        var result = BanListParser.Parse(json);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors, e => e.Path == "$.bans[0].notifications.templates.reminder.en.body");
        Assert.Equal("{helpdesk} has no value: the ban list has no contact.helpdesk", error.Message);
        Assert.Equal(4, result.Errors.Count);
    }

    [Fact]
    public void Reason_placeholder_of_a_ban_without_a_reason_is_refused()
    {
        var json = BanListJson.With(d => d.Templates(ban: 1)["advisory"] = Kind(body: "{app}: {reason}."));

        var result = BanListParser.Parse(json);

        Assert.Contains(result.Errors, e => e.Path == "$.bans[1].notifications.templates.advisory.de.body" && e.Message == "{reason} has no value: this ban has no reason");
    }

    [Fact]
    public void Helpdesk_and_link_placeholders_are_accepted_with_a_contact()
    {
        var json = BanListJson.With(d =>
        {
            d.Contact();
            d.Templates()["reminder"] = Kind(body: "Remove {app} by {deadline}. Help: {helpdesk}. Done? {attestationLink}");
        });

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void Title_too_long_with_the_longest_display_name_is_refused_naming_its_path_and_length()
    {
        // 30 characters with "TikTok Lite", 58 with the longest name.
        var json = BanListJson.With(d =>
        {
            d.Apps()["displayNames"] = new JsonArray("TikTok", "TikTok Lite — short videos for everyone", "TT");
            d.Templates()["reminder"] = Kind(title: "{app} – please remove it");
        });

        var result = BanListParser.Parse(json);

        var error = Assert.Single(result.Errors, e => e.Path == "$.bans[0].notifications.templates.reminder.fr.title");
        Assert.StartsWith("the text rendered at its longest is 58 characters; the Company Portal shows at most 50 in a title", error.Message);
        Assert.Contains("{app} = 'TikTok Lite — short videos for everyone'", error.Message);
    }

    [Fact]
    public void Body_is_measured_with_the_deadline_as_its_language_writes_it()
    {
        // "1er septembre 2023" has 18 characters, "1. September 2023" 17, "1 September 2023" 16: only the French body passes 500.
        var json = BanListJson.With(d =>
        {
            d.Ban()["uninstallBy"] = "2023-09-01T00:00:00Z";
            d.Templates()["reminder"] = Kind(body: new string('x', 471) + "{app} {deadline}");
        });

        var result = BanListParser.Parse(json);

        var error = BanListJson.SingleError(result, "$.bans[0].notifications.templates.reminder.fr.body");
        Assert.Contains("is 501 characters; the Company Portal shows at most 500 in a body", error.Message);
        Assert.Contains("{deadline} = '1er septembre 2023'", error.Message);
    }

    [Fact]
    public void Body_of_exactly_500_characters_at_its_longest_is_accepted()
    {
        var json = BanListJson.With(d => d.Templates()["reminder"] = Kind(body: new string('x', 500 - "TikTok Lite".Length) + "{app}"));

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void Built_in_texts_of_a_ban_with_long_names_and_reason_still_validate()
    {
        var json = BanListJson.With(d =>
        {
            d.Contact(new string('h', 100), "https://ibs.example.org/" + new string('p', 176));
            d.Ban()["reason"] = new string('r', 500);
            d.Ban()["reference"] = new string('f', 500);
            d.Apps()["displayNames"] = new JsonArray(new string('a', 256));
        });

        var result = BanListParser.Parse(json);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }
}
