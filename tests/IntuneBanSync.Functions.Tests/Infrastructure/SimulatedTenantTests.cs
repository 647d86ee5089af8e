namespace IntuneBanSync.Functions.Tests.Infrastructure;

/// <summary>
/// A test class over the run's one Azurite (so these classes share its collection and run one after another) and the class's own
/// simulated tenant, whose tests start the hosts they need.
/// </summary>
[Collection(AzuriteCollection.Name)]
public abstract class SimulatedTenantTests(AzuriteFixture azurite, TenantFixture fixture) : IClassFixture<TenantFixture>
{
    protected AzuriteFixture Azurite => azurite;

    protected SimulatedTenant Tenant => fixture.Tenant;

    /// <inheritdoc cref="SweepHost.StartAsync"/>
    private protected Task<SweepHost> StartHostAsync(Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null) =>
        SweepHost.StartAsync(Tenant, azurite, TenantFixture.Seed, configure, services);
}
