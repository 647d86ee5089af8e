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

        if (body.User is not null && body.Device is not null)
            return Invalid("device", "give user or device, not both");
        if (body.User is { } user && string.IsNullOrWhiteSpace(user))
            return Invalid("user", "must be an Entra object id or a user principal name");
        if (body.Device is { } device && !Guid.TryParse(device, out _))
            return Invalid("device", $"'{device}' is not a managed device id (a GUID)");
        if (body.Mode is not null && !string.Equals(body.Mode, "report", StringComparison.OrdinalIgnoreCase))
            return Invalid("mode", body.Mode.Equals("enforce", StringComparison.OrdinalIgnoreCase)
                ? "enforce is not available yet in this version"
                : $"'{body.Mode}' is not a mode; use report");

        try
        {
            var report = await runner.RunAsync("http", new SweepTarget(body.User?.Trim(), body.Device?.Trim()), EnforcementMode.Report, ct);
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
