using System.Diagnostics.CodeAnalysis;
using IntuneBanSync.Functions.Api;
using IntuneBanSync.Graph;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IntuneBanSync.Functions.SelfAttestation;

/// <summary>
/// GET /api/attest: the signed-in user's enrolled devices that a ban covers; POST /api/attest: "I have removed it" for one device
/// and ban. Anonymous for the Functions host (people follow a link and have no function key): App Service Authentication signs
/// them in, and the page shows and accepts only the caller's own devices. No app role is needed.
/// </summary>
public sealed partial class AttestationPage(ApiRequest api, Attestations attestations, AttestationTokens tokens, ILogger<AttestationPage> log)
{
    [Function(nameof(ShowAttestations))]
    public async Task<IResult> ShowAttestations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "attest")] HttpRequest request, CancellationToken ct)
    {
        if (!SignedIn(request, out var visit, out var refused))
            return refused;

        UserDevices view;
        try
        {
            view = await attestations.ForUserAsync(visit.Tenant, visit.UserId, ct);
        }
        catch (GraphReadException e)
        {
            GraphUnavailable(e, visit.Tenant, e.What);
            return Unavailable(visit.Text, visit.Caller.Name);
        }

        var fallback = view.Devices.SelectMany(d => d.Bans).Select(b => b.Ban.Notifications.DefaultLanguage).FirstOrDefault()
            ?? view.BanList.Bans.FirstOrDefault()?.Notifications.DefaultLanguage;
        return AttestationHtml.Devices(
            visit.In(fallback), view, visit.Caller.Name, (covered, covering) => tokens.Issue(visit.Tenant, visit.UserId, covered.Device.Id, covering.Ban.Id));
    }

    [Function(nameof(RecordAttestation))]
    public async Task<IResult> RecordAttestation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "attest")] HttpRequest request, CancellationToken ct)
    {
        if (!SignedIn(request, out var visit, out var refused))
            return refused;
        var (caller, tenant, userId, _, text) = visit;

        if (await ReadFormAsync(request, ct) is not { } form
            || Single(form, "device") is not { } deviceText || !Guid.TryParse(deviceText, out var deviceGuid)
            || Single(form, "ban") is not { Length: > 0 } banId)
            return Back(text, request, caller.Name, StatusCodes.Status400BadRequest, text.BadRequestTitle, text.BadRequestText);
        var deviceId = deviceGuid.ToString("D");

        switch (tokens.Check(Single(form, "token"), tenant, userId, deviceId, banId))
        {
            case TokenCheck.Missing or TokenCheck.Malformed:
                return Back(text, request, caller.Name, StatusCodes.Status400BadRequest, text.BadRequestTitle, text.BadRequestText);
            case TokenCheck.Expired or TokenCheck.Invalid:
                return Back(text, request, caller.Name, StatusCodes.Status403Forbidden, text.ExpiredTitle, text.ExpiredText);
        }

        AttestOutcome outcome;
        try
        {
            outcome = await attestations.AttestAsync(tenant, userId, caller.Name, deviceId, banId, ct);
        }
        catch (GraphReadException e)
        {
            GraphUnavailable(e, tenant, e.What);
            return Unavailable(text, caller.Name);
        }

        return outcome.Result switch
        {
            AttestResult.Recorded => AttestationHtml.Recorded(
                visit.In(outcome.Ban!.Notifications.DefaultLanguage),
                outcome.Ban, outcome.Device!, outcome.Attestation!.At, caller.Name, BackHref(request)),
            AttestResult.NotTheDevicesUser => Back(text, request, caller.Name, StatusCodes.Status403Forbidden, text.ForbiddenTitle, text.ForbiddenText),
            _ => Back(text, request, caller.Name, StatusCodes.Status404NotFound, text.NotFoundTitle, text.NotFoundText),
        };
    }

    /// <summary>The signed-in visit, or the answer when the request cannot go on, in the first accepted language the page is written in.</summary>
    private bool SignedIn(HttpRequest request, [NotNullWhen(true)] out Visit? visit, [NotNullWhen(false)] out HtmlPage? refused)
    {
        var languages = AcceptLanguages(request).ToList();
        var text = AttestationStrings.For(AttestationStrings.Choose(languages, null));
        var signedIn = api.SignedIn(request);
        if (Refusal(request, text, signedIn) is { } refusal)
        {
            (visit, refused) = (null, refusal);
            return false;
        }

        (visit, refused) = (new Visit(signedIn.Caller!, signedIn.Tenant!, Guid.Parse(signedIn.Caller!.ObjectId!).ToString("D"), languages, text), null);
        return true;
    }

    /// <summary>The answer when the request cannot go on: not signed in (401), not our tenant (400), no object id (403), page off (503).</summary>
    private HtmlPage? Refusal(HttpRequest request, AttestationStrings text, SignedInCheck signedIn)
    {
        if (signedIn.Failure == SignedInFailure.NotSignedIn)
        {
            var signIn = "/.auth/login/aad?post_login_redirect_uri=" + Uri.EscapeDataString(BackHref(request));
            return AttestationHtml.Message(text, StatusCodes.Status401Unauthorized, text.SignInTitle, text.SignInText, null, signIn, text.SignIn);
        }

        if (signedIn.Failure == SignedInFailure.UnknownTenant)
            return AttestationHtml.Message(text, StatusCodes.Status400BadRequest, text.BadRequestTitle, text.BadRequestText, signedIn.Caller!.Name, null, null);
        if (!Guid.TryParse(signedIn.Caller!.ObjectId, out _))
            return AttestationHtml.Message(text, StatusCodes.Status403Forbidden, text.ForbiddenTitle, text.ForbiddenText, signedIn.Caller.Name, null, null);
        if (!tokens.Enabled)
            return AttestationHtml.Message(text, StatusCodes.Status503ServiceUnavailable, text.UnavailableTitle, text.OffText, signedIn.Caller.Name, null, null);
        return null;
    }

    /// <summary>A signed-in user on the page: the tenant, their object id (lower-case GUID), and the languages their browser accepts.</summary>
    private sealed record Visit(Security.Caller Caller, string Tenant, string UserId, IReadOnlyList<string> Languages, AttestationStrings Text)
    {
        /// <summary>The page's text in the first accepted language it is written in, else in <paramref name="fallback"/>.</summary>
        public AttestationStrings In(string? fallback) => AttestationStrings.For(AttestationStrings.Choose(Languages, fallback));
    }

    private static HtmlPage Unavailable(AttestationStrings text, string signedInAs) =>
        AttestationHtml.Message(text, StatusCodes.Status503ServiceUnavailable, text.UnavailableTitle, text.UnavailableText, signedInAs, null, null);

    private static HtmlPage Back(AttestationStrings text, HttpRequest request, string signedInAs, int status, string title, string message) =>
        AttestationHtml.Message(text, status, title, message, signedInAs, BackHref(request), text.Back);

    /// <summary>This page's own path, with ?tenant= when the request named one.</summary>
    private static string BackHref(HttpRequest request)
    {
        var path = request.PathBase.Add(request.Path).Value is { Length: > 0 } value ? value : "/api/attest";
        return request.Query["tenant"] is { Count: 1 } tenant ? $"{path}?tenant={Uri.EscapeDataString(tenant[0]!)}" : path;
    }

    private static IEnumerable<string> AcceptLanguages(HttpRequest request) =>
        request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1)
            .Where(l => (l.Quality ?? 1) > 0)
            .Select(l => l.Value.Value ?? "");

    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            return null;
        try
        {
            return await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static string? Single(IFormCollection form, string name) => form[name] is { Count: 1 } values ? values[0] : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {Tenant}: the attestation page could not read {What} from Graph")]
    private partial void GraphUnavailable(Exception exception, string tenant, string what);
}
