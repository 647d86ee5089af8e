using System.Text;
using System.Text.RegularExpressions;

namespace IntuneBanSync.BanList;

/// <summary>
/// The one renderer of notification texts: the ban-list validation measures with it, the notification mechanism sends what it
/// returns, and the attestation page formats its dates with it. No code path reads the current culture.
/// </summary>
public static partial class NotificationText
{
    public const string App = "app";
    public const string Deadline = "deadline";
    public const string Reason = "reason";
    public const string Reference = "reference";
    public const string Helpdesk = "helpdesk";
    public const string AttestationLink = "attestationLink";

    /// <summary>Every placeholder a template may use, written <c>{name}</c>.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = [App, Deadline, Reason, Reference, Helpdesk, AttestationLink];

    private static readonly Dictionary<string, string[]> MonthNames = new(StringComparer.Ordinal)
    {
        ["en"] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        ["fr"] = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
        ["nl"] = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
        ["de"] = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    };

    /// <summary>
    /// The template for one user: the ban's own for <paramref name="kind"/>, else the built-in text; in the user's preferred
    /// language (its primary tag: "fr-BE" → "fr") when the kind is written in it, else in the ban's default language.
    /// </summary>
    public static LocalizedTemplate Template(Ban ban, NotificationKind kind, string? preferredLanguage, BanListContact contact)
    {
        ArgumentNullException.ThrowIfNull(ban);
        ArgumentNullException.ThrowIfNull(contact);
        var language = LanguageFor(ban, kind, preferredLanguage);
        return ban.Notifications.Templates.TryGetValue(kind, out var own)
            ? new LocalizedTemplate(language, own[language], BuiltIn: false)
            : new LocalizedTemplate(language, DefaultNotificationTemplates.For(kind, language, ban, contact), BuiltIn: true);
    }

    /// <summary><see cref="Template"/> rendered with <see cref="Render"/>: the title and body a user of <paramref name="preferredLanguage"/> receives.</summary>
    public static RenderedNotification Compose(Ban ban, NotificationKind kind, string? preferredLanguage, BanListContact contact, string? app = null)
    {
        var chosen = Template(ban, kind, preferredLanguage, contact);
        return Render(chosen.Template, ban, chosen.Language, contact, app);
    }

    /// <summary>The language <paramref name="kind"/> is sent in to a user who prefers <paramref name="preferredLanguage"/> (a BCP 47 tag, or null).</summary>
    public static string LanguageFor(Ban ban, NotificationKind kind, string? preferredLanguage)
    {
        ArgumentNullException.ThrowIfNull(ban);
        return PrimaryLanguage(preferredLanguage) is { } primary && ban.Notifications.LanguagesOf(kind).Contains(primary)
            ? primary
            : ban.Notifications.DefaultLanguage;
    }

    /// <summary>The primary language subtag of a BCP 47 tag in lower case ("fr-BE" → "fr"), or null when there is none.</summary>
    public static string? PrimaryLanguage(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
            return null;
        var primary = tag.Trim().Split('-', '_')[0].ToLowerInvariant();
        return IsLanguageTag(primary) ? primary : null;
    }

    /// <summary>Two or three lowercase ASCII letters: a BCP 47 primary language subtag as the ban list writes it.</summary>
    public static bool IsLanguageTag(string? tag) => tag is not null && LanguageTagShape().IsMatch(tag);

    /// <summary>
    /// Replaces the placeholders of <paramref name="template"/>: {app} with <paramref name="app"/> as the ban spells it (the ban's first
    /// display name when null), {deadline} with <see cref="Ban.UninstallBy"/> as <see cref="FormatDate"/> writes it in
    /// <paramref name="language"/>, the others with the ban's reason and reference and the contact's helpdesk and attestation URL.
    /// A full stop right after a placeholder is left out when the value already ends a sentence. Values are inserted as they
    /// are, never read as placeholders themselves.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="app"/> is not one of the ban's display names, or a placeholder has no value (validation rules both out).</exception>
    public static RenderedNotification Render(NotificationTemplate template, Ban ban, string language, BanListContact contact, string? app = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(ban);
        ArgumentNullException.ThrowIfNull(contact);
        var values = ValuesFor(ban, language, contact, SpellingOf(ban, app));
        return new RenderedNotification(Substitute(template.Title, values, ban.Id), Substitute(template.Body, values, ban.Id));
    }

    /// <summary>
    /// A date as a person writes it in <paramref name="language"/>, in the offset the date carries (the ban list's own):
    /// 15 March 2027, 15 mars 2027 (1er mars), 15 maart 2027, 15. März 2027; ISO 8601 (2027-03-15) in any other language.
    /// </summary>
    public static string FormatDate(DateTimeOffset date, string language)
    {
        var (day, month, year) = (date.Day.ToString(CultureInfo.InvariantCulture), date.Month - 1, date.Year.ToString(CultureInfo.InvariantCulture));
        return language switch
        {
            "en" or "nl" => $"{day} {MonthNames[language][month]} {year}",
            "fr" => $"{(date.Day == 1 ? "1er" : day)} {MonthNames["fr"][month]} {year}",
            "de" => $"{day}. {MonthNames["de"][month]} {year}",
            _ => date.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The ban's longest display name: what {app} is measured with.</summary>
    public static string LongestApp(Ban ban) => ban.Apps.DisplayNames.OrderByDescending(n => n.Length).First();

    /// <summary>How long one text (a title or a body) renders with the ban's longest display name: what the Company Portal's limits are checked against.</summary>
    public static int LengthAtLongest(string text, Ban ban, string language, BanListContact contact) =>
        Render(new NotificationTemplate(text, ""), ban, language, contact, LongestApp(ban)).Title.Length;

    /// <summary>The placeholder names <paramref name="text"/> uses, known or not, in order.</summary>
    internal static IEnumerable<string> PlaceholdersIn(string text) => PlaceholderShape().Matches(text).Select(m => m.Groups["name"].Value);

    /// <summary>The first character of <paramref name="text"/> that is a brace outside a <c>{name}</c>, or -1.</summary>
    internal static int IndexOfStrayBrace(string text)
    {
        var outside = PlaceholderShape().Replace(text, m => new string(' ', m.Length));
        return outside.AsSpan().IndexOfAny('{', '}');
    }

    /// <summary>Which placeholders have a value for this ban and contact (false: rendering one would throw).</summary>
    internal static bool HasValue(string placeholder, Ban ban, BanListContact contact) =>
        ValuesFor(ban, "en", contact, LongestApp(ban)).TryGetValue(placeholder, out var value) && value is not null;

    private static Dictionary<string, string?> ValuesFor(Ban ban, string language, BanListContact contact, string app) => new(StringComparer.Ordinal)
    {
        [App] = app,
        [Deadline] = FormatDate(ban.UninstallBy, language),
        [Reason] = Blank(ban.Reason),
        [Reference] = Blank(ban.Reference),
        [Helpdesk] = Blank(contact.Helpdesk),
        [AttestationLink] = contact.AttestationUrl?.AbsoluteUri,
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string SpellingOf(Ban ban, string? app)
    {
        if (app is null)
            return ban.Apps.DisplayNames[0];
        return ban.Apps.DisplayNames.FirstOrDefault(n => string.Equals(n, app.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"'{app}' is not a display name of ban {ban.Id}: only those were measured against the Company Portal's limits.", nameof(app));
    }

    private static string Substitute(string text, IReadOnlyDictionary<string, string?> values, string banId)
    {
        var rendered = new StringBuilder(text.Length + 64);
        var at = 0;
        foreach (Match match in PlaceholderShape().Matches(text))
        {
            rendered.Append(text, at, match.Index - at);
            var name = match.Groups["name"].Value;
            if (!values.TryGetValue(name, out var value))
                throw new ArgumentException($"{{{name}}} is not a placeholder ({string.Join(", ", Placeholders.Select(p => $"{{{p}}}"))}).", nameof(text));
            if (value is null)
                throw new ArgumentException($"{{{name}}} has no value for ban {banId}.", nameof(values));
            rendered.Append(value);
            at = match.Index + match.Length;
            if (at < text.Length && text[at] == '.' && value.Length > 0 && value[^1] is '.' or '!' or '?' or '…')
                at++;
        }

        return rendered.Append(text, at, text.Length - at).ToString();
    }

    [GeneratedRegex(@"\{(?<name>[^{}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderShape();

    [GeneratedRegex("^[a-z]{2,3}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTagShape();
}
