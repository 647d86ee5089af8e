namespace IntuneBanSync.BanList;

/// <summary>The document's <c>contact</c> and each ban's <c>notifications</c>: reminder offsets, default language, templates and their rendered lengths.</summary>
public static partial class BanListParser
{
    private static readonly string[] ContactProperties = ["helpdesk", "attestationUrl"];
    private static readonly string[] NotificationsProperties = ["reminderDaysBefore", "defaultLanguage", "templates"];
    private static readonly string[] TemplateProperties = ["title", "body"];

    private static readonly Dictionary<string, NotificationKind> TemplateKinds = new(StringComparer.Ordinal)
    {
        ["reminder"] = NotificationKind.Reminder,
        ["enforcement"] = NotificationKind.Enforcement,
        ["advisory"] = NotificationKind.Advisory,
    };

    private static BanListContact? ReadContact(JsonObjectReader document)
    {
        if (!document.Has("contact"))
        {
            return BanListContact.None;
        }

        if (document.RequiredObject("contact", ContactProperties) is not { } contact)
        {
            return null;
        }

        var helpdesk = contact.Optional("helpdesk") is { } text ? contact.NonBlankString(text, contact.PathOf("helpdesk"), BanListLimits.MaxHelpdeskLength) : "";
        var url = contact.Optional("attestationUrl") is { } link ? ReadHttpsUrl(contact, link, contact.PathOf("attestationUrl")) : "";
        return helpdesk is null || url is null
            ? null
            : new BanListContact(helpdesk.Length == 0 ? null : helpdesk, url.Length == 0 ? null : new Uri(url, UriKind.Absolute));
    }

    private static string? ReadHttpsUrl(JsonObjectReader reader, JsonElement element, string path)
    {
        if (reader.NonBlankString(element, path, BanListLimits.MaxAttestationUrlLength) is not { } text)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0
            || uri.UserInfo.Length > 0 || text.Any(char.IsWhiteSpace))
        {
            reader.AddError(path, $"'{JsonPaths.Quoted(text)}' is not an absolute https URL (such as https://ibs.example.org/api/attest), without spaces or user name");
            return null;
        }

        return text;
    }

    private static BanNotifications? ReadNotifications(JsonObjectReader ban)
    {
        if (ban.RequiredObject("notifications", NotificationsProperties) is not { } reader)
        {
            return null;
        }

        var days = reader.Has("reminderDaysBefore") ? ReadReminderDays(reader) : BanNotifications.DefaultReminderDaysBefore;
        var language = reader.Has("defaultLanguage") ? ReadLanguage(reader, reader.Optional("defaultLanguage")!.Value, reader.PathOf("defaultLanguage")) : BanNotifications.DefaultLanguageTag;
        var templates = reader.Has("templates") ? ReadTemplates(reader) : BanNotifications.Default.Templates;
        if (days is null || language is null || templates is null)
        {
            return null;
        }

        var notifications = new BanNotifications(days, language, templates);
        var unwritten = TemplateKinds.Where(kind => !notifications.LanguagesOf(kind.Value).Contains(language)).Select(kind => kind.Key).ToList();
        if (unwritten.Count > 0)
        {
            reader.AddError(
                reader.PathOf("defaultLanguage"),
                $"'{language}' is the default language, but the {string.Join(" and ", unwritten)} texts are not written in it (the built-in texts are in {string.Join(", ", DefaultNotificationTemplates.Languages)}): add '{language}' to the templates of every kind, or choose another default");
            return null;
        }

        return notifications;
    }

    private static IReadOnlyList<int>? ReadReminderDays(JsonObjectReader reader)
    {
        if (reader.OptionalArray("reminderDaysBefore", BanListLimits.MaxReminderDaysBefore) is not { } items)
        {
            return null;
        }

        var firstPathOf = new Dictionary<int, string>();
        var valid = true;
        foreach (var (element, path) in items)
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var days) || days < 1 || days > BanListLimits.MaxReminderDaysBefore)
            {
                reader.AddError(path, $"must be a whole number of days from 1 to {BanListLimits.MaxReminderDaysBefore}");
                valid = false;
            }
            else if (!firstPathOf.TryAdd(days, path))
            {
                reader.AddError(path, $"{days} days is listed twice (already at {firstPathOf[days]}): each reminder is sent once");
                valid = false;
            }
        }

        return valid ? [.. firstPathOf.Keys.OrderDescending()] : null;
    }

    private static string? ReadLanguage(JsonObjectReader reader, JsonElement element, string path) =>
        reader.String(element, path) is { } tag && CheckLanguage(reader, tag, path) ? tag : null;

    private static bool CheckLanguage(JsonObjectReader reader, string tag, string path)
    {
        if (NotificationText.IsLanguageTag(tag))
        {
            return true;
        }

        var hint = NotificationText.PrimaryLanguage(tag) is { } primary ? $" (did you mean '{primary}'?)" : "";
        reader.AddError(path, $"'{JsonPaths.Quoted(tag)}' is not a language tag here: use a BCP 47 primary language subtag, two or three lowercase letters such as en, fr, nl or de{hint}");
        return false;
    }

    private static IReadOnlyDictionary<NotificationKind, IReadOnlyDictionary<string, NotificationTemplate>>? ReadTemplates(JsonObjectReader notifications)
    {
        if (notifications.RequiredObject("templates", [.. TemplateKinds.Keys]) is not { } reader)
        {
            return null;
        }

        var templates = new Dictionary<NotificationKind, IReadOnlyDictionary<string, NotificationTemplate>>();
        var valid = true;
        foreach (var (name, kind) in TemplateKinds)
        {
            if (reader.Optional(name) is not { } element)
            {
                continue;
            }

            if (ReadKind(reader, element, reader.PathOf(name), name) is { } languages)
            {
                templates[kind] = languages;
            }
            else
            {
                valid = false;
            }
        }

        return valid ? templates : null;
    }

    private static IReadOnlyDictionary<string, NotificationTemplate>? ReadKind(JsonObjectReader reader, JsonElement element, string path, string kind)
    {
        if (reader.Map(element, path, BanListLimits.MaxTemplateLanguages) is not { } entries)
        {
            return null;
        }

        var languages = new Dictionary<string, NotificationTemplate>(StringComparer.Ordinal);
        var valid = true;
        foreach (var (tag, value, entryPath) in entries)
        {
            var template = CheckLanguage(reader, tag, entryPath) ? ReadTemplate(reader, value, entryPath) : null;
            if (template is null)
            {
                valid = false;
                continue;
            }

            languages[tag] = template;
        }

        var missing = BanListLimits.RequiredTemplateLanguages.Where(l => !entries.Any(e => e.Name == l)).ToList();
        if (missing.Count > 0)
        {
            reader.AddError(path, $"the {kind} texts lack {string.Join(", ", missing)}: a kind the ban list writes is written in at least {string.Join(", ", BanListLimits.RequiredTemplateLanguages)}");
            return null;
        }

        return valid ? languages : null;
    }

    private static NotificationTemplate? ReadTemplate(JsonObjectReader parent, JsonElement element, string path)
    {
        if (parent.OpenChild(element, path, TemplateProperties) is not { } reader)
        {
            return null;
        }

        var title = reader.RequiredNonBlankString("title") is { } t && CheckPlaceholders(reader, t, reader.PathOf("title")) ? t : null;
        var body = reader.RequiredNonBlankString("body") is { } b && CheckPlaceholders(reader, b, reader.PathOf("body")) ? b : null;
        return title is not null && body is not null ? new NotificationTemplate(title, body) : null;
    }

    private static bool CheckPlaceholders(JsonObjectReader reader, string text, string path)
    {
        var valid = true;
        foreach (var name in NotificationText.PlaceholdersIn(text).Distinct(StringComparer.Ordinal).Where(n => !NotificationText.Placeholders.Contains(n)))
        {
            var intended = NotificationText.Placeholders.FirstOrDefault(p => string.Equals(p, name.Trim(), StringComparison.OrdinalIgnoreCase));
            var hint = intended is not null ? $" (did you mean '{{{intended}}}'?)" : "";
            reader.AddError(path, $"unknown placeholder '{{{JsonPaths.Quoted(name)}}}'{hint}; the placeholders are {PlaceholderList()}");
            valid = false;
        }

        if (NotificationText.IndexOfStrayBrace(text) is var at and >= 0)
        {
            reader.AddError(path, $"the '{text[at]}' at character {Count(at + 1)} is not part of a placeholder: braces are only written around a placeholder name, such as {{app}}");
            valid = false;
        }

        return valid;
    }

    /// <summary>
    /// Every text of every kind and language, the ban's own or built in, rendered at its longest: the longest display name for {app},
    /// the deadline as that language writes it, the actual reason, reference, helpdesk and link. True when all fit.
    /// </summary>
    private static bool CheckNotificationTexts(JsonObjectReader ban, Ban read, BanListContact contact)
    {
        var before = ban.ErrorCount;
        var templatesPath = JsonPaths.Property(ban.PathOf("notifications"), "templates");
        foreach (var (kindName, kind) in TemplateKinds)
        {
            foreach (var language in read.Notifications.LanguagesOf(kind))
            {
                var chosen = NotificationText.Template(read, kind, language, contact);
                var path = JsonPaths.Property(JsonPaths.Property(templatesPath, kindName), language);
                CheckRendered(ban, read, contact, chosen, "title", chosen.Template.Title, BanListLimits.MaxNotificationTitleLength, JsonPaths.Property(path, "title"));
                CheckRendered(ban, read, contact, chosen, "body", chosen.Template.Body, BanListLimits.MaxNotificationBodyLength, JsonPaths.Property(path, "body"));
            }
        }

        return ban.ErrorCount == before;
    }

    private static void CheckRendered(
        JsonObjectReader ban, Ban read, BanListContact contact, LocalizedTemplate chosen, string field, string text, int limit, string path)
    {
        var unset = NotificationText.PlaceholdersIn(text).Distinct(StringComparer.Ordinal).Where(p => !NotificationText.HasValue(p, read, contact)).ToList();
        foreach (var placeholder in unset)
        {
            ban.AddError(path, $"{{{placeholder}}} has no value: {WhereValueComesFrom(placeholder)}");
        }

        if (unset.Count > 0)
        {
            return;
        }

        var longest = NotificationText.LongestApp(read);
        // The field alone: the other one may hold a placeholder without value, reported on its own path.
        var length = NotificationText.LengthAtLongest(text, read, chosen.Language, contact);
        if (length > limit)
        {
            var whose = chosen.BuiltIn ? "the built-in text" : "the text";
            ban.AddError(
                path,
                $"{whose} rendered at its longest is {Count(length)} characters; the Company Portal shows at most {Count(limit)} in a {field} "
                + $"({{app}} = '{JsonPaths.Quoted(longest)}', {{deadline}} = '{NotificationText.FormatDate(read.UninstallBy, chosen.Language)}')");
        }
    }

    private static string WhereValueComesFrom(string placeholder) => placeholder switch
    {
        NotificationText.Reason => "this ban has no reason",
        NotificationText.Reference => "this ban has no reference",
        NotificationText.Helpdesk => "the ban list has no contact.helpdesk",
        _ => "the ban list has no contact.attestationUrl",
    };

    private static string PlaceholderList() => string.Join(", ", NotificationText.Placeholders.Select(p => $"{{{p}}}"));
}
