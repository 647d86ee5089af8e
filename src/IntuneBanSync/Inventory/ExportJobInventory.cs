using IntuneBanSync.Sweeps;

namespace IntuneBanSync.Inventory;

/// <summary>
/// The whole tenant from Intune's discovered-apps export (deviceManagement/reports/exportJobs, report AppInvRawData): one job
/// created, polled with bounded patience, its zip downloaded and the CSV inside streamed; rows whose app a ban names are kept,
/// the tenant's devices then stream past as with app → devices. For tenants so large that listing each matched app's devices
/// costs more requests than one export. A job that fails, or is not ready within patience, leaves the inventory unread: every
/// device behind it is unverified, never clean.
/// </summary>
/// <remarks>
/// The report, its columns and its "eq" filters: learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-available-reports
/// (MicrosoftDocs/memdocs, "AppInvRawData report"). Create, poll and download, the statuses notStarted → inProgress → completed
/// and the zip holding a CSV: learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-apis; the statuses
/// (unknown, notStarted, inProgress, completed, failed) and url: graph/api/resources/intune-reporting-devicemanagementexportjob.
/// </remarks>
public sealed class ExportJobInventory(
    IIntuneGraph graph, IExportJobs jobs, BanListDocument banList, InventoryCoverage coverage, SweepTrace trace, TimeProvider time, ExportJobPatience patience)
    : IInventorySource
{
    public const string ReportName = "AppInvRawData";

    /// <summary>The columns asked for; ApplicationKey is the detected app's key, the others as the report names them.</summary>
    public static readonly IReadOnlyList<string> Columns = ["ApplicationKey", "ApplicationName", "ApplicationVersion", "DeviceId", "Platform"];

    private readonly DeviceSightings _seen = new();
    private readonly Dictionary<string, DetectedAppRecord> _apps = new(StringComparer.Ordinal);
    private readonly ManagedDeviceStream _devices = new(graph, time, trace);

    public Task CheckTargetAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task<IReadOnlyList<DeviceRecord>?> ReadAsync(IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        // The devices are listed while Intune generates the export: a bounded prefetch, held until the rows are read.
        _devices.StartEarly(ct);
        try
        {
            var job = await WaitAsync(await jobs.CreateAsync(ReportName, Columns, ct), ct);
            switch (job.Status)
            {
                case ExportJobStatus.Completed when job.Url is { } url:
                    await jobs.ReadCsvAsync(url, reader => ReadRowsAsync(reader, progress, ct), ct);
                    break;
                case ExportJobStatus.Failed:
                    coverage.DetectedAppsListFailed($"Intune's export of the discovered apps ({ReportName}, job {job.Id}) failed; no device's apps were read");
                    break;
                default:
                    coverage.DetectedAppsListFailed(
                        $"Intune's export of the discovered apps ({ReportName}, job {job.Id}) was still {WireName.Of(job.Status).Replace('-', ' ')} after {patience.Total.TotalMinutes:N0} minutes; no device's apps were read");
                    break;
            }
        }
        catch (GraphReadException e)
        {
            trace.ReadFailed(e);
            coverage.DetectedAppsListFailed(e.Message);
        }
        catch (InvalidDataException e)
        {
            coverage.DetectedAppsListFailed($"Intune's export of the discovered apps ({ReportName}) could not be read: {e.Message}");
        }

        trace.AppsMatched(_apps.Count);
        return null;
    }

    public IAsyncEnumerable<ObservedDevice> DevicesAsync(CancellationToken ct) =>
        _devices.ObservedAsync(_seen, coverage, ct);

    public ValueTask DisposeAsync() => _devices.DisposeAsync();

    /// <summary>Polls while the job is not started or in progress, every <see cref="ExportJobPatience.Poll"/> of the sweep's clock, at most <see cref="ExportJobPatience.Total"/>.</summary>
    private async Task<ExportJob> WaitAsync(ExportJob job, CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        while (job.Status is ExportJobStatus.NotStarted or ExportJobStatus.InProgress or ExportJobStatus.Unknown && waited < patience.Total)
        {
            var wait = patience.Poll < patience.Total - waited ? patience.Poll : patience.Total - waited;
            await Task.Delay(wait, time, ct);
            waited += wait;
            job = await jobs.GetAsync(job.Id, ct);
        }

        return job;
    }

    private async Task ReadRowsAsync(TextReader reader, IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        var matcher = new AppNameMatcher(banList);
        var csv = new CsvRows(reader);
        var header = await csv.ReadAsync(ct) ?? throw new InvalidDataException("the CSV is empty: it has no header row");
        var (key, name, version, device, platform) = (Column(header, "ApplicationKey"), Column(header, "ApplicationName"), Column(header, "ApplicationVersion"), Column(header, "DeviceId"), Column(header, "Platform"));
        var rows = 0;
        while (await csv.ReadAsync(ct) is { } row)
        {
            if (++rows % 100_000 == 0)
                progress?.Report(new SweepProgress(SweepPhase.ReadingDetectedApps, rows));
            if (row is [""])
                continue;
            if (row.Count != header.Count)
                throw new InvalidDataException($"row {rows} has {row.Count} fields where the header names {header.Count}");
            var bans = matcher.BansMatching(row[name]);
            if (bans.Count == 0 || row[device].Length == 0)
                continue;
            var appKey = row[key] is { Length: > 0 } k ? k : $"{row[name]}|{row[version]}|{row[platform]}";
            if (!_apps.TryGetValue(appKey, out var app))
                _apps[appKey] = app = new DetectedAppRecord(appKey, row[name], NullIfEmpty(row[version]), NullIfEmpty(row[platform]));
            _seen.Add(row[device], bans, app);
        }
    }

    private static int Column(IReadOnlyList<string> header, string column)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], column, StringComparison.OrdinalIgnoreCase))
                return i;
        }

        throw new InvalidDataException($"the CSV has no column '{column}'");
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

/// <summary>How long a sweep waits for the export, and how often it asks.</summary>
public sealed record ExportJobPatience(TimeSpan Total, TimeSpan Poll);

/// <summary>deviceManagementReportStatus.</summary>
public enum ExportJobStatus { Unknown, NotStarted, InProgress, Completed, Failed }

/// <summary>An export job as Graph answers it: its id, status and, once completed, the temporary location of the zip.</summary>
public sealed record ExportJob(string Id, ExportJobStatus Status, Uri? Url);

/// <summary>Intune's report export: create a job, read it back, read the CSV inside the zip it produced.</summary>
public interface IExportJobs
{
    Task<ExportJob> CreateAsync(string reportName, IReadOnlyList<string> columns, CancellationToken ct);

    Task<ExportJob> GetAsync(string id, CancellationToken ct);

    /// <summary>Downloads the zip at <paramref name="url"/> and gives the CSV inside to <paramref name="read"/>, streamed.</summary>
    Task ReadCsvAsync(Uri url, Func<TextReader, Task> read, CancellationToken ct);
}
