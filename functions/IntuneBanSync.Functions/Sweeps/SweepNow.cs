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
        var read = await api.ReadAsync(request, AppRoles.Helpdesk, ReadBodyAsync, ct);
        if (!read.TryGet(out var call, out var body, out var refusal))
            return refusal;

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
        if (sweep.Mode == EnforcementMode.Enforce && !call.Holds(AppRoles.Admin, out refusal))
            return refusal;

        var tenant = call.Tenant;
        if (sweep.Target.IsWholeTenant)
            return await QueueAsync(tenant, sweep, call.Caller.Name, ct);

        try
        {
            var outcome = await runner.RunAsync(tenant, "helpdesk", sweep, $"helpdesk: {call.Caller.Name}", null, ct);
            return outcome.Report is { } report
                ? TypedResults.Json(report, ReportJson.Options)
                : TypedResults.Conflict(new { status = "locked", lockedBy = outcome.LockedBy?.Holder, until = outcome.LockedBy?.ExpiresAt });
        }
        catch (TargetNotFoundException e)
        {
            return TypedResults.NotFound(new { error = e.Message });
        }
    }

    /// <summary>No body at all is the whole tenant in report mode.</summary>
    private static Task<(SweepNowBody? Value, IResult? Invalid)> ReadBodyAsync(HttpRequest request, CancellationToken ct) =>
        JsonBody.ReadAsync(request, ReportJson.Options, new SweepNowBody(), ct);

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
        await queue.QueueRunAsync(journal, new QueuedSweep(tenant, runId, WireName.Of(mode), caller, sweep.AsOf), mode, now, ct);
        return TypedResults.Accepted($"/api/sweeps/{runId}?tenant={Uri.EscapeDataString(tenant)}", new { runId, tenant, status = "queued" });
    }
}

/// <summary>The body of POST /api/sweeps: a user or a device (else the whole tenant), a mode (default report), a what-if time (report only).</summary>
public sealed record SweepNowBody(string? User = null, string? Device = null, string? Mode = null, string? AsOf = null);
