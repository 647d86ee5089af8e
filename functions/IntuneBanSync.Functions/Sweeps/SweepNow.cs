using System.Text.Json;
using IntuneBanSync.BanList;
using IntuneBanSync.Functions.Api;
using IntuneBanSync.Functions.Security;
using IntuneBanSync.Inventory;
using IntuneBanSync.Journal;
using IntuneBanSync.Reports;
using IntuneBanSync.Sweeps;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>
/// POST /api/sweeps: one user (id or UPN) or one device runs at once and answers its report; the whole tenant answers
/// 202 with the run's URL and continues from the queue. Enforcement asks for the Admin role.
/// </summary>
public sealed class SweepNow(ApiRequest api, SweepRunner runner, SweepQueue queue, JournalStore journal, TimeProvider time)
{
    [Function(nameof(SweepNow))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "sweeps")] HttpRequest request, CancellationToken ct)
    {
        var check = api.Check(request, AppRoles.Helpdesk);
        if (!check.Allowed)
            return check.Denied!;

        SweepNowBody body;
        try
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(ct);
            body = string.IsNullOrWhiteSpace(text)
                ? new SweepNowBody()
                : JsonSerializer.Deserialize<SweepNowBody>(text, ReportJson.Options) ?? new SweepNowBody();
        }
        catch (JsonException e)
        {
            return ApiRequest.Invalid("body", $"not valid JSON: {e.Message}");
        }

        SweepTarget target;
        EnforcementMode mode;
        try
        {
            mode = SweepInput.Mode(body.Mode) ?? EnforcementMode.Report;
            target = SweepInput.Target(body.User, body.Device);
        }
        catch (SweepInputException e)
        {
            return ApiRequest.Invalid(e.Field, e.Message);
        }

        if (mode == EnforcementMode.Enforce && !check.Caller!.IsIn(AppRoles.Admin))
            return TypedResults.Problem($"Enforcement asks for the {AppRoles.Admin} role.", statusCode: StatusCodes.Status403Forbidden);
        if (mode == EnforcementMode.Enforce && !target.IsWholeTenant)
            return ApiRequest.Invalid("mode", "enforcement runs on the whole tenant; a user's or a device's sweep reports.");

        var tenant = check.Tenant!;
        if (target.IsWholeTenant)
            return await QueueAsync(tenant, mode, check.Caller!.Name, ct);

        try
        {
            var outcome = await runner.RunAsync(tenant, "helpdesk", target, mode, $"helpdesk: {check.Caller!.Name}", null, ct);
            return outcome.Report is { } report
                ? TypedResults.Json(report, ReportJson.Options)
                : TypedResults.Conflict(new { status = "locked", lockedBy = outcome.LockedBy?.Holder, until = outcome.LockedBy?.ExpiresAt });
        }
        catch (TargetNotFoundException e)
        {
            return TypedResults.NotFound(new { error = e.Message });
        }
    }

    private async Task<IResult> QueueAsync(string tenant, EnforcementMode mode, string caller, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var runId = SweepEngine.NewRunId(now);
        var modeName = mode.ToString().ToLowerInvariant();
        await journal.EnsureCreatedAsync(ct);
        await journal.SaveRunAsync(new SweepRun(runId, tenant, "helpdesk", mode, now, null, SweepStatus.Queued, SweepCounts.Empty), ct);
        await queue.EnqueueAsync(new QueuedSweep(tenant, runId, modeName, caller), ct);
        return TypedResults.Accepted($"/api/sweeps/{runId}?tenant={Uri.EscapeDataString(tenant)}", new { runId, tenant, status = "queued" });
    }
}

public sealed record SweepNowBody(string? User = null, string? Device = null, string? Mode = null);
