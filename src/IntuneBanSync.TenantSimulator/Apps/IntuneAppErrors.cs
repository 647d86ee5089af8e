using System.Text.Json;

namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// How Intune's app service refuses a request: 400 BadRequest whose message is itself a JSON document ("_version": 3, "Message" with
/// the operation and activity ids and the internal URL), as seen in microsoft-graph-docs-contrib #2139 and #3603 and
/// andrew-s-taylor/public #20.
/// </summary>
internal static class IntuneAppErrors
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static GraphResponse BadRequest(string message, string path, DateTimeOffset now)
    {
        var activity = Guid.NewGuid();
        var inner = new JsonObject
        {
            ["_version"] = 3,
            ["Message"] = $"{message} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: {activity} - " +
                $"Url: https://fef.msub01.manage.microsoft.com/AppLifecycle_2411/StatelessAppMetadataFEService/{path}?api-version=5024-10-18",
            ["CustomApiErrorPhrase"] = "",
            ["RetryAfter"] = null,
            ["ErrorSourceService"] = "",
            ["HttpHeaders"] = "{}",
        };
        return GraphJson.Error(400, "BadRequest", inner.ToJsonString(Indented).ReplaceLineEndings("\r\n"), now);
    }
}
