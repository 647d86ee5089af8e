using System.ComponentModel.DataAnnotations;
using Azure.Core;
using Azure.Identity;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace IntuneBanSync.Graph;

public static class GraphClientBuilder
{
    /// <summary>
    /// A GraphServiceClient over <see cref="GraphClientFactory"/>'s handler chain (a plain HttpClient has no retry handler),
    /// with more retries than the SDK's default, a timeout per attempt, and no request to any host but the base URL's.
    /// The token is asked for the base URL's cloud and sent only to its host.
    /// </summary>
    public static GraphServiceClient Create(GraphOptions options, TokenCredential? credential = null, HttpMessageHandler? finalHandler = null)
    {
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var baseUrl = new Uri(options.BaseUrl.TrimEnd('/'));
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        var at = handlers.TakeWhile(h => h is not RetryHandler).Count();
        if (at < handlers.Count)
            handlers.RemoveAt(at);
        else
            at = 0;
        handlers.Insert(at, new RetryHandler(new RetryHandlerOption { MaxRetry = options.MaxRetry, Delay = options.RetryDelaySeconds }));
        // Inside the retry handler, so every attempt, a retry too, waits for room in its service bucket before it is sent.
        if (options.Pacing)
            handlers.Insert(++at, new GraphPacingHandler(new GraphPacing(options), baseUrl));
        // Inside the retry handler, so a hung attempt is one failed try among the retries, not the whole TimeoutSeconds.
        handlers.Insert(at + 1, new AttemptTimeoutHandler(TimeSpan.FromSeconds(options.RequestTimeoutSeconds)));
        // Last before the network: it sees every request, including retries and redirects.
        handlers.Add(new GraphHostGuard(baseUrl));

        var http = GraphClientFactory.Create(handlers, finalHandler: finalHandler);
        http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);

        var auth = new GraphHostAuthentication(baseUrl, new AzureIdentityAuthenticationProvider(
            CredentialFor(baseUrl, credential), allowedHosts: [baseUrl.Host], scopes: [TokenScope(baseUrl)]));
        return new GraphServiceClient(http, auth, baseUrl.ToString().TrimEnd('/'));
    }

    /// <summary>
    /// On loopback (the simulator) the token is a development one granting every permission of the manifest, unless the caller
    /// gives a <see cref="LoopbackCredential"/> of its own; elsewhere the caller's credential, or DefaultAzureCredential.
    /// </summary>
    public static TokenCredential CredentialFor(Uri baseUrl, TokenCredential? credential) =>
        IsLoopback(baseUrl)
            ? credential as LoopbackCredential ?? new LoopbackCredential(Enforcement.Mechanisms.Permissions.Select(p => p.Permission.Name))
            : credential ?? new DefaultAzureCredential();

    public static bool IsLoopback(Uri url) => url.IsLoopback;

    /// <summary>
    /// The token audience is the cloud's Graph host: graph.microsoft.com (global), graph.microsoft.us (US Gov L4),
    /// dod-graph.microsoft.us (US Gov L5, DoD), microsoftgraph.chinacloudapi.cn (21Vianet). A .default scope must name the
    /// host of the national cloud's service root (https://learn.microsoft.com/graph/deployments,
    /// https://learn.microsoft.com/graph/sdks/national-clouds).
    /// </summary>
    public static string TokenScope(Uri baseUrl) => $"https://{baseUrl.Host}/.default";

    /// <summary>The beta endpoint beside a v1.0 base URL (same host, path ending in /beta).</summary>
    public static string BetaUrl(string baseUrl)
    {
        var trimmed = baseUrl.TrimEnd('/');
        return trimmed.EndsWith("/v1.0", StringComparison.OrdinalIgnoreCase)
            ? trimmed[..^"/v1.0".Length] + "/beta"
            : trimmed + "/beta";
    }
}
