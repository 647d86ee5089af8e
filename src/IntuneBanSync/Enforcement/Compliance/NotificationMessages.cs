using System.Text;

namespace IntuneBanSync.Enforcement.Compliance;

/// <summary>One localized message of a notification template (beta localizedNotificationMessage).</summary>
public sealed record NotificationMessage(string Locale, string Subject, string Body, bool IsDefault)
{
    public JsonObject ToJson() => new()
    {
        ["@odata.type"] = "#microsoft.graph.localizedNotificationMessage",
        ["locale"] = Locale,
        ["subject"] = Subject,
        ["messageTemplate"] = Body,
        ["isDefault"] = IsDefault,
    };
}

/// <summary>
/// The e-mail Intune sends a user whose device has a banned app, in English (the default), French, Dutch and German, from the ban's
/// name, reason, reference and deadline. Ban-list text is validated already; it is still stripped of control characters, kept short,
/// and its braces turned into parentheses, since Intune replaces <c>{{…}}</c> tokens in a message. Pure.
/// </summary>
public static class NotificationMessages
{
    public const string DefaultLocale = "en-us";

    /// <summary>Each of the reason and the reference gets at most this many characters of a message.</summary>
    public const int MaxQuotedLength = 200;

    public static string TemplateName(Ban ban) => $"IntuneBanSync – {PlainText.Strip(ban.Name)} – notification";

    public static IReadOnlyList<NotificationMessage> For(Ban ban)
    {
        var name = Safe(ban.Name, BanListLimits.MaxNameLength);
        var detail = Detail(Safe(ban.Reason, MaxQuotedLength), Safe(ban.Reference, MaxQuotedLength));
        var deadline = ban.UninstallBy.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return
        [
            new("en-us", $"{name} is not allowed on this device",
                $"{name} is banned on devices used for work{detail}. Remove it before {deadline}: after that, this device is marked noncompliant and may lose access to work resources.",
                IsDefault: true),
            new("fr-fr", $"L'application {name} n'est pas autorisée sur cet appareil",
                $"L'application {name} est interdite sur les appareils utilisés pour le travail{detail}. Supprimez-la avant le {deadline} : ensuite, cet appareil sera déclaré non conforme et pourra perdre l'accès aux ressources professionnelles.",
                IsDefault: false),
            new("nl-nl", $"De app {name} is niet toegestaan op dit apparaat",
                $"De app {name} is verboden op apparaten die voor het werk worden gebruikt{detail}. Verwijder de app vóór {deadline}: daarna wordt dit apparaat als niet-conform gemarkeerd en kan het de toegang tot werkbronnen verliezen.",
                IsDefault: false),
            new("de-de", $"Die App {name} ist auf diesem Gerät nicht erlaubt",
                $"Die App {name} ist auf dienstlich genutzten Geräten verboten{detail}. Entfernen Sie sie vor dem {deadline}: danach wird dieses Gerät als nicht konform markiert und kann den Zugriff auf dienstliche Ressourcen verlieren.",
                IsDefault: false),
        ];
    }

    private static string Detail(string reason, string reference) => (reason, reference) switch
    {
        ("", "") => "",
        (_, "") => $": {reason}",
        ("", _) => $" ({reference})",
        _ => $": {reason} ({reference})",
    };

    /// <summary>No control characters, no Intune tokens, at most <paramref name="max"/> characters (whole surrogate pairs).</summary>
    public static string Safe(string? text, int max)
    {
        var plain = PlainText.Strip(text).Replace('{', '(').Replace('}', ')').Trim();
        if (plain.Length <= max)
            return plain;
        var cut = char.IsHighSurrogate(plain[max - 1]) ? max - 1 : max;
        return new StringBuilder(plain, 0, cut, cut + 1).Append('…').ToString();
    }
}
