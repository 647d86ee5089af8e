using IntuneBanSync.TenantSimulator;
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

    private static GraphServiceClient Build(string baseUrl, bool retries)
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers().Where(h => retries || h is not RetryHandler);
        var http = GraphClientFactory.Create(handlers);
        return new GraphServiceClient(http, new AnonymousAuthenticationProvider(), baseUrl);
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
