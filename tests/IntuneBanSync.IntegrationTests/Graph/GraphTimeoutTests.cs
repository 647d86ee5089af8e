namespace IntuneBanSync.IntegrationTests.Graph;

/// <summary>
/// The real SDK against a loopback host that accepts and never answers. The overall timeout is set to its maximum, so
/// only the per-attempt timeout can end these calls; the bound on each test only proves it does not hang.
/// </summary>
public sealed class GraphTimeoutTests
{
    private static readonly TimeSpan DoesNotHang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_read_from_a_host_that_never_answers_fails_after_its_attempts_instead_of_hanging()
    {
        await using var host = SilentHost.Start();
        var intune = Intune(host, maxRetry: 1);

        var error = await Assert.ThrowsAsync<GraphReadException>(() => ReadAllAsync(intune).WaitAsync(DoesNotHang));

        Assert.Equal(2, host.Requests);
        Assert.Contains("2 attempts", error.Message);
    }

    [Fact]
    public async Task A_response_whose_body_never_arrives_fails_within_the_attempt()
    {
        await using var host = SilentHost.Start(sendHeadersOnly: true);
        var intune = Intune(host, maxRetry: 0);

        await Assert.ThrowsAsync<GraphReadException>(() => ReadAllAsync(intune).WaitAsync(DoesNotHang));

        Assert.Equal(1, host.Requests);
    }

    [Fact]
    public async Task A_write_to_a_host_that_never_answers_fails_once_and_is_not_repeated()
    {
        await using var host = SilentHost.Start();
        var client = GraphClientBuilder.Create(Options(host, maxRetry: 3));

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.DeviceManagement.ManagedDevices["d1"].SyncDevice.PostAsync().WaitAsync(DoesNotHang));

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.True(GraphCalls.IsFailure(error, CancellationToken.None));
        Assert.Equal(1, host.Requests);
    }

    [Fact]
    public async Task Cancelling_the_caller_is_a_cancellation_not_a_failed_read()
    {
        await using var host = SilentHost.Start();
        var intune = Intune(host, maxRetry: 3);
        using var caller = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var error = await Record.ExceptionAsync(() => ReadAllAsync(intune, caller.Token).WaitAsync(DoesNotHang));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Equal(1, host.Requests);
    }

    private static GraphOptions Options(SilentHost host, int maxRetry) => new()
    {
        BaseUrl = $"{host.BaseUrl}/v1.0",
        MaxRetry = maxRetry,
        RetryDelaySeconds = 0,
        RequestTimeoutSeconds = 5,
        TimeoutSeconds = 3600,
    };

    private static GraphIntune Intune(SilentHost host, int maxRetry)
    {
        var options = Options(host, maxRetry);
        return new GraphIntune(GraphClientBuilder.Create(options), options);
    }

    private static async Task ReadAllAsync(GraphIntune intune, CancellationToken ct = default)
    {
        await foreach (var _ in intune.ManagedDevicesAsync(ct))
        {
        }
    }
}
