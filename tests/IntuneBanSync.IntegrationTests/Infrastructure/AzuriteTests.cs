namespace IntuneBanSync.IntegrationTests.Infrastructure;

/// <summary>A test class of the Azurite collection: the one Azurite of the run, each test in tables of its own.</summary>
[Collection("Azurite")]
public abstract class AzuriteTests(AzuriteFixture azurite)
{
    protected AzuriteFixture Azurite { get; } = azurite;
}
