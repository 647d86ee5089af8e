using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace IntuneBanSync.Graph;

public static class GraphClientBuilder
{
    private static readonly string[] Scopes = ["https://graph.microsoft.com/.default"];

    /// <summary>
    /// A GraphServiceClient over <see cref="GraphClientFactory"/>'s handler chain (a plain HttpClient has no retry handler),
    /// with more retries than the SDK's default. Loopback URLs get no credential.
    /// </summary>
    public static GraphServiceClient Create(GraphOptions options, TokenCredential? credential = null, HttpMessageHandler? finalHandler = null)
    {
        var baseUrl = new Uri(options.BaseUrl.TrimEnd('/'));
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        var retry = new RetryHandler(new RetryHandlerOption { MaxRetry = options.MaxRetry, Delay = options.RetryDelaySeconds });
        var existing = handlers.OfType<RetryHandler>().FirstOrDefault();
        if (existing is null)
            handlers.Insert(0, retry);
        else
            handlers[handlers.IndexOf(existing)] = retry;

        var http = GraphClientFactory.Create(handlers, finalHandler: finalHandler);
        http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);

        IAuthenticationProvider auth = IsLoopback(baseUrl)
            ? new AnonymousAuthenticationProvider()
            : new AzureIdentityAuthenticationProvider(credential ?? new DefaultAzureCredential(), scopes: Scopes);
        return new GraphServiceClient(http, auth, baseUrl.ToString().TrimEnd('/'));
    }

    public static bool IsLoopback(Uri url) => url.IsLoopback;

    /// <summary>The beta endpoint beside a v1.0 base URL (same host, path ending in /beta).</summary>
    public static string BetaUrl(string baseUrl)
    {
        var trimmed = baseUrl.TrimEnd('/');
        return trimmed.EndsWith("/v1.0", StringComparison.OrdinalIgnoreCase)
            ? trimmed[..^"/v1.0".Length] + "/beta"
            : trimmed + "/beta";
    }
}
