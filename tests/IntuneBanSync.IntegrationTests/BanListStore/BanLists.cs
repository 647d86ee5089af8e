namespace IntuneBanSync.IntegrationTests.BanListStore;

/// <summary>Valid ban lists to store, and exemptions to add to them.</summary>
internal static class BanLists
{
    public const string Sample = """
        {
          "version": 1,
          "bans": [
            {
              "id": "tiktok",
              "name": "TikTok",
              "apps": { "displayNames": ["TikTok", "TikTok Lite"], "ios": ["com.zhiliaoapp.musically"] },
              "scope": { "ownership": ["company", "personal"], "platforms": ["ios", "android"] },
              "effectiveFrom": "2023-02-23T00:00:00Z",
              "uninstallBy": "2023-03-15T00:00:00Z",
              "expiresOn": "2023-09-14T00:00:00Z",
              "enforcement": "report"
            }
          ],
          "exemptions": [
            {
              "id": "police-comms",
              "ban": "tiktok",
              "user": "3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b",
              "justification": "Police zone communications account",
              "approvedBy": "CISO"
            }
          ]
        }
        """;

    public const string WithoutExemptions = """
        {
          "version": 1,
          "bans": [
            {
              "id": "tiktok",
              "name": "TikTok",
              "apps": { "displayNames": ["TikTok"] },
              "scope": { "ownership": ["company"], "platforms": ["android"] },
              "effectiveFrom": "2023-02-23T00:00:00Z",
              "uninstallBy": "2023-03-15T00:00:00Z",
              "expiresOn": "2023-09-14T00:00:00Z"
            }
          ]
        }
        """;

    public static JsonObject Exemption(string id) => new()
    {
        ["id"] = id,
        ["ban"] = "tiktok",
        ["device"] = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f",
        ["justification"] = "Executive device under incident response",
        ["approvedBy"] = "CISO",
        ["expiresOn"] = "2023-09-14T00:00:00Z",
    };

    /// <summary>A ban list of <paramref name="count"/> bans of about 450 characters each.</summary>
    public static string WithBans(int count)
    {
        var bans = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            bans.Add(new JsonObject
            {
                ["id"] = $"app-{i:D4}",
                ["name"] = $"Banned application number {i}",
                ["reason"] = "Cybersecurity risk to the institution, as assessed by the security council",
                ["apps"] = new JsonObject
                {
                    ["displayNames"] = new JsonArray($"Banned App {i}", $"Banned App {i} Lite"),
                    ["android"] = new JsonArray($"com.example.banned.app{i}", $"com.example.banned.app{i}.lite"),
                },
                ["scope"] = new JsonObject { ["ownership"] = new JsonArray("company", "personal"), ["platforms"] = new JsonArray("ios", "android", "windows", "macos") },
                ["effectiveFrom"] = "2023-02-23T00:00:00Z",
                ["uninstallBy"] = "2023-03-15T00:00:00Z",
                ["expiresOn"] = "2023-09-14T00:00:00Z",
            });
        }

        return new JsonObject { ["version"] = 1, ["bans"] = bans }.ToJsonString();
    }
}
