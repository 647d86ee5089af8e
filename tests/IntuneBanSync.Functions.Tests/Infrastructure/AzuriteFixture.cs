using System.Security.Cryptography;
using IntuneBanSync.TenantSimulator.Azurite;

namespace IntuneBanSync.Functions.Tests.Infrastructure;

/// <summary>One Azurite for the whole test run; each host isolates itself in tables named with <see cref="NewTablePrefix"/>.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? _server;

    public string ConnectionString => (_server ?? throw new InvalidOperationException("Azurite has not been started yet.")).ConnectionString;

    /// <summary>A table prefix no other test uses, e.g. "f3f9a0c1b2d4e".</summary>
    public static string NewTablePrefix() => "f" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public async Task InitializeAsync() => _server = await AzuriteServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
