namespace IntuneBanSync.IntegrationTests.Graph;

/// <summary>The simulated tenant's device pages, their @odata.nextLink pointed at another loopback port.</summary>
public sealed class GraphHostTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    [Fact]
    public async Task A_next_link_to_another_port_is_a_failed_read_and_that_port_gets_no_request()
    {
        await using var tenant = await SimulatorGraph.StartAsync(devices: 40);
        await using var elsewhere = SilentHost.Start();
        var options = new GraphOptions { BaseUrl = tenant.GraphUrl, MaxRetry = 0, RequestTimeoutSeconds = 5, DevicePageSize = 10 };
        var intune = new GraphIntune(GraphClientBuilder.Create(options, finalHandler: new NextLinkTo(elsewhere.BaseUrl)), options);
        var read = 0;

        var error = await Assert.ThrowsAsync<GraphReadException>(async () =>
        {
            await foreach (var _ in intune.ManagedDevicesAsync(CancellationToken.None))
                read++;
        });

        Assert.IsType<GraphHostRefusedException>(error.InnerException);
        Assert.Equal(10, read);
        Assert.Equal(0, elsewhere.Requests);
    }

    [Fact]
    public async Task A_sweep_whose_device_pages_link_to_another_host_is_incomplete_never_clean()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await using var elsewhere = SilentHost.Start();
        var healthy = await harness.SweepAsync(harness.TikTokBan());
        var options = harness.GraphOptions with { MaxRetry = 0, RequestTimeoutSeconds = 5, DevicePageSize = 10 };

        var report = await harness.Engine(options, new NextLinkTo(elsewhere.BaseUrl))
            .RunAsync(new SweepRequest(harness.TikTokBan(), "contoso", "test", SweepTarget.WholeTenant), null, CancellationToken.None);

        Assert.Equal(SweepStatus.Completed, healthy.Status);
        Assert.Equal(SweepStatus.Incomplete, report.Status);
        Assert.Contains(report.Problems, p => p.Contains("managed devices", StringComparison.Ordinal));
        Assert.True(report.CleanDevices < healthy.CleanDevices, "devices never read must not be reported clean");
        Assert.Equal(0, elsewhere.Requests);
    }

    /// <summary>Passes requests to the simulator and rewrites the nextLink of managedDevices pages to point at <paramref name="elsewhere"/>.</summary>
    private sealed class NextLinkTo(string elsewhere) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!request.RequestUri!.AbsolutePath.EndsWith("/deviceManagement/managedDevices", StringComparison.Ordinal))
                return response;
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            if (page["@odata.nextLink"]?.GetValue<string>() is { } link)
                page["@odata.nextLink"] = elsewhere + new Uri(link).PathAndQuery;
            response.Content = new StringContent(page.ToJsonString(), Encoding.UTF8, "application/json");
            return response;
        }
    }
}
