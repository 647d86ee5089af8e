using static IntuneBanSync.BanList.NotificationText;

namespace IntuneBanSync.BanList;

/// <summary>
/// The built-in notification texts, in English, French, Dutch and German (formal register: vous, u, Sie), for a ban whose list
/// gives no templates of a kind. They adapt to the ban so that they always fit the Company Portal: a sentence whose value the ban
/// list lacks (reason, reference, helpdesk, attestation link) is left out, and so is, when the text would be too long at its
/// longest, first the reference, then the reason, the helpdesk and the link; a title or body that would still be too long names
/// no app. The choice is made with the ban's longest display name, so every user of a ban and language gets the same wording.
/// </summary>
public static class DefaultNotificationTemplates
{
    public static IReadOnlyList<string> Languages { get; } = ["en", "fr", "nl", "de"];

    // A sentence that needs a placeholder's value; dropped, in this order, while the body is too long.
    private static readonly string[] DropOrder = [Reference, Reason, Helpdesk, AttestationLink];

    private sealed record Texts(string[] Titles, string BodyWithApp, string BodyWithoutApp, bool Link);

    private sealed record Sentences(string Reason, string Reference, string Helpdesk, string Link);

    private static readonly Dictionary<string, Sentences> Optional = new(StringComparer.Ordinal)
    {
        ["en"] = new(
            " Reason: {reason}.",
            " Reference: {reference}.",
            " Questions: {helpdesk}.",
            " Already removed it? Please confirm here: {attestationLink}"),
        ["fr"] = new(
            " Motif\u00a0: {reason}.",
            " Référence\u00a0: {reference}.",
            " Questions\u00a0: {helpdesk}.",
            " Vous l'avez déjà supprimée\u00a0? Veuillez le confirmer ici\u00a0: {attestationLink}"),
        ["nl"] = new(
            " Reden: {reason}.",
            " Referentie: {reference}.",
            " Vragen: {helpdesk}.",
            " Hebt u de app al verwijderd? Bevestig dat dan hier: {attestationLink}"),
        ["de"] = new(
            " Grund: {reason}.",
            " Referenz: {reference}.",
            " Fragen: {helpdesk}.",
            " Haben Sie die App bereits entfernt? Dann bestätigen Sie dies bitte hier: {attestationLink}"),
    };

    private static readonly Dictionary<(NotificationKind, string), Texts> Built = new()
    {
        [(NotificationKind.Reminder, "en")] = new(
            ["Remove {app} by {deadline}", "Please remove {app}", "Please remove a banned app"],
            "{app} is no longer allowed on devices used for work. Please remove it from this device by {deadline}.",
            "An app on this device is no longer allowed on devices used for work. Please remove it by {deadline}.",
            Link: true),
        [(NotificationKind.Reminder, "fr")] = new(
            ["Supprimez {app} d'ici le {deadline}", "Veuillez supprimer {app}", "Veuillez supprimer une application interdite"],
            "L'application {app} n'est plus autorisée sur les appareils utilisés à des fins professionnelles. Veuillez la supprimer de cet appareil d'ici le {deadline}.",
            "Une application de cet appareil n'est plus autorisée sur les appareils utilisés à des fins professionnelles. Veuillez la supprimer d'ici le {deadline}.",
            Link: true),
        [(NotificationKind.Reminder, "nl")] = new(
            ["Verwijder {app} uiterlijk {deadline}", "Verwijder {app}", "Verwijder een verboden app"],
            "{app} is niet langer toegestaan op apparaten die voor het werk worden gebruikt. Wilt u de app uiterlijk {deadline} van dit apparaat verwijderen?",
            "Een app op dit apparaat is niet langer toegestaan op apparaten die voor het werk worden gebruikt. Wilt u deze app uiterlijk {deadline} verwijderen?",
            Link: true),
        [(NotificationKind.Reminder, "de")] = new(
            ["{app} bis zum {deadline} entfernen", "Bitte entfernen Sie {app}", "Bitte entfernen Sie eine verbotene App"],
            "{app} ist auf dienstlich genutzten Geräten nicht mehr erlaubt. Bitte entfernen Sie die App bis zum {deadline} von diesem Gerät.",
            "Eine App auf diesem Gerät ist auf dienstlich genutzten Geräten nicht mehr erlaubt. Bitte entfernen Sie sie bis zum {deadline}.",
            Link: true),

        [(NotificationKind.Enforcement, "en")] = new(
            ["{app}: the deadline has passed", "A banned app's deadline has passed"],
            "The deadline to remove {app} was {deadline}. As it is still installed on this device, measures to remove or block it now apply. Please remove it now.",
            "The deadline to remove a banned app from this device was {deadline}. As it is still installed, measures to remove or block it now apply. Please remove it now.",
            Link: false),
        [(NotificationKind.Enforcement, "fr")] = new(
            ["{app}\u00a0: le délai est dépassé", "Application interdite\u00a0: délai dépassé"],
            "Le délai pour supprimer {app} a expiré le {deadline}. L'application étant toujours installée sur cet appareil, des mesures de suppression ou de blocage s'appliquent désormais. Veuillez la supprimer dès maintenant.",
            "Le délai pour supprimer une application interdite de cet appareil a expiré le {deadline}. Comme elle est toujours installée, des mesures de suppression ou de blocage s'appliquent désormais. Veuillez la supprimer dès maintenant.",
            Link: false),
        [(NotificationKind.Enforcement, "nl")] = new(
            ["{app}: de termijn is verstreken", "Verboden app: termijn verstreken"],
            "De termijn om {app} te verwijderen liep af op {deadline}. Omdat de app nog op dit apparaat staat, worden er nu maatregelen genomen om de app te verwijderen of te blokkeren. Verwijder de app zo snel mogelijk.",
            "De termijn om een verboden app van dit apparaat te verwijderen liep af op {deadline}. Omdat de app er nog op staat, worden er nu maatregelen genomen om de app te verwijderen of te blokkeren. Verwijder de app zo snel mogelijk.",
            Link: false),
        [(NotificationKind.Enforcement, "de")] = new(
            ["{app}: Frist abgelaufen", "Verbotene App: Frist abgelaufen"],
            "Die Frist zum Entfernen von {app} ist am {deadline} abgelaufen. Da die App noch auf diesem Gerät installiert ist, gelten jetzt Maßnahmen zum Entfernen oder Sperren. Bitte entfernen Sie die App umgehend.",
            "Die Frist zum Entfernen einer verbotenen App von diesem Gerät ist am {deadline} abgelaufen. Da die App noch installiert ist, gelten jetzt Maßnahmen zum Entfernen oder Sperren. Bitte entfernen Sie die App umgehend.",
            Link: false),

        [(NotificationKind.Advisory, "en")] = new(
            ["Advice: remove {app} by {deadline}", "Advice: remove {app}", "Advice: remove a banned app"],
            "{app} is banned on devices used for work. You are not bound by the ban, but we advise you to remove it from this device by {deadline}.",
            "An app on this device is banned on devices used for work. You are not bound by the ban, but we advise you to remove it by {deadline}.",
            Link: true),
        [(NotificationKind.Advisory, "fr")] = new(
            ["Recommandation\u00a0: supprimez {app}", "Recommandation\u00a0: application à supprimer"],
            "L'application {app} est interdite sur les appareils utilisés à des fins professionnelles. Cette interdiction ne s'applique pas à vous, mais nous vous recommandons de la supprimer de cet appareil d'ici le {deadline}.",
            "Une application de cet appareil est interdite sur les appareils utilisés à des fins professionnelles. Cette interdiction ne s'applique pas à vous, mais nous vous recommandons de la supprimer d'ici le {deadline}.",
            Link: true),
        [(NotificationKind.Advisory, "nl")] = new(
            ["Advies: verwijder {app} uiterlijk {deadline}", "Advies: verwijder {app}", "Advies: verwijder een verboden app"],
            "{app} is verboden op apparaten die voor het werk worden gebruikt. Het verbod geldt niet voor u, maar wij raden u aan de app uiterlijk {deadline} van dit apparaat te verwijderen.",
            "Een app op dit apparaat is verboden op apparaten die voor het werk worden gebruikt. Het verbod geldt niet voor u, maar wij raden u aan de app uiterlijk {deadline} te verwijderen.",
            Link: true),
        [(NotificationKind.Advisory, "de")] = new(
            ["Empfehlung: {app} bis zum {deadline} entfernen", "Empfehlung: {app} entfernen", "Empfehlung: verbotene App entfernen"],
            "{app} ist auf dienstlich genutzten Geräten verboten. Das Verbot gilt nicht für Sie, wir empfehlen Ihnen aber, die App bis zum {deadline} von diesem Gerät zu entfernen.",
            "Eine App auf diesem Gerät ist auf dienstlich genutzten Geräten verboten. Das Verbot gilt nicht für Sie, wir empfehlen Ihnen aber, sie bis zum {deadline} zu entfernen.",
            Link: true),
    };

    /// <summary>The built-in template of <paramref name="kind"/> in <paramref name="language"/> (one of <see cref="Languages"/>), fitted to the ban.</summary>
    public static NotificationTemplate For(NotificationKind kind, string language, Ban ban, BanListContact contact)
    {
        ArgumentNullException.ThrowIfNull(ban);
        ArgumentNullException.ThrowIfNull(contact);
        if (!Built.TryGetValue((kind, language), out var texts))
            throw new ArgumentException($"The built-in notification texts are in {string.Join(", ", Languages)}, not '{language}'.", nameof(language));

        // The last title names no app: it always fits.
        var title = texts.Titles.FirstOrDefault(candidate => Fits(candidate, BanListLimits.MaxNotificationTitleLength, ban, language, contact)) ?? texts.Titles[^1];
        var sentences = Optional[language];
        var available = DropOrder.Where(p => HasValue(p, ban, contact) && (p != AttestationLink || texts.Link)).ToList();
        var bodies = ((string[])[texts.BodyWithApp, texts.BodyWithoutApp])
            .SelectMany(core => Enumerable.Range(0, available.Count + 1).Select(dropped =>
            {
                var kept = available.Skip(dropped).ToHashSet(StringComparer.Ordinal);
                return core
                    + (kept.Contains(Reason) ? sentences.Reason : "")
                    + (kept.Contains(Reference) ? sentences.Reference : "")
                    + (kept.Contains(Helpdesk) ? sentences.Helpdesk : "")
                    + (kept.Contains(AttestationLink) ? sentences.Link : "");
            }))
            .ToList();

        // The last body names no app and no optional value: it always fits (a test measures each at its longest).
        var body = bodies.FirstOrDefault(candidate => Fits(candidate, BanListLimits.MaxNotificationBodyLength, ban, language, contact)) ?? bodies[^1];
        return new NotificationTemplate(title, body);
    }

    private static bool Fits(string text, int limit, Ban ban, string language, BanListContact contact) =>
        LengthAtLongest(text, ban, language, contact) <= limit;
}
