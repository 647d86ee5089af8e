using System.Text.Json.Nodes;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;

namespace IntuneBanSync.Enforcement.Notifications;

/// <summary>What the notifications ask of Graph: the preferred language of the users to notify, and one Company Portal notification.</summary>
public interface INotificationGraph
{
    /// <summary>preferredLanguage of these users only (a $batch of ≤ 20 per request); a user Graph does not answer for is left out.</summary>
    Task<IReadOnlyDictionary<string, string?>> PreferredLanguagesAsync(IReadOnlyCollection<string> userIds, CancellationToken ct);

    /// <summary>Sends one notification to the user of one managed device; refused → <see cref="GraphWriteException"/> with the status.</summary>
    Task SendAsync(string managedDeviceId, string title, string body, CancellationToken ct);
}

/// <summary>
/// <see cref="INotificationGraph"/> over the SDK: the users through <see cref="GraphIntune.UsersAsync"/> (the report's department read),
/// the notification through the beta action sendCustomNotificationToCompanyPortal (no v1.0 equivalent; the SDK has no model of it).
/// </summary>
public sealed class GraphNotifications(GraphServiceClient client, GraphOptions options) : INotificationGraph
{
    private readonly GraphIntune _users = new(client, options);
    private readonly GraphJson _json = new(client, options);

    public async Task<IReadOnlyDictionary<string, string?>> PreferredLanguagesAsync(IReadOnlyCollection<string> userIds, CancellationToken ct) =>
        userIds.Count == 0
            ? new Dictionary<string, string?>()
            : (await _users.UsersAsync(userIds, ct)).ToDictionary(u => u.Key, u => u.Value.PreferredLanguage, StringComparer.OrdinalIgnoreCase);

    // POST /deviceManagement/managedDevices/{managedDeviceId}/sendCustomNotificationToCompanyPortal, body notificationTitle and
    // notificationBody, 204 No Content (microsoft-graph-docs-contrib api-reference/beta/api/intune-devices-manageddevice-sendcustomnotificationtocompanyportal.md).
    public async Task SendAsync(string managedDeviceId, string title, string body, CancellationToken ct) =>
        await _json.WriteAsync(
            $"send a Company Portal notification to device {managedDeviceId}",
            Method.POST,
            $"{_json.Beta}/deviceManagement/managedDevices/{Uri.EscapeDataString(ODataFilter.Guid(managedDeviceId, "managedDeviceId"))}/sendCustomNotificationToCompanyPortal",
            new JsonObject { ["notificationTitle"] = title, ["notificationBody"] = body },
            ct);
}
