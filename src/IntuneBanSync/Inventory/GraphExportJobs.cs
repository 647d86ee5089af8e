using System.IO.Compression;
using System.Net;
using System.Text;

namespace IntuneBanSync.Inventory;

/// <summary>
/// Intune's report export over Graph beta: POST deviceManagement/reports/exportJobs, GET exportJobs/{id} (the SDK's key-as-segment
/// form of the documented exportJobs('{id}')), then the zip at the job's url. That url is a temporary storage location carrying its
/// own signature, outside Graph: it is fetched without our token, over HTTPS (plain HTTP only on loopback, for the simulator).
/// The zip is spooled to a temporary file that is deleted on close, so a tenant's whole inventory is never held in memory.
/// </summary>
public sealed class GraphExportJobs(GraphJson json, HttpMessageHandler? downloadHandler = null) : IExportJobs
{
    private readonly HttpClient _download = new(downloadHandler ?? new SocketsHttpHandler(), disposeHandler: downloadHandler is null)
    {
        Timeout = TimeSpan.FromMinutes(30),
    };

    public async Task<ExportJob> CreateAsync(string reportName, IReadOnlyList<string> columns, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["reportName"] = reportName,
            ["select"] = new JsonArray([.. columns.Select(c => JsonValue.Create(c))]),
            ["format"] = "csv",
            // One column per value, without the "_loc" twins LocalizedValuesAsAdditionalColumn adds (reports-export-graph-apis, "Localization behavior").
            ["localizationType"] = "replaceLocalizableValues",
        };
        var answer = await json.ReadingPostAsync($"a new {reportName} export job", $"{json.Beta}/deviceManagement/reports/exportJobs", body, ct);
        return Parse(answer, $"the new {reportName} export job");
    }

    public async Task<ExportJob> GetAsync(string id, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var what = $"export job {id}";
        var answer = await json.GetAsync(what, $"{json.Beta}/deviceManagement/reports/exportJobs/{Uri.EscapeDataString(id)}", ct)
            ?? throw new GraphReadException(what, new HttpRequestException("Graph answered 404: the export job is gone", null, HttpStatusCode.NotFound));
        return Parse(answer, what);
    }

    public async Task ReadCsvAsync(Uri url, Func<TextReader, Task> read, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(read);
        var what = $"the exported report at {url.GetLeftPart(UriPartial.Path)}";
        if (!(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
            throw new GraphReadException(what, new HttpRequestException($"the export's url must be HTTPS, not {url.Scheme}"));

        await using var spool = new FileStream(
            Path.Combine(Path.GetTempPath(), $"ibs-export-{Guid.NewGuid():N}.zip"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using var response = await _download.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await body.CopyToAsync(spool, ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            throw new GraphReadException(what, e);
        }

        spool.Position = 0;
        using var zip = OpenZip(spool);
        var csv = zip.Entries.Where(e => e.FullName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)).ToList() switch
        {
            [var only] => only,
            var entries => throw new InvalidDataException($"the export's zip holds {entries.Count} CSV files where one was expected"),
        };
        await using var entry = await csv.OpenAsync(ct);
        using var reader = new StreamReader(entry, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        await read(reader);
    }

    private static ZipArchive OpenZip(Stream stream)
    {
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"the export is not a zip ({e.Message})", e);
        }
    }

    private static ExportJob Parse(JsonElement? answer, string what)
    {
        if (answer is not { ValueKind: JsonValueKind.Object } job || job.TryGetProperty("id", out var id) is false || id.GetString() is not { Length: > 0 } jobId)
            throw new GraphReadException(what, new InvalidDataException("Graph answered no export job id"));
        var status = job.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? StatusOf(s.GetString()) : ExportJobStatus.Unknown;
        var url = job.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String && Uri.TryCreate(u.GetString(), UriKind.Absolute, out var parsed) ? parsed : null;
        return new ExportJob(jobId, status, url);
    }

    private static ExportJobStatus StatusOf(string? status) => status?.Trim().ToLowerInvariant() switch
    {
        "notstarted" => ExportJobStatus.NotStarted,
        "inprogress" => ExportJobStatus.InProgress,
        "completed" => ExportJobStatus.Completed,
        "failed" => ExportJobStatus.Failed,
        _ => ExportJobStatus.Unknown,
    };
}
