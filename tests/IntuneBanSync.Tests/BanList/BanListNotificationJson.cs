using System.Text.Json.Nodes;

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

    public static JsonObject Notifications(this JsonObject document, int ban = 0)
    {
        var target = document.Ban(ban);
        if (target["notifications"] is not JsonObject notifications)
        {
            notifications = [];
            target["notifications"] = notifications;
        }

        return notifications;
    }

    public static JsonObject Templates(this JsonObject document, int ban = 0)
    {
        var notifications = document.Notifications(ban);
        if (notifications["templates"] is not JsonObject templates)
        {
            templates = [];
            notifications["templates"] = templates;
        }

        return templates;
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
