using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using IntuneBanSync.Graph;

namespace IntuneBanSync.Functions.SelfAttestation;

/// <summary>
/// The attestation page as server-rendered HTML: no script, one inline style sheet allowed by its hash, every value encoded.
/// Landmarks, headings, a skip link, real buttons in forms, and colours of at least 4.5:1 contrast.
/// </summary>
public static class AttestationHtml
{
    private const string Css = """
        :root { color-scheme: light; }
        body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 1rem; line-height: 1.5; color: #1f1f1f; background: #ffffff; }
        .skip { position: absolute; left: 0.5rem; top: -3rem; padding: 0.5rem 1rem; background: #1f1f1f; color: #ffffff; z-index: 1; }
        .skip:focus { top: 0.5rem; }
        header { padding: 0.75rem 1.5rem; border-bottom: 1px solid #6b6b6b; }
        header p { margin: 0; color: #3d3d3d; }
        main { max-width: 48rem; padding: 1rem 1.5rem 3rem; }
        main:focus { outline: none; }
        h1 { font-size: 1.75rem; line-height: 1.25; }
        h2 { font-size: 1.375rem; margin-top: 2rem; }
        h3 { font-size: 1.125rem; margin-bottom: 0.25rem; }
        .meta { font-weight: normal; color: #3d3d3d; }
        .ban { border: 1px solid #6b6b6b; border-radius: 0.5rem; padding: 0.25rem 1rem 1rem; margin-top: 1rem; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0 1rem; }
        dt { font-weight: 600; }
        dd { margin: 0; }
        .attested { color: #1d5a2c; font-weight: 600; }
        button { font: inherit; font-weight: 600; padding: 0.625rem 1.25rem; border: 2px solid #0b4a8f; border-radius: 0.375rem; background: #0b4a8f; color: #ffffff; cursor: pointer; }
        button:hover { background: #083a70; }
        a { color: #0b4a8f; }
        a:focus-visible, button:focus-visible { outline: 3px solid #1f1f1f; outline-offset: 3px; }
        """;

    /// <summary>The only style the page may apply (Content-Security-Policy): the hash of <see cref="Css"/>.</summary>
    private static readonly string StyleHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)));

    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{StyleHash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    // Letters of every script stay as they are (é, ü): only markup characters are escaped.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The signed-in user's covered devices, each ban with its deadline, reason, reference and an "I have removed it" form.</summary>
    public static HtmlPage Devices(AttestationStrings text, UserDevices view, string signedInAs, Func<CoveredDevice, CoveringBan, string> tokenFor)
    {
        var body = new StringBuilder();
        body.Append("<h1>").Append(E(text.PageTitle)).Append("</h1>\n");
        if (view.Devices.Count == 0)
        {
            body.Append("<p>").Append(E(text.NoDevices)).Append("</p>\n");
        }
        else
        {
            body.Append("<p>").Append(E(text.Intro)).Append("</p>\n");
        }

        if (view.BanList.Contact.Helpdesk is { } helpdesk)
            body.Append("<p>").Append(E(AttestationStrings.Fill(text.Helpdesk, ("helpdesk", helpdesk)))).Append("</p>\n");

        for (var d = 0; d < view.Devices.Count; d++)
        {
            var covered = view.Devices[d];
            var deviceHeading = $"device-{d}";
            body.Append(CultureInfo.InvariantCulture, $"<section aria-labelledby=\"{deviceHeading}\">\n<h2 id=\"{deviceHeading}\">")
                .Append(E(DeviceName(text, covered.Device)))
                .Append(" <span class=\"meta\">(").Append(E(DeviceKind(text, covered.Device))).Append(")</span></h2>\n");
            for (var b = 0; b < covered.Bans.Count; b++)
            {
                var covering = covered.Bans[b];
                var ban = covering.Ban;
                var banHeading = $"ban-{d}-{b}";
                body.Append(CultureInfo.InvariantCulture, $"<article class=\"ban\" aria-labelledby=\"{banHeading}\">\n<h3 id=\"{banHeading}\">")
                    .Append(E(ban.Name)).Append("</h3>\n<dl>\n")
                    .Append("<dt>").Append(E(text.Deadline)).Append("</dt><dd>").Append(Date(ban.UninstallBy, text.Language)).Append("</dd>\n");
                if (!string.IsNullOrWhiteSpace(ban.Reason))
                    body.Append("<dt>").Append(E(text.Reason)).Append("</dt><dd>").Append(E(ban.Reason)).Append("</dd>\n");
                if (!string.IsNullOrWhiteSpace(ban.Reference))
                    body.Append("<dt>").Append(E(text.Reference)).Append("</dt><dd>").Append(E(ban.Reference)).Append("</dd>\n");
                body.Append("</dl>\n");
                if (covering.Attested is { } attested)
                {
                    body.Append("<p class=\"attested\">")
                        .Append(E(AttestationStrings.Fill(text.Attested, ("date", NotificationText.FormatDate(attested.At, text.Language)))))
                        .Append("</p>\n");
                }

                // No action attribute: the form posts to this page's own URL, ?tenant= included.
                body.Append("<form method=\"post\">\n")
                    .Append("<input type=\"hidden\" name=\"device\" value=\"").Append(E(covered.Device.Id)).Append("\">\n")
                    .Append("<input type=\"hidden\" name=\"ban\" value=\"").Append(E(ban.Id)).Append("\">\n")
                    .Append("<input type=\"hidden\" name=\"token\" value=\"").Append(E(tokenFor(covered, covering))).Append("\">\n")
                    .Append(CultureInfo.InvariantCulture, $"<button type=\"submit\" aria-describedby=\"{banHeading} {deviceHeading}\">").Append(E(text.Button)).Append("</button>\n")
                    .Append("</form>\n</article>\n");
            }

            body.Append("</section>\n");
        }

        return Page(text, text.PageTitle, signedInAs, body.ToString(), StatusCodes.Status200OK);
    }

    /// <summary>The confirmation after an attestation was recorded.</summary>
    public static HtmlPage Recorded(AttestationStrings text, Ban ban, DeviceRecord device, DateTimeOffset at, string signedInAs, string backHref)
    {
        var thanks = AttestationStrings.Fill(
            text.ThanksText, ("app", ban.Name), ("device", DeviceName(text, device)), ("date", NotificationText.FormatDate(at, text.Language)));
        var body = $"""
            <h1>{E(text.ThanksTitle)}</h1>
            <p role="status">{E(thanks)}</p>
            <p>{E(text.ThanksNote)}</p>
            <p><a href="{E(backHref)}">{E(text.Back)}</a></p>

            """;
        return Page(text, text.ThanksTitle, signedInAs, body, StatusCodes.Status200OK);
    }

    /// <summary>A page that says why nothing happened, with a link to go on.</summary>
    public static HtmlPage Message(AttestationStrings text, int status, string title, string message, string? signedInAs, string? linkHref, string? linkText)
    {
        var link = linkHref is not null && linkText is not null ? $"<p><a href=\"{E(linkHref)}\">{E(linkText)}</a></p>\n" : "";
        var body = $"<h1>{E(title)}</h1>\n<p>{E(message)}</p>\n{link}";
        return Page(text, title, signedInAs, body, status);
    }

    private static HtmlPage Page(AttestationStrings text, string title, string? signedInAs, string main, int status)
    {
        var who = signedInAs is null ? "" : $"<p>{E(AttestationStrings.Fill(text.SignedInAs, ("name", signedInAs)))}</p>";
        var html = $"""
            <!DOCTYPE html>
            <html lang="{E(text.Language)}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} – IntuneBanSync</title>
            <style>{Css}</style>
            </head>
            <body>
            <a class="skip" href="#main">{E(text.SkipLink)}</a>
            <header>{who}</header>
            <main id="main" tabindex="-1">
            {main}</main>
            </body>
            </html>

            """;
        return new HtmlPage(html, status);
    }

    private static string DeviceName(AttestationStrings text, DeviceRecord device) =>
        string.IsNullOrWhiteSpace(device.DeviceName) ? text.UnnamedDevice : Reports.PlainText.Strip(device.DeviceName);

    private static string DeviceKind(AttestationStrings text, DeviceRecord device)
    {
        var platform = device.Platform switch
        {
            DevicePlatform.Ios => "iOS/iPadOS",
            DevicePlatform.Android => "Android",
            DevicePlatform.Windows => "Windows",
            DevicePlatform.Macos => "macOS",
            _ => Reports.PlainText.Strip(device.OperatingSystem),
        };
        var ownership = device.Ownership == DeviceOwnership.Personal ? text.Personal : text.Company;
        return $"{platform}, {ownership}";
    }

    private static string Date(DateTimeOffset date, string language) =>
        $"<time datetime=\"{date.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture)}\">{E(NotificationText.FormatDate(date, language))}</time>";

    private static string E(string? value) => Encoder.Encode(value ?? "");
}

/// <summary>An HTML answer with the headers every attestation page carries: nothing cached, framed, sniffed or leaked in a referrer.</summary>
public sealed class HtmlPage(string html, int statusCode) : IResult
{
    public string Html { get; } = html;

    public int StatusCode { get; } = statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = AttestationHtml.ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
        var bytes = Encoding.UTF8.GetBytes(Html);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }
}
