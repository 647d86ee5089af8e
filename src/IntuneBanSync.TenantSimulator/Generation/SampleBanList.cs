using System.Text.Json;

namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// The TikTok ban of DESIGN.md written for a generated tenant: its police group excluded, its exemption group exempt,
/// the uninstall deadline ten days before <paramref name="now"/>. The demo, the tests and the benchmark sweep with it.
/// </summary>
public static class SampleBanList
{
    public static string TikTok(TenantState state, DateTimeOffset now, string enforcement = "report")
    {
        var doc = new JsonObject
        {
            ["version"] = 1,
            ["bans"] = new JsonArray(new JsonObject
            {
                ["id"] = "tiktok",
                ["name"] = "TikTok",
                ["reason"] = "Cybersecurity risk to the institution",
                ["reference"] = "Security council decision (simulated tenant)",
                ["apps"] = new JsonObject
                {
                    ["displayNames"] = new JsonArray("TikTok", "TikTok Lite"),
                    ["ios"] = new JsonArray("com.zhiliaoapp.musically"),
                    ["android"] = new JsonArray("com.zhiliaoapp.musically", "com.zhiliaoapp.musically.go", "com.ss.android.ugc.trill"),
                    ["windows"] = new JsonArray("9NH2GPH4JZS4"),
                    ["macos"] = new JsonArray(),
                },
                ["scope"] = new JsonObject
                {
                    ["excludeGroups"] = new JsonArray(state.GroupByName("IBS Police").Id),
                    ["ownership"] = new JsonArray("company", "personal"),
                    ["platforms"] = new JsonArray("ios", "android", "windows", "macos"),
                },
                ["effectiveFrom"] = Iso(now.AddDays(-30)),
                ["uninstallBy"] = Iso(now.AddDays(-10)),
                ["expiresOn"] = Iso(now.AddDays(150)),
                ["enforcement"] = enforcement,
            }),
            ["exemptions"] = new JsonArray(new JsonObject
            {
                ["id"] = "comms-team",
                ["ban"] = "tiktok",
                ["group"] = state.GroupByName("IBS TikTok Exemptions").Id,
                ["justification"] = "Official communications accounts",
                ["approvedBy"] = "CISO",
                ["expiresOn"] = Iso(now.AddDays(150)),
            }),
        };
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
