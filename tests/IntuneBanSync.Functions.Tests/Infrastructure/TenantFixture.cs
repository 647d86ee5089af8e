namespace IntuneBanSync.Functions.Tests.Infrastructure;

/// <summary>One simulated tenant (TenantSeed.Small) per test class; sweeps in report mode leave it unchanged.</summary>
public sealed class TenantFixture : IAsyncLifetime
{
    private SimulatedTenant? _tenant;

    public static TenantSeed Seed => TenantSeed.Small;

    public SimulatedTenant Tenant => _tenant ?? throw new InvalidOperationException("The simulated tenant has not been started yet.");

    public async Task InitializeAsync() => _tenant = await SimulatedTenant.StartAsync(Seed);

    public async Task DisposeAsync()
    {
        if (_tenant is not null)
            await _tenant.DisposeAsync();
    }
}
