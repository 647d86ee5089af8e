using System.Text.Json;
using IntuneBanSync.Functions.Api;
using IntuneBanSync.Functions.Security;
using IntuneBanSync.Inventory;
using IntuneBanSync.Reports;
using Microsoft.Azure.Functions.Worker;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>
/// POST /api/sweeps: one user (id or UPN) or one device runs at once and answers its report; the whole tenant answers
/// 202 with the run's URL and continues from the queue. Enforcement asks for the Admin role. The body's rules are
/// <see cref="SweepInput.Validate"/>'s, the same as the CLI's.
/// </summary>
public sealed class SweepNow(ApiRequest api, SweepRunner runner, SweepQueue queue, JournalStore journal, TimeProvider time)
{
    [Function(nameof(SweepNow))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "sweeps")] HttpRequest request, CancellationToken ct)
    {
        var check = api.Check(request, AppRoles.Helpdesk);
        if (!check.Allowed)
            return check.Denied!;

        var (text, unreadable) = await JsonBody.ReadAsync(request, ct);
        if (unreadable is not null)
            return unreadable;
        SweepNowBody body;
        try
        {
            body = string.IsNullOrWhiteSpace(text)
                ? new SweepNowBody()
                : JsonSerializer.Deserialize<SweepNowBody>(text, ReportJson.Options) ?? new SweepNowBody();
        }
        catch (JsonException e)
        {
            return ApiRequest.Invalid("body", $"not valid JSON: {e.Message}");
        }

        SweepChoices sweep;
        try
        {
            sweep = SweepInput.Validate(new SweepAsk(body.User, body.Device, body.Mode, body.AsOf));
        }
        catch (SweepInputException e)
        {
            return ApiRequest.Invalid(FieldName(e.Field), e.Message);
        }

        // Without a mode, an HTTP sweep reports: enforcement is asked for by name.
        sweep = sweep with { Mode = sweep.Mode ?? EnforcementMode.Report };
        if (sweep.Mode == EnforcementMode.Enforce)
        {
            check = ApiRequest.Require(check, AppRoles.Admin);
            if (!check.Allowed)
                return check.Denied!;
        }

        var tenant = check.Tenant!;
        if (sweep.Target.IsWholeTenant)
            return await QueueAsync(tenant, sweep, check.Caller!.Name, ct);

        try
        {
            var outcome = await runner.RunAsync(tenant, "helpdesk", sweep, $"helpdesk: {check.Caller!.Name}", null, ct);
            return outcome.Report is { } report
                ? TypedResults.Json(report, ReportJson.Options)
                : TypedResults.Conflict(new { status = "locked", lockedBy = outcome.LockedBy?.Holder, until = outcome.LockedBy?.ExpiresAt });
        }
        catch (TargetNotFoundException e)
        {
            return TypedResults.NotFound(new { error = e.Message });
        }
    }

    private static string FieldName(SweepInputField field) => field switch
    {
        SweepInputField.User => "user",
        SweepInputField.Device => "device",
        SweepInputField.Mode => "mode",
        SweepInputField.AsOf => "asOf",
        SweepInputField.OverrideBlastRadius => "overrideBlastRadius",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private async Task<IResult> QueueAsync(string tenant, SweepChoices sweep, string caller, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var runId = SweepEngine.NewRunId(now);
        var mode = sweep.Mode ?? EnforcementMode.Report;
        var modeName = WireName.Of(mode);
        await journal.SaveRunAsync(new SweepRun(runId, tenant, "helpdesk", mode, now, null, SweepStatus.Queued, SweepCounts.Empty), ct);
        await queue.EnqueueAsync(new QueuedSweep(tenant, runId, modeName, caller, sweep.AsOf), ct);
        return TypedResults.Accepted($"/api/sweeps/{runId}?tenant={Uri.EscapeDataString(tenant)}", new { runId, tenant, status = "queued" });
    }
}

/// <summary>The body of POST /api/sweeps: a user or a device (else the whole tenant), a mode (default report), a what-if time (report only).</summary>
public sealed record SweepNowBody(string? User = null, string? Device = null, string? Mode = null, string? AsOf = null);
