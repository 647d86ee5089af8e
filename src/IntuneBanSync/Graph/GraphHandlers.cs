using System.Net;
using System.Text;
using Microsoft.Kiota.Abstractions.Authentication;

namespace IntuneBanSync.Graph;

/// <summary>
/// The innermost handler: a request to any host but the configured Graph host is refused before it is sent, so an
/// <c>@odata.nextLink</c> or a redirect elsewhere is a failed read, never a request (with or without our token) to that host.
/// </summary>
internal sealed class GraphHostGuard(Uri graphBaseUrl) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        IsGraphHost(request.RequestUri, graphBaseUrl)
            ? base.SendAsync(request, cancellationToken)
            : Task.FromException<HttpResponseMessage>(new GraphHostRefusedException(request.RequestUri, graphBaseUrl));

    /// <summary>Same scheme, host and port as the base URL.</summary>
    public static bool IsGraphHost(Uri? url, Uri graphBaseUrl) =>
        url is { IsAbsoluteUri: true }
        && Uri.Compare(url, graphBaseUrl, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;
}

/// <summary>
/// Authenticates only requests to the Graph host (scheme, host and port). Anything else goes on without a token, to be
/// refused by <see cref="GraphHostGuard"/>; the SDK's own host check would throw a bare ArgumentException for an http link.
/// </summary>
internal sealed class GraphHostAuthentication(Uri graphBaseUrl, IAuthenticationProvider inner) : IAuthenticationProvider
{
    public Task AuthenticateRequestAsync(
        RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
        GraphHostGuard.IsGraphHost(request.URI, graphBaseUrl)
            ? inner.AuthenticateRequestAsync(request, additionalAuthenticationContext, cancellationToken)
            : Task.CompletedTask;
}

/// <summary>A request to a host other than the configured Graph host was refused; nothing was sent.</summary>
public sealed class GraphHostRefusedException(Uri? refused, Uri graphBaseUrl)
    : HttpRequestException(
        $"Refused to send a request to {refused?.GetLeftPart(UriPartial.Authority) ?? "(no URL)"}: only the configured Graph host " +
        $"{graphBaseUrl.GetLeftPart(UriPartial.Authority)} is called (GraphOptions.BaseUrl).")
{
    public Uri? Refused { get; } = refused;
}

/// <summary>
/// Bounds one attempt (headers and body) inside the retry handler. A read that gets no answer in time comes back as a
/// 504, which the retry handler tries again within <see cref="GraphOptions.TimeoutSeconds"/>; a write is not repeated
/// (the server may have acted on it) and fails at once. The caller's own cancellation propagates unchanged.
/// </summary>
internal sealed class AttemptTimeoutHandler(TimeSpan timeout) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, attempt.Token);
            // The SDK reads the body after the handlers return, where no timeout applies: read it here, within the attempt.
            await response.Content.LoadIntoBufferAsync(attempt.Token);
            return response;
        }
        catch (OperationCanceledException) when (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
                throw new HttpRequestException($"{Describe(request)}; a write is not repeated after a timeout.", new TimeoutException());
            return GatewayTimeout(request);
        }
    }

    private string Describe(HttpRequestMessage request) =>
        $"No response from {request.RequestUri?.GetLeftPart(UriPartial.Authority)} to {request.Method} within {timeout.TotalSeconds:0} s (GraphOptions.RequestTimeoutSeconds)";

    private HttpResponseMessage GatewayTimeout(HttpRequestMessage request)
    {
        var error = new JsonObject { ["error"] = new JsonObject { ["code"] = "attemptTimedOut", ["message"] = Describe(request) } };
        return new HttpResponseMessage(HttpStatusCode.GatewayTimeout)
        {
            RequestMessage = request,
            ReasonPhrase = "Attempt timed out",
            Content = new StringContent(error.ToJsonString(), Encoding.UTF8, "application/json"),
        };
    }
}
