using System.Text.Json.Nodes;
using IntuneBanSync.Functions.Api;
using IntuneBanSync.Functions.Security;
using IntuneBanSync.Reports;
using Microsoft.Azure.Functions.Worker;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>GET /api/sweeps/{runId}: a run's status and, once it ended, its report.</summary>
public sealed class GetSweep(ApiRequest api, JournalStore journal)
{
    [Function(nameof(GetSweep))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "sweeps/{runId}")] HttpRequest request, string runId, CancellationToken ct)
    {
        if (!api.Allows(request, AppRoles.Helpdesk, out var call, out var refusal))
            return refusal;
        if (runId.Length is 0 or > 100 || runId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            return ApiRequest.Invalid("runId", "is not a run id.");

        if (await journal.GetRunAsync(call.Tenant, runId, ct) is not { } run)
            return TypedResults.NotFound(new { error = $"No run {runId} of tenant {call.Tenant}." });
        return TypedResults.Json(
            new
            {
                run.RunId,
                run.Tenant,
                run.Trigger,
                run.Mode,
                Status = run.Status.ToString().ToLowerInvariant(),
                run.StartedAt,
                run.EndedAt,
                run.Counts,
                run.Error,
                Report = run.SummaryJson is { } json ? JsonNode.Parse(json) : null,
            },
            ReportJson.Options);
    }
}
