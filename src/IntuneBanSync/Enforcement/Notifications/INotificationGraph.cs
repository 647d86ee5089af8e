namespace IntuneBanSync.Enforcement.Notifications;

/// <summary>What the notifications ask of Graph: the preferred language of the users to notify, and one Company Portal notification.</summary>
public interface INotificationGraph
{
    /// <summary>preferredLanguage of these users only (15 users a request, 20 requests a $batch); a user Graph does not answer for is left out.</summary>
    Task<IReadOnlyDictionary<string, string?>> PreferredLanguagesAsync(IReadOnlyCollection<string> userIds, CancellationToken ct);

    /// <summary>Sends each notification to the user of its managed device, 20 to a $batch; one answer per key (429: the device's hour is used up).</summary>
    Task<IReadOnlyDictionary<string, ActionAnswer>> SendEachAsync(IReadOnlyList<NotificationSend> sends, CancellationToken ct);
}

/// <summary>One Company Portal notification to send, answered by its key.</summary>
public sealed record NotificationSend(string Key, string ManagedDeviceId, string Title, string Body);

/// <summary>
/// <see cref="INotificationGraph"/> over the SDK: the users through <see cref="GraphIntune.UsersAsync"/> (the report's department read),
/// the notification through the beta action sendCustomNotificationToCompanyPortal (no v1.0 equivalent; the SDK has no model of it).
/// </summary>
public sealed class GraphNotifications(GraphServiceClient client, GraphOptions options) : INotificationGraph
{
    private readonly GraphIntune _users = new(client, options);
    private readonly GraphActions _actions = new(new GraphJson(client, options));

    public async Task<IReadOnlyDictionary<string, string?>> PreferredLanguagesAsync(IReadOnlyCollection<string> userIds, CancellationToken ct) =>
        userIds.Count == 0
            ? new Dictionary<string, string?>()
            : (await _users.UsersAsync(userIds, ct)).ToDictionary(u => u.Key, u => u.Value.PreferredLanguage, StringComparer.OrdinalIgnoreCase);

    // POST /deviceManagement/managedDevices/{managedDeviceId}/sendCustomNotificationToCompanyPortal, body notificationTitle and
    // notificationBody, 204 No Content (microsoft-graph-docs-contrib api-reference/beta/api/intune-devices-manageddevice-sendcustomnotificationtocompanyportal.md).
    public Task<IReadOnlyDictionary<string, ActionAnswer>> SendEachAsync(IReadOnlyList<NotificationSend> sends, CancellationToken ct) =>
        _actions.PostEachAsync(
            $"send {sends.Count} Company Portal notifications",
            GraphVersion.Beta,
            [.. sends.Select(s => new GraphAction(
                s.Key,
                $"/deviceManagement/managedDevices/{Uri.EscapeDataString(ODataFilter.Guid(s.ManagedDeviceId, "managedDeviceId"))}/sendCustomNotificationToCompanyPortal",
                new JsonObject { ["notificationTitle"] = s.Title, ["notificationBody"] = s.Body }))],
            ct);
}
