using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace IntuneBanSync.TenantSimulator;

/// <summary>What a test may make of the tenant's report exports.</summary>
public sealed class ExportJobControls
{
    /// <summary>Jobs created from now on end "failed" instead of "completed".</summary>
    public bool Fail { get; set; }

    /// <summary>Downloads the export of a job served; a test reads it to see the zip as a client would.</summary>
    public int Downloads => _downloads;

    internal int _downloads;
}

/// <summary>
/// deviceManagement/reports/exportJobs for the discovered-apps raw data (AppInvRawData): a POST creates a job that stays
/// notStarted, then inProgress, for <see cref="SimulatorOptions.ExportJobGeneration"/> of the tenant's clock, then is completed
/// with a url to a zip holding one CSV (or failed). The url is a storage location outside Graph, signed in its query string,
/// as Intune's are; it refuses a request that carries a bearer token.
/// Sources: reports-export-graph-apis (create, poll, download the zipped CSV); reports-export-graph-available-reports (AppInvRawData
/// columns); intune-reporting-devicemanagementexportjob(-create) (statuses, permissions). Platform is written as detectedApps writes
/// it (detectedAppPlatformType), which the documentation does not pin down for the report.
/// </summary>
internal sealed class ExportJobRoutes(TenantState state, SimulatorOptions options, ExportJobControls controls, DetectedAppIndex index, Func<Uri> baseUrl)
{
    public const string DownloadPath = "_sim/exports";

    public static readonly IReadOnlyList<string> AppInvRawDataColumns =
    [
        "ApplicationKey", "ApplicationName", "ApplicationPublisher", "ApplicationShortVersion", "ApplicationVersion", "DeviceId", "DeviceName",
        "EmailAddress", "OSDescription", "OSVersion", "Platform", "UserId", "UserName",
    ];

    private static readonly Needs Create = Needs.Any(
        "DeviceManagementConfiguration.ReadWrite.All", "DeviceManagementApps.ReadWrite.All", "DeviceManagementManagedDevices.ReadWrite.All");

    private static readonly Needs Read = Needs.Any(
        "DeviceManagementConfiguration.Read.All", "DeviceManagementApps.Read.All", "DeviceManagementManagedDevices.Read.All");

    private readonly ConcurrentDictionary<string, Job> jobs = new(StringComparer.Ordinal);

    private DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    public void Register(GraphRouter router)
    {
        router.ReadingPost("deviceManagement/reports/exportJobs", ThrottleCategory.Devices, Create, CreateJob);
        router.Get("deviceManagement/reports/exportJobs/{id}", ThrottleCategory.Devices, Read, GetJob);
    }

    private GraphResponse CreateJob(GraphRequest request, RouteArgs args)
    {
        if (request.Body?["reportName"]?.GetValue<string>() is not "AppInvRawData")
            return GraphJson.BadRequest("The simulator exports only the AppInvRawData report.", Now);
        if (request.Body["format"] is { } format && !string.Equals(format.GetValue<string>(), "csv", StringComparison.OrdinalIgnoreCase))
            return GraphJson.BadRequest("The simulator exports only csv.", Now);
        var select = request.Body["select"] is JsonArray asked ? asked.Select(c => c?.GetValue<string>() ?? "").ToList() : [.. AppInvRawDataColumns];
        if (select.FirstOrDefault(c => !AppInvRawDataColumns.Contains(c, StringComparer.OrdinalIgnoreCase)) is { } unknown)
            return GraphJson.BadRequest($"'{unknown}' is not a column of AppInvRawData.", Now);

        var job = new Job($"AppInvRawData_{Guid.NewGuid()}", [.. select.Select(c => AppInvRawDataColumns.First(k => k.Equals(c, StringComparison.OrdinalIgnoreCase)))],
            Now, controls.Fail, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        jobs[job.Id] = job;
        return GraphResponse.Created(GraphJson.Entity(request, "deviceManagement/reports/exportJobs", Shape(job)));
    }

    private GraphResponse GetJob(GraphRequest request, RouteArgs args) =>
        jobs.TryGetValue(args["id"], out var job)
            ? GraphResponse.Ok(GraphJson.Entity(request, "deviceManagement/reports/exportJobs", Shape(job)))
            : GraphJson.NotFound($"Export job '{args["id"]}' not found.", Now);

    /// <summary>The zip of a completed job; 403 for a bearer token or a wrong signature, as a storage account answers.</summary>
    public async Task DownloadAsync(Microsoft.AspNetCore.Http.HttpContext context, string file)
    {
        var id = file.EndsWith(".zip", StringComparison.Ordinal) ? file[..^4] : file;
        if (context.Request.Headers.Authorization.Count > 0)
        {
            context.Response.StatusCode = 403;
            return;
        }

        if (!jobs.TryGetValue(id, out var job) || StatusOf(job) != "completed" || context.Request.Query["sig"] != job.Signature)
        {
            context.Response.StatusCode = jobs.ContainsKey(id) ? 403 : 404;
            return;
        }

        Interlocked.Increment(ref controls._downloads);
        var zip = Zip(job);
        context.Response.ContentType = "application/zip";
        context.Response.ContentLength = zip.Length;
        await context.Response.Body.WriteAsync(zip, context.RequestAborted);
    }

    private byte[] Zip(Job job)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(archive.CreateEntry($"{job.Id}.csv").Open(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            writer.Write(string.Join(',', job.Columns.Select(Quote)) + "\r\n");
            lock (state.Gate)
            {
                foreach (var app in index.All())
                {
                    foreach (var device in app.DeviceIds.Select(id => state.FindManagedDevice(id)!))
                        writer.Write(string.Join(',', job.Columns.Select(c => Quote(Value(c, app, device)))) + "\r\n");
                }
            }
        }

        return buffer.ToArray();
    }

    private static string Value(string column, DetectedApp app, ManagedDevice device) => column switch
    {
        "ApplicationKey" => app.Id,
        "ApplicationName" => app.DisplayName,
        "ApplicationPublisher" => app.Publisher,
        "ApplicationShortVersion" or "ApplicationVersion" => app.Version,
        "DeviceId" => device.Id,
        "DeviceName" => device.DeviceName,
        "EmailAddress" or "UserName" => device.UserPrincipalName ?? "",
        "OSDescription" => device.OperatingSystem,
        "OSVersion" => device.OsVersion,
        "Platform" => app.Platform,
        "UserId" => device.UserId ?? "",
        _ => "",
    };

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value != value.Trim() ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    private string StatusOf(Job job)
    {
        var generation = options.Scaled(options.ExportJobGeneration);
        var elapsed = Now - job.RequestedAt;
        return elapsed < generation / 4 ? "notStarted" : elapsed < generation ? "inProgress" : job.Fails ? "failed" : "completed";
    }

    private JsonObject Shape(Job job)
    {
        var status = StatusOf(job);
        return new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceManagementExportJob",
            ["id"] = job.Id,
            ["reportName"] = "AppInvRawData",
            ["filter"] = "",
            ["select"] = new JsonArray([.. job.Columns.Select(c => JsonValue.Create(c))]),
            ["format"] = "csv",
            ["snapshotId"] = null,
            ["localizationType"] = "replaceLocalizableValues",
            ["status"] = status,
            ["url"] = status == "completed" ? $"{baseUrl()}{DownloadPath}/{job.Id}.zip?sig={job.Signature}" : null,
            ["requestDateTime"] = GraphJson.Date(job.RequestedAt),
            ["expirationDateTime"] = GraphJson.Date(status == "completed" ? job.RequestedAt.AddHours(6) : DateTimeOffset.MinValue),
        };
    }

    private sealed record Job(string Id, IReadOnlyList<string> Columns, DateTimeOffset RequestedAt, bool Fails, string Signature);
}
