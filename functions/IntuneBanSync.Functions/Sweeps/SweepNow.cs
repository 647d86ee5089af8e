using System.Text.Json;
using IntuneBanSync.BanList;
using IntuneBanSync.Reports;
using IntuneBanSync.Sweeps;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace IntuneBanSync.Functions.Sweeps;

/// <summary>POST /api/sweeps: a report sweep of the tenant, one user (id or UPN) or one managed device, answered with its summary.</summary>
public sealed class SweepNow(SweepRunner runner)
{
    [Function(nameof(SweepNow))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "sweeps")] HttpRequest request, CancellationToken ct)
    {
        SweepNowBody body;
        try
        {
            // Every field is optional, so an empty body (with or without a Content-Type) sweeps the whole tenant.
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(ct);
            body = string.IsNullOrWhiteSpace(text)
                ? new SweepNowBody()
                : JsonSerializer.Deserialize<SweepNowBody>(text, ReportJson.Options) ?? new SweepNowBody();
        }
        catch (JsonException e)
        {
            return Invalid("body", $"not valid JSON: {e.Message}");
        }

        SweepTarget target;
        EnforcementMode mode;
        try
        {
            mode = SweepInput.Mode(body.Mode) ?? EnforcementMode.Report;
            // Until the API knows who calls it (roles), writes to the tenant come only from the schedule and the CLI.
            if (mode == EnforcementMode.Enforce)
                throw new SweepInputException("mode", "enforce runs on the schedule or from the CLI; this endpoint sweeps in report mode.");
            target = SweepInput.Target(body.User, body.Device);
        }
        catch (SweepInputException e)
        {
            return Invalid(e.Field, e.Message);
        }

        try
        {
            var report = await runner.RunAsync("http", target, mode, ct);
            return TypedResults.Json(report, ReportJson.Options);
        }
        catch (TargetNotFoundException e)
        {
            return TypedResults.NotFound(new { error = e.Message });
        }
    }

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}

public sealed record SweepNowBody(string? User = null, string? Device = null, string? Mode = null);
