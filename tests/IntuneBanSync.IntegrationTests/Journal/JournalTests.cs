namespace IntuneBanSync.IntegrationTests.Journal;

/// <summary>Tests of the journal store, each over a journal in tables of its own.</summary>
public abstract class JournalTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    protected const string Tenant = "contoso.onmicrosoft.com";
    protected static readonly DateTimeOffset Start = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);

    protected async Task<JournalStore> NewStoreAsync()
    {
        var store = new JournalStore(Azurite.CreateTableService(), Azurite.NewTablePrefix());
        await store.EnsureCreatedAsync(CancellationToken.None);
        return store;
    }

    /// <summary>A new journal whose requests are counted from here on (the ones that created its tables are not).</summary>
    protected async Task<(JournalStore Store, RequestCounter Requests)> NewCountedStoreAsync()
    {
        var requests = new RequestCounter();
        var options = new TableClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var store = new JournalStore(Azurite.CreateTableService(options), Azurite.NewTablePrefix());
        await store.EnsureCreatedAsync(CancellationToken.None);
        Assert.True(requests.Count > 0, "The counter sees the requests that create the tables.");
        requests.Reset();
        return (store, requests);
    }
}
