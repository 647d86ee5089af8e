using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text;
using Azure.Core;

namespace IntuneBanSync.Tests.Graph;

/// <summary>The product's Graph client over a fake final handler: nothing leaves the process.</summary>
public sealed class GraphClientBuilderTests
{
    private const string Device = """{"id":"d1","deviceName":"PHONE-1","operatingSystem":"iOS","managedDeviceOwnerType":"company"}""";

    public static TheoryData<string, string> ForeignNextLinks => new()
    {
        { "https://graph.microsoft.us/v1.0", "http://evil.example/v1.0/deviceManagement/managedDevices?$skiptoken=1" },
        { "https://graph.microsoft.us/v1.0", "https://graph.microsoft.com/v1.0/deviceManagement/managedDevices?$skiptoken=1" },
        { "https://graph.microsoft.us/v1.0", "http://graph.microsoft.us/v1.0/deviceManagement/managedDevices?$skiptoken=1" },
        { "http://127.0.0.1:5080/v1.0", "http://127.0.0.1:5081/v1.0/deviceManagement/managedDevices?$skiptoken=1" },
        { "http://127.0.0.1:5080/v1.0", "http://evil.example/v1.0/deviceManagement/managedDevices?$skiptoken=1" },
    };

    [Theory]
    [MemberData(nameof(ForeignNextLinks))]
    public async Task A_next_link_to_another_host_is_a_failed_read_and_no_request_reaches_that_host(string baseUrl, string nextLink)
    {
        var graphHost = new Uri(baseUrl).GetLeftPart(UriPartial.Authority);
        var graph = new FakeGraph(request => Page(request.RequestUri!.GetLeftPart(UriPartial.Authority) == graphHost ? nextLink : null));
        var intune = Intune(new GraphOptions { BaseUrl = baseUrl }, new FakeCredential(), graph);

        var error = await Assert.ThrowsAsync<GraphReadException>(() => ReadAllAsync(intune));

        Assert.IsType<GraphHostRefusedException>(error.InnerException);
        Assert.Equal(graphHost, Assert.Single(graph.Requests).Url.GetLeftPart(UriPartial.Authority));
    }

    [Fact]
    public async Task The_token_is_asked_for_and_sent_to_the_graph_host_only()
    {
        var credential = new FakeCredential();
        var graph = new FakeGraph(request => Page(request.RequestUri!.Host == "graph.microsoft.us" ? "https://evil.example/v1.0/deviceManagement/managedDevices?$skiptoken=1" : null));
        var intune = Intune(new GraphOptions { BaseUrl = "https://graph.microsoft.us/v1.0" }, credential, graph);

        await Assert.ThrowsAsync<GraphReadException>(() => ReadAllAsync(intune));

        var sent = Assert.Single(graph.Requests);
        Assert.Equal("Bearer token-for-graph", sent.Authorization);
        Assert.Equal(["https://graph.microsoft.us/.default"], Assert.Single(credential.Scopes));
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/.default")]
    [InlineData("https://graph.microsoft.us/v1.0", "https://graph.microsoft.us/.default")]
    [InlineData("https://dod-graph.microsoft.us/v1.0", "https://dod-graph.microsoft.us/.default")]
    [InlineData("https://microsoftgraph.chinacloudapi.cn/v1.0", "https://microsoftgraph.chinacloudapi.cn/.default")]
    public async Task The_token_scope_follows_the_cloud_of_the_base_url(string baseUrl, string scope)
    {
        var credential = new FakeCredential();
        var graph = new FakeGraph(_ => Page(null));
        var intune = Intune(new GraphOptions { BaseUrl = baseUrl }, credential, graph);

        await ReadAllAsync(intune);

        Assert.Equal([scope], Assert.Single(credential.Scopes));
        Assert.Equal(new Uri(baseUrl).Host, Assert.Single(graph.Requests).Url.Host);
        Assert.Equal("Bearer token-for-graph", graph.Requests[0].Authorization);
    }

    [Fact]
    public async Task A_loopback_base_url_gets_a_development_token_granting_the_manifest_and_never_the_callers_credential()
    {
        var credential = new FakeCredential();
        var graph = new FakeGraph(_ => Page(null));
        var intune = Intune(new GraphOptions { BaseUrl = "http://127.0.0.1:5080/v1.0" }, credential, graph);

        await ReadAllAsync(intune);

        var authorization = Assert.Single(graph.Requests).Authorization;
        Assert.NotNull(authorization);
        Assert.Equal(
            IntuneBanSync.Enforcement.Mechanisms.Permissions.Select(p => p.Permission.Name).Order(),
            PermissionCheck.RolesOf(authorization!["Bearer ".Length..])!.Order());
        Assert.Empty(credential.Scopes);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(601)]
    public void A_request_timeout_outside_5_to_600_seconds_is_refused_naming_the_setting(int seconds)
    {
        var options = new GraphOptions { RequestTimeoutSeconds = seconds };

        var error = Assert.Throws<ValidationException>(() => GraphClientBuilder.Create(options, new FakeCredential(), new FakeGraph(_ => Page(null))));

        Assert.Contains(nameof(GraphOptions.RequestTimeoutSeconds), error.Message);
    }

    [Fact]
    public void Default_options_bound_each_attempt_well_inside_the_overall_timeout()
    {
        var options = new GraphOptions();

        var results = new List<ValidationResult>();
        var valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.True(valid, string.Join("; ", results));
        Assert.Equal(100, options.RequestTimeoutSeconds);
        Assert.Equal(300, options.TimeoutSeconds);
    }

    [Fact]
    public void A_copy_with_another_base_url_keeps_every_other_setting()
    {
        var shared = new GraphOptions { MaxRetry = 2, RetryDelaySeconds = 1, RequestTimeoutSeconds = 20, TimeoutSeconds = 60, DevicePageSize = 50 };

        var tenant = shared with { BaseUrl = "https://graph.microsoft.us/v1.0" };

        Assert.Equal(new GraphOptions { BaseUrl = "https://graph.microsoft.us/v1.0", MaxRetry = 2, RetryDelaySeconds = 1, RequestTimeoutSeconds = 20, TimeoutSeconds = 60, DevicePageSize = 50 }, tenant);
    }

    private static GraphIntune Intune(GraphOptions options, TokenCredential credential, HttpMessageHandler graph) =>
        new(GraphClientBuilder.Create(options, credential, graph), options);

    private static async Task ReadAllAsync(GraphIntune intune)
    {
        await foreach (var _ in intune.ManagedDevicesAsync(CancellationToken.None))
        {
        }
    }

    private static HttpResponseMessage Page(string? nextLink)
    {
        var link = nextLink is null ? "" : $",\"@odata.nextLink\":\"{nextLink}\"";
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent($"{{\"value\":[{Device}]{link}}}", Encoding.UTF8, "application/json"),
        };
    }

    private sealed class FakeGraph(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<(Uri Url, string? Authorization)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
                Requests.Add((request.RequestUri!, request.Headers.Authorization?.ToString()));
            var response = respond(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }

    private sealed class FakeCredential : TokenCredential
    {
        public List<string[]> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Scopes)
                Scopes.Add(requestContext.Scopes);
            return new AccessToken("token-for-graph", DateTimeOffset.MaxValue);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
