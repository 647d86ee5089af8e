using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace IntuneBanSync.IntegrationTests.Simulator;

/// <summary>Graph clients built the way the product builds them, pointed at a simulated tenant.</summary>
internal static class SimulatorGraph
{
    public static GraphServiceClient Client(SimulatedTenant tenant, bool retries = true) => Build(tenant.GraphUrl, retries);

    public static GraphServiceClient BetaClient(SimulatedTenant tenant) => Build(tenant.BetaUrl, retries: true);

    public static string DirectoryObjectUrl(string id) => $"https://graph.microsoft.com/v1.0/directoryObjects/{id}";

    public static Task<SimulatedTenant> StartAsync(int devices = 120, SimulatorOptions? options = null) =>
        SimulatedTenant.StartAsync(TenantSeed.Sized(devices), options ?? new SimulatorOptions { TimeFactor = 0.01 });

    /// <summary>A development token holding every permission of the manifest, as the product's clients present to the simulator.</summary>
    public static LoopbackCredential AllPermissions { get; } = new(IntuneBanSync.Enforcement.Mechanisms.Permissions.Select(p => p.Permission.Name));

    /// <summary>A development token holding every permission of the manifest but one.</summary>
    public static LoopbackCredential AllPermissionsBut(GraphPermission missing) =>
        new(IntuneBanSync.Enforcement.Mechanisms.Permissions.Select(p => p.Permission.Name).Where(p => p != missing.Name));

    /// <summary>An HttpClient for raw requests, carrying a token with every permission of the manifest.</summary>
    public static HttpClient Http(LoopbackCredential? credential = null)
    {
        var http = new HttpClient();
        var token = (credential ?? AllPermissions).GetToken(new Azure.Core.TokenRequestContext(["https://127.0.0.1/.default"]), default).Token;
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static GraphServiceClient Build(string baseUrl, bool retries)
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers().Where(h => retries || h is not RetryHandler);
        var http = GraphClientFactory.Create(handlers);
        var auth = new Microsoft.Kiota.Authentication.Azure.AzureIdentityAuthenticationProvider(AllPermissions, allowedHosts: [new Uri(baseUrl).Host]);
        return new GraphServiceClient(http, auth, baseUrl);
    }
}

/// <summary>One tenant shared by tests that only read.</summary>
public sealed class ReadOnlyTenantFixture : IAsyncLifetime
{
    public SimulatedTenant Tenant { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Tenant = await SimulatorGraph.StartAsync(devices: 150, new SimulatorOptions { TimeFactor = 0.01, DetectedAppsPageSize = 10, ManagedDevicesPageSize = 25 });

    public async Task DisposeAsync() => await Tenant.DisposeAsync();
}
