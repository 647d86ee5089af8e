using IntuneBanSync.Functions.Api;
using IntuneBanSync.Functions.Security;
using IntuneBanSync.Journal;
using IntuneBanSync.Reports;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace IntuneBanSync.Functions.Devices;

/// <summary>GET /api/devices/{id}: what the journal knows of one managed device — each ban's state, reason and route, and the writes made for it.</summary>
public sealed class GetDevice(ApiRequest api, JournalStore journal)
{
    [Function(nameof(GetDevice))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "devices/{id}")] HttpRequest request, string id, CancellationToken ct)
    {
        var check = api.Check(request, AppRoles.Helpdesk);
        if (!check.Allowed)
            return check.Denied!;
        if (!Guid.TryParse(id, out var deviceId))
            return ApiRequest.Invalid("id", $"'{Reports.PlainText.Strip(id)}' is not a managed device id (a GUID).");
        // The journal keys devices by the id as Graph writes it.
        id = deviceId.ToString("D");

        var states = await journal.GetDeviceStatesForDeviceAsync(check.Tenant!, id, ct).ToListAsync(ct);
        if (states.Count == 0)
            return TypedResults.NotFound(new { error = $"The journal knows nothing of device {id}: no banned app was ever seen on it." });

        var history = new List<object>();
        foreach (var banId in states.Select(s => s.BanId).Distinct())
        {
            var audit = await journal.GetAuditAsync(check.Tenant!, banId, ct);
            history.AddRange(audit.Where(a => string.Equals(a.Intent.DeviceId, id, StringComparison.OrdinalIgnoreCase)).Select(a => new
            {
                a.Intent.BanId,
                Action = a.Intent.Action.Name,
                a.Intent.Target,
                At = a.Intent.At,
                Result = a.Outcome is { } outcome ? WireName.Of(outcome.Result) : "no outcome yet",
                a.Outcome?.Detail,
            }));
        }

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
                    s.LastSeen,
                    s.EnforcedAt,
                    s.ResolvedAt,
                    s.DeviceName,
                    s.UserId,
                }),
                History = history,
            },
            ReportJson.Options);
    }
}
