using System.Security.Cryptography;
using IntuneBanSync.TenantSimulator.Azurite;

namespace IntuneBanSync.IntegrationTests.Infrastructure;

/// <summary>One Azurite for the whole test run; each test isolates itself in tables named with <see cref="NewTablePrefix"/>.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? _server;

    public AzuriteServer Server => _server ?? throw new InvalidOperationException("Azurite has not been started yet.");

    public string ConnectionString => Server.ConnectionString;

    public TableServiceClient CreateTableService(TableClientOptions? options = null) =>
        options is null ? new TableServiceClient(ConnectionString) : new TableServiceClient(ConnectionString, options);

    /// <summary>A table prefix no other test uses, e.g. "t3f9a0c1b2d4e".</summary>
    public string NewTablePrefix() => "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public async Task InitializeAsync() => _server = await AzuriteServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition("Azurite")]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
