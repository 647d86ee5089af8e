namespace IntuneBanSync.Tests.BanList;

/// <summary>Notification settings and templates to put into <see cref="BanListJson.Valid"/>, one rule broken at a time.</summary>
internal static class BanListNotificationJson
{
    public static JsonObject Template(string title = "Remove {app} by {deadline}", string body = "{app} is banned: {reason}. Remove it by {deadline}.") =>
        new() { ["title"] = title, ["body"] = body };

    /// <summary>A kind written in the four required languages, each with the same texts.</summary>
    public static JsonObject Kind(string title = "Remove {app} by {deadline}", string body = "{app} is banned: {reason}. Remove it by {deadline}.") =>
        new()
        {
            ["en"] = Template(title, body),
            ["fr"] = Template(title, body),
            ["nl"] = Template(title, body),
            ["de"] = Template(title, body),
        };

    public static JsonObject Notifications(this JsonObject document, int ban = 0) => ObjectAt(document.Ban(ban), "notifications");

    public static JsonObject Templates(this JsonObject document, int ban = 0) => ObjectAt(document.Notifications(ban), "templates");

    /// <summary>The object under <paramref name="name"/>, added empty if the parent has none.</summary>
    private static JsonObject ObjectAt(JsonObject parent, string name)
    {
        if (parent[name] is not JsonObject child)
        {
            child = [];
            parent[name] = child;
        }

        return child;
    }

    public static void Contact(this JsonObject document, string? helpdesk = "Service desk, +32 2 000 00 00", string? attestationUrl = "https://ibs.example.org/api/attest")
    {
        var contact = new JsonObject();
        if (helpdesk is not null)
            contact["helpdesk"] = helpdesk;
        if (attestationUrl is not null)
            contact["attestationUrl"] = attestationUrl;
        document["contact"] = contact;
    }
}
