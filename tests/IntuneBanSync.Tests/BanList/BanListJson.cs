namespace IntuneBanSync.Tests.BanList;

/// <summary>A valid ban list to start from, and small edits that break one rule at a time.</summary>
internal static class BanListJson
{
    public const string Valid = """
        {
          "version": 1,
          "bans": [
            {
              "id": "tiktok",
              "name": "TikTok",
              "reason": "Cybersecurity risk to the institution",
              "reference": "Security council decision 2023-03",
              "apps": {
                "displayNames": ["TikTok", "TikTok Lite"],
                "ios": ["com.zhiliaoapp.musically"],
                "android": ["com.zhiliaoapp.musically", "com.ss.android.ugc.trill"],
                "windows": ["9NH2GPH4JZS4"],
                "macos": []
              },
              "scope": {
                "includeGroups": ["6B1D2C3E-4F50-4A6B-8C7D-9E0F1A2B3C4D"],
                "excludeGroups": ["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"],
                "ownership": ["company", "personal"],
                "platforms": ["ios", "android"]
              },
              "effectiveFrom": "2023-02-23T00:00:00Z",
              "uninstallBy": "2023-03-15T00:00:00+01:00",
              "expiresOn": "2023-09-14T00:00:00Z",
              "enforcement": "enforce"
            },
            {
              "id": "wechat",
              "name": "WeChat",
              "apps": { "displayNames": ["WeChat"] },
              "scope": { "ownership": ["company"], "platforms": ["windows"] },
              "effectiveFrom": "2024-01-01T00:00:00Z",
              "uninstallBy": "2024-01-01T00:00:00Z",
              "expiresOn": "2025-01-01T00:00:00Z"
            }
          ],
          "exemptions": [
            {
              "id": "police-comms",
              "ban": "tiktok",
              "group": "11111111-2222-4333-8444-555555555555",
              "justification": "Police zone communications account",
              "approvedBy": "CISO",
              "expiresOn": "2023-09-14T00:00:00Z"
            },
            {
              "id": "press-office",
              "ban": "tiktok",
              "user": "21111111-2222-4333-8444-555555555555",
              "justification": "Press office publishes official videos",
              "approvedBy": "CISO"
            },
            {
              "id": "lab-device",
              "ban": "wechat",
              "device": "31111111-2222-4333-8444-555555555555",
              "justification": "Interoperability testing",
              "approvedBy": "Head of IT"
            }
          ]
        }
        """;

    public static JsonObject Document() => JsonNode.Parse(Valid)!.AsObject();

    public static string With(Action<JsonObject> change)
    {
        var document = Document();
        change(document);
        return document.ToJsonString();
    }

    public static JsonObject Ban(this JsonObject document, int index = 0) => document["bans"]![index]!.AsObject();

    public static JsonObject Apps(this JsonObject document, int index = 0) => document.Ban(index)["apps"]!.AsObject();

    public static JsonObject Scope(this JsonObject document, int index = 0) => document.Ban(index)["scope"]!.AsObject();

    public static JsonObject Exemption(this JsonObject document, int index = 0) => document["exemptions"]![index]!.AsObject();

    /// <summary>Gives a ban a new id and points its exemptions at it, so only the id itself is under test.</summary>
    public static void RenameBan(this JsonObject document, int index, string id)
    {
        var ban = document.Ban(index);
        var oldId = ban["id"]!.GetValue<string>();
        ban["id"] = id;
        foreach (var exemption in document["exemptions"]!.AsArray().Select(e => e!.AsObject()))
        {
            if (exemption["ban"]!.GetValue<string>() == oldId)
            {
                exemption["ban"] = id;
            }
        }
    }

    /// <summary>Stands for raw JSON text that no <see cref="JsonNode"/> can hold, such as an escaped lone surrogate.</summary>
    public const string Marker = "@@raw@@";

    /// <summary>Applies <paramref name="change"/>, then writes <paramref name="rawJson"/> wherever it put <see cref="Marker"/> (as a value or a property name).</summary>
    public static string WithRaw(Action<JsonObject> change, string rawJson) =>
        With(change).Replace($"\"{Marker}\"", rawJson, StringComparison.Ordinal);

    /// <summary>The JSON path of every string value in <see cref="Valid"/>, e.g. <c>$.bans[0].apps.displayNames[1]</c>.</summary>
    public static IEnumerable<string> StringPaths() => StringsIn(Document(), "$", _ => { }).Select(s => s.Path);

    public static void SetString(this JsonObject document, string path, JsonNode? value) =>
        StringsIn(document, "$", _ => { }).Single(s => s.Path == path).Set(value);

    private static IEnumerable<(string Path, Action<JsonNode?> Set)> StringsIn(JsonNode node, string path, Action<JsonNode?> set)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    foreach (var leaf in StringsIn(child!, $"{path}.{name}", value => obj[name] = value))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var index = i;
                    foreach (var leaf in StringsIn(array[i]!, $"{path}[{i}]", value => array[index] = value))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
                yield return (path, set);
                break;
        }
    }

    public static BanListError SingleError(BanListParseResult result, string path)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        return error;
    }
}
