using System.Globalization;

namespace IntuneBanSync.TenantSimulator;

/// <summary>One custom notification a device's user was sent, as the tests read it.</summary>
public sealed record SentNotification(string DeviceId, string Title, string Body, DateTimeOffset At);

/// <summary>What the simulated tenant delivered to the Company Portal: the ground truth of notification tests.</summary>
public sealed class NotificationOutbox
{
    private readonly Lock gate = new();
    private readonly List<SentNotification> sent = [];

    public IReadOnlyList<SentNotification> Sent
    {
        get
        {
            lock (gate)
            {
                return [.. sent];
            }
        }
    }

    public IReadOnlyList<SentNotification> To(string deviceId) => [.. Sent.Where(n => string.Equals(n.DeviceId, deviceId, StringComparison.OrdinalIgnoreCase))];

    /// <summary>A notification someone else sent (an administrator in the portal): it counts against the device's hour as ours do.</summary>
    public void Add(SentNotification notification)
    {
        lock (gate)
        {
            sent.Add(notification);
        }
    }

    internal int? Admit(string deviceId, SentNotification notification, DateTimeOffset now, int perHour, TimeSpan window)
    {
        lock (gate)
        {
            var recent = sent.Where(n => string.Equals(n.DeviceId, deviceId, StringComparison.OrdinalIgnoreCase) && n.At > now - window && n.At <= now)
                .Select(n => n.At).Order().ToList();
            if (recent.Count >= perHour)
            {
                return Math.Max(1, (int)Math.Ceiling((recent[recent.Count - perHour] + window - now).TotalSeconds));
            }

            sent.Add(notification);
            return null;
        }
    }
}

/// <summary>
/// beta POST deviceManagement/managedDevices/{id}/sendCustomNotificationToCompanyPortal: 204, or the refusals Graph and Intune give.
/// Permission DeviceManagementManagedDevices.ReadWrite.All (microsoft-graph-docs-contrib
/// api-reference/beta/api/intune-devices-manageddevice-sendcustomnotificationtocompanyportal.md); titles ≤ 50 and bodies ≤ 500
/// characters, at most 10 to one device per hour (learn.microsoft.com/intune/intune-service/remote-actions/custom-notifications).
/// </summary>
internal sealed class NotificationRoutes(TenantState state, SimulatorOptions options, NotificationOutbox outbox)
{
    public const int TitleLimit = 50;
    public const int BodyLimit = 500;
    public const int PerDevicePerHour = 10;

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    public void Register(GraphRouter router) =>
        router.Write(
            "POST", "deviceManagement/managedDevices/{id}/sendCustomNotificationToCompanyPortal", ThrottleCategory.Devices,
            Needs.Any("DeviceManagementManagedDevices.ReadWrite.All"), Send, betaOnly: true);

    private GraphResponse Send(GraphRequest request, RouteArgs args)
    {
        var now = Now;
        if (Text(request.Body, "notificationTitle") is not { } title)
        {
            return GraphJson.BadRequest("notificationTitle is required and must be a string.", now);
        }

        if (Text(request.Body, "notificationBody") is not { } body)
        {
            return GraphJson.BadRequest("notificationBody is required and must be a string.", now);
        }

        if (title.Length is 0 or > TitleLimit)
        {
            return GraphJson.BadRequest($"notificationTitle must be 1 to {TitleLimit} characters; it has {title.Length}.", now);
        }

        if (body.Length is 0 or > BodyLimit)
        {
            return GraphJson.BadRequest($"notificationBody must be 1 to {BodyLimit} characters; it has {body.Length}.", now);
        }

        lock (state.Gate)
        {
            if (state.FindManagedDevice(args["id"]) is null)
            {
                return GraphJson.NotFound($"Managed device '{args["id"]}' not found.", now);
            }
        }

        if (outbox.Admit(args["id"], new SentNotification(args["id"], title, body, now), now, PerDevicePerHour, Window) is { } seconds)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling(seconds * options.TimeFactor));
            return GraphJson.Error(
                429, "TooManyRequests", $"Only {PerDevicePerHour} custom notifications may be sent to one device per hour.", now,
                new Dictionary<string, string> { ["Retry-After"] = retryAfter.ToString(CultureInfo.InvariantCulture) });
        }

        return GraphResponse.NoContent();
    }

    private static string? Text(JsonNode? body, string name) =>
        body is JsonObject json && json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
