using Microsoft.Graph;

namespace IntuneBanSync.IntegrationTests.Simulator;

/// <summary>
/// A test of the simulated tenant itself: it starts a tenant of its own, talks to it with raw HTTP or the Graph SDK as the
/// product's clients would, and the tenant stops when the test ends.
/// </summary>
public abstract class SimulatorTests : IAsyncLifetime
{
    private readonly List<SimulatedTenant> _tenants = [];
    private GraphServiceClient? _client;

    /// <summary>Raw HTTP with a token holding every permission of the manifest.</summary>
    protected HttpClient Http { get; } = SimulatorGraph.Http();

    /// <summary>The Graph SDK, retries included, over the first tenant the test started.</summary>
    protected GraphServiceClient Client =>
        _client ??= SimulatorGraph.Client(_tenants.FirstOrDefault() ?? throw new InvalidOperationException("The test has started no tenant."));

    protected async Task<SimulatedTenant> StartAsync(int devices = 120, SimulatorOptions? options = null)
    {
        var tenant = await SimulatorGraph.StartAsync(devices, options);
        _tenants.Add(tenant);
        return tenant;
    }

    /// <summary>A tenant that answers every request with a 429.</summary>
    protected async Task<SimulatedTenant> StartThrottledAsync()
    {
        var tenant = await StartAsync();
        tenant.Faults.ThrottleRate = 1;
        return tenant;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        Http.Dispose();
        foreach (var tenant in _tenants)
            await tenant.DisposeAsync();
    }
}
