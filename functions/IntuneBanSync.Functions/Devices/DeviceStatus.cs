using IntuneBanSync.Functions.Api;
using IntuneBanSync.Functions.Security;
using IntuneBanSync.Reports;
using Microsoft.Azure.Functions.Worker;

namespace IntuneBanSync.Functions.Devices;

/// <summary>
/// GET /api/devices/{id}: what the journal knows of one managed device — each ban's state, reason and route, the writes made for it,
/// the notifications sent to it and its user's attestations.
/// </summary>
public sealed class GetDevice(ApiRequest api, JournalStore journal, AttestationStore attestations)
{
    [Function(nameof(GetDevice))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "devices/{id}")] HttpRequest request, string id, CancellationToken ct)
    {
        if (!api.Allows(request, AppRoles.Helpdesk, out var call, out var refusal))
            return refusal;
        if (!Guid.TryParse(id, out var deviceId))
            return ApiRequest.Invalid("id", $"'{Reports.PlainText.Strip(id)}' is not a managed device id (a GUID).");
        // The journal keys devices by the id as Graph writes it.
        id = deviceId.ToString("D");

        var states = await journal.GetDeviceStatesForDeviceAsync(call.Tenant, id, ct).ToListAsync(ct);
        var attested = await attestations.ForDeviceAsync(call.Tenant, id, ct);
        if (states.Count == 0 && attested.Count == 0)
            return TypedResults.NotFound(new { error = $"The journal knows nothing of device {id}: no banned app was ever seen on it, and its user attested nothing." });

        var lastSeen = await LastSeenAsync(call.Tenant, id, states, ct);
        var writes = new List<AuditEntry>();
        foreach (var banId in states.Select(s => s.BanId).Concat(attested.Select(a => a.BanId)).Distinct(StringComparer.Ordinal))
        {
            var audit = await journal.GetAuditAsync(call.Tenant, banId, ct);
            writes.AddRange(audit.Where(a => string.Equals(a.Intent.DeviceId, id, StringComparison.OrdinalIgnoreCase)));
        }

        var history = writes.Select(a => new
        {
            a.Intent.BanId,
            Action = a.Intent.Action.Name,
            a.Intent.Target,
            At = a.Intent.At,
            Result = a.Outcome is { } outcome ? WireName.Of(outcome.Result) : "no outcome yet",
            a.Outcome?.Detail,
        }).ToList();

        return TypedResults.Json(
            new
            {
                DeviceId = id,
                Bans = states.Select(s => new
                {
                    s.BanId,
                    s.State,
                    s.StateReason,
                    s.Route,
                    s.LastDecision,
                    s.FirstSeen,
                    LastSeen = lastSeen[s.BanId],
                    s.EnforcedAt,
                    s.ResolvedAt,
                    s.DeviceName,
                    s.UserId,
                }),
                History = history,
                Notifications = history.Where((_, i) => writes[i].Intent.Action == Enforcement.Notifications.CompanyPortalNotifications.SendNotification),
                Attestations = attested.Select(a => new { a.BanId, a.UserId, a.UserPrincipalName, a.At, a.DeviceName }),
            },
            ReportJson.Options);
    }

    /// <summary>
    /// A state row is written only when it changes, so its LastSeen is the sweep that last changed it; a device the latest sweep
    /// listed with the app was seen then.
    /// </summary>
    private async Task<Dictionary<string, DateTimeOffset>> LastSeenAsync(string tenant, string deviceId, IReadOnlyList<DeviceBanState> states, CancellationToken ct)
    {
        var latest = await journal.GetLatestSweepAsync(tenant, ct);
        var lastSeen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var state in states)
        {
            var stillSeen = latest is not null && latest.StartedAt > state.LastSeen
                && await journal.GetFindingAsync(tenant, latest.RunId, state.BanId, deviceId, ct) is { AppName: not null };
            lastSeen[state.BanId] = stillSeen ? latest!.StartedAt : state.LastSeen;
        }

        return lastSeen;
    }
}
