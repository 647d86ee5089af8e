namespace IntuneBanSync.IntegrationTests.Journal;

public sealed class TableServiceFactoryTests
{
    // Azurite's well-known development account key: the requests go to a silent loopback port, never to Azure.
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public async Task A_storage_account_that_never_answers_fails_the_call_after_its_tries_instead_of_holding_the_sweep()
    {
        await using var storage = SilentHost.Start();
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};TableEndpoint={storage.BaseUrl}/devstoreaccount1;";
        var tables = TableServiceFactory.Create(connection, new TableTimeouts(TimeSpan.FromSeconds(2), MaxRetries: 1));

        var error = await Record.ExceptionAsync(() => tables.GetTableClient("runs").CreateIfNotExistsAsync().WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.IsType<AggregateException>(error);
        Assert.All(((AggregateException)error).InnerExceptions, e => Assert.IsType<TaskCanceledException>(e));
        Assert.Equal(2, storage.Requests);
    }

    [Fact]
    public void The_default_tries_give_up_on_one_call_within_about_two_minutes()
    {
        var retry = TableServiceFactory.Options(TableTimeouts.Default).Retry;

        var worstCase = (retry.MaxRetries + 1) * retry.NetworkTimeout + retry.MaxRetries * retry.MaxDelay;

        Assert.Equal(RetryMode.Exponential, retry.Mode);
        Assert.Equal(TimeSpan.FromSeconds(30), retry.NetworkTimeout);
        Assert.Equal(3, retry.MaxRetries);
        Assert.True(worstCase <= TimeSpan.FromMinutes(2.5), $"worst case {worstCase}");
    }
}
