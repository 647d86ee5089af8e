namespace IntuneBanSync.BanList;

/// <summary>The messages a ban sends its users through the Company Portal.</summary>
public enum NotificationKind
{
    /// <summary>Before <see cref="Ban.UninstallBy"/>, at each of <see cref="BanNotifications.ReminderDaysBefore"/>.</summary>
    Reminder,

    /// <summary>When enforcement starts on a device that still has the app.</summary>
    Enforcement,

    /// <summary>The reminder a device of an advisory group gets: advised, never enforced.</summary>
    Advisory,
}

/// <summary>
/// How a ban reminds and notifies. <paramref name="ReminderDaysBefore"/>: whole days before the deadline, distinct, largest first.
/// <paramref name="Templates"/> holds only the ban's own templates, by kind and primary language tag ("en", "fr");
/// <see cref="NotificationText.Template"/> falls back to the built-in texts for a kind the ban does not give.
/// </summary>
public sealed record BanNotifications(
    IReadOnlyList<int> ReminderDaysBefore,
    string DefaultLanguage,
    IReadOnlyDictionary<NotificationKind, IReadOnlyDictionary<string, NotificationTemplate>> Templates)
{
    public static IReadOnlyList<int> DefaultReminderDaysBefore { get; } = [14, 7, 1];

    public const string DefaultLanguageTag = "en";

    public static BanNotifications Default { get; } =
        new(DefaultReminderDaysBefore, DefaultLanguageTag, new Dictionary<NotificationKind, IReadOnlyDictionary<string, NotificationTemplate>>());

    /// <summary>The languages a kind is written in: the ban's own, or the built-in ones (en, fr, nl, de).</summary>
    public IReadOnlyCollection<string> LanguagesOf(NotificationKind kind) =>
        Templates.TryGetValue(kind, out var own) ? [.. own.Keys] : DefaultNotificationTemplates.Languages;
}

/// <summary>
/// A message with placeholders ({app}, {deadline}, {reason}, {reference}, {helpdesk}, {attestationLink}), as the ban list
/// writes it or as <see cref="DefaultNotificationTemplates"/> builds it.
/// </summary>
public sealed record NotificationTemplate(string Title, string Body);

/// <summary>A template chosen for one user: its language, and whether it is the built-in text.</summary>
public sealed record LocalizedTemplate(string Language, NotificationTemplate Template, bool BuiltIn);

/// <summary>The text a user receives.</summary>
public sealed record RenderedNotification(string Title, string Body);

/// <summary>Document-level contact details: the values of {helpdesk} and {attestationLink}; each optional.</summary>
public sealed record BanListContact(string? Helpdesk, Uri? AttestationUrl)
{
    public static BanListContact None { get; } = new(null, null);
}
