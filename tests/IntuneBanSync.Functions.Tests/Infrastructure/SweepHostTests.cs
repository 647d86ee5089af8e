namespace IntuneBanSync.Functions.Tests.Infrastructure;

/// <summary>
/// A test class each of whose tests runs on a <see cref="Host"/> of its own, started before it with the class's settings and
/// services and stopped after it. A test that needs other settings starts one more with <see cref="SimulatedTenantTests.StartHostAsync"/>.
/// </summary>
public abstract class SweepHostTests(AzuriteFixture azurite, TenantFixture fixture) : SimulatedTenantTests(azurite, fixture), IAsyncLifetime
{
    private SweepHost? _host;

    private protected SweepHost Host => _host ?? throw new InvalidOperationException("The host is started before each test.");

    public async Task InitializeAsync() => _host = await StartHostAsync(ConfigureHost, ConfigureHostServices);

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    /// <summary>The settings of every test's host in the class, e.g. two tenants; the sample deployment's unless overridden.</summary>
    protected virtual void ConfigureHost(Dictionary<string, string?> settings)
    {
    }

    /// <summary>The services every test's host in the class replaces, e.g. the storage clients' options.</summary>
    protected virtual void ConfigureHostServices(IServiceCollection services)
    {
    }
}
