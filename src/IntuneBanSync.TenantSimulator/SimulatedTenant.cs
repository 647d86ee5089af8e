using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntuneBanSync.TenantSimulator;

/// <summary>A seeded Intune tenant that speaks the Graph REST subset IntuneBanSync uses, on a loopback port.</summary>
public sealed class SimulatedTenant : IAsyncDisposable
{
    private static readonly JsonSerializerOptions StatsJson = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions GraphJsonWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication app;
    private readonly GraphPipeline pipeline;
    private readonly BatchRoute batch;
    private readonly DeviceCheckIn checkIn;
    private readonly SimulatorOptions options;
    private readonly ExportJobRoutes exportJobs;

    private SimulatedTenant(WebApplication app, TenantState state, SimulatorOptions options)
    {
        this.app = app;
        this.options = options;
        State = state;
        Requests = new RequestLog();
        Faults = new FaultOptions(options.FaultSeed);
        var router = new GraphRouter();
        // One aggregate of the inventory, rebuilt once per change, for the detectedApps routes and the export jobs alike.
        var detectedApps = new DetectedAppIndex(state);
        new DeviceRoutes(state, options, detectedApps).Register(router);
        new MobileAppRoutes(state, options, NewId).Register(router);
        new ManagedGooglePlayRoutes(state, options, NewId).Register(router);
        new DirectoryRoutes(state, options, NewId).Register(router);
        var policies = new PolicyRoutes(state.Policies, options, NewId);
        policies.Register(router, AssignmentFilterRoutes.Collection);
        policies.Register(router, ComplianceRoutes.Policies);
        policies.Register(router, ComplianceRoutes.Templates);
        new ComplianceRoutes(state, options, NewId).Register(router);
        policies.Register(router, ConfigurationPolicyRoutes.Collection);
        policies.Register(router, DeviceConfigurationRoutes.Collection);
        Remediations = new RemediationRuns(state);
        new RemediationRoutes(state, options, Remediations, NewId).Register(router, policies);
        new NotificationRoutes(state, options, Notifications).Register(router);
        exportJobs = new ExportJobRoutes(state, options, ExportJobs, detectedApps, () => BaseUrl);
        exportJobs.Register(router);
        ICheckInEffect[] effects = [new ComplianceCheckIn(state), new LaunchBlockCheckIn(state), new PersonalProfileCheckIn(state), Remediations];
        pipeline = new GraphPipeline(router, new ThrottleGate(options), Faults, Requests, options);
        batch = new BatchRoute(pipeline, Requests, options);
        checkIn = new DeviceCheckIn(state, options.TimeProvider, effects);
    }

    public Uri BaseUrl { get; private set; } = null!;

    public string GraphUrl => $"{BaseUrl}v1.0";

    public string BetaUrl => $"{BaseUrl}beta";

    /// <summary>The ground truth; tests compute expected results from it.</summary>
    public TenantState State { get; }

    public RequestLog Requests { get; }

    public FaultOptions Faults { get; }

    /// <summary>The Company Portal notifications the tenant delivered (device, title, body, time).</summary>
    public NotificationOutbox Notifications { get; } = new();

    /// <summary>The remediations' runs on devices (deviceRunStates), and a way to make one fail.</summary>
    public RemediationRuns Remediations { get; }

    /// <summary>The report exports' controls (make jobs fail) and how many were downloaded.</summary>
    public ExportJobControls ExportJobs { get; } = new();

    /// <summary>Starts Kestrel on a free loopback port and returns once it listens.</summary>
    public static async Task<SimulatedTenant> StartAsync(TenantSeed seed, SimulatorOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(seed);
        options ??= new SimulatorOptions();
        if (options.TimeFactor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "TimeFactor must be positive.");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatedTenant).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Clear();
        app.Urls.Add("http://127.0.0.1:0");
        var tenant = new SimulatedTenant(app, new TenantGenerator(seed).Generate(), options);
        tenant.MapEndpoints();
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        tenant.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return tenant;
    }

    /// <summary>The device checks in: managed apps under an "uninstall" assignment to it or its user disappear.</summary>
    public CheckInResult CheckIn(string managedDeviceId) => checkIn.CheckIn(managedDeviceId);

    public CheckInResult CheckInAll() => checkIn.CheckInAll();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static string NewId() => Guid.NewGuid().ToString();

    private void MapEndpoints()
    {
        app.MapGet("/_sim/stats", () => Results.Json(Requests.Snapshot(), StatsJson));
        app.MapPost("/_sim/stats/reset", () =>
        {
            Requests.Reset();
            return Results.NoContent();
        });
        app.MapPost("/_sim/checkin", () =>
        {
            var result = CheckInAll();
            return Results.Json(new { devices = State.ManagedDevices.Count, removedApps = result.RemovedApps.Count }, StatsJson);
        });
        app.MapGet($"/{ExportJobRoutes.DownloadPath}/{{file}}", (HttpContext context, string file) => exportJobs.DownloadAsync(context, file));
        app.Map("/{version}/{**path}", ServeGraphAsync);
        app.MapFallback(context => WriteAsync(context, GraphJson.NotFound("Unknown route.", options.TimeProvider.GetUtcNow())));
    }

    private async Task ServeGraphAsync(HttpContext context)
    {
        var now = options.TimeProvider.GetUtcNow();
        var version = context.Request.RouteValues["version"] as string;
        var path = (context.Request.RouteValues["path"] as string ?? "").Trim('/');
        if (version is not ("v1.0" or "beta"))
        {
            await WriteAsync(context, GraphJson.NotFound($"Unknown API version '{version}'.", now));
            return;
        }

        JsonNode? body;
        try
        {
            body = await ReadBodyAsync(context.Request);
        }
        catch (JsonException)
        {
            await WriteAsync(context, GraphJson.BadRequest("The request body is not valid JSON.", now));
            return;
        }

        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new GraphRequest(context.Request.Method.ToUpperInvariant(), version, path, query, body, BaseUrl.ToString(), headers);
        var response = request is { Method: "POST", Path: "$batch" } ? batch.Handle(request) : pipeline.Handle(request);
        await DelayAsync(response, context.RequestAborted);
        await WriteAsync(context, response);
    }

    /// <summary>The latency model: a round trip per response, plus a share per item it returns (a batch counts its inner items).</summary>
    private async Task DelayAsync(GraphResponse response, CancellationToken ct)
    {
        var items = response.Body?["value"] is JsonArray values ? values.Count
            : response.Body?["responses"] is JsonArray inner ? inner.Sum(r => r?["body"]?["value"] is JsonArray v ? v.Count : 1)
            : 1;
        Requests.Returned(items);
        if (options.Latency <= TimeSpan.Zero && options.LatencyPerItem <= TimeSpan.Zero)
            return;
        await Task.Delay(options.Latency + (options.LatencyPerItem * items), TimeProvider.System, ct);
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    private static async Task WriteAsync(HttpContext context, GraphResponse response)
    {
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            // Written as UTF-8 straight into the response, not through a string of the whole page first.
            await using var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = GraphJsonWriter.Encoder });
            response.Body.WriteTo(writer, GraphJsonWriter);
            await writer.FlushAsync(context.RequestAborted);
        }
    }
}
