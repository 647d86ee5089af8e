using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace IntuneBanSync.Functions.SelfAttestation;

public enum TokenCheck { Valid, Missing, Malformed, Expired, Invalid }

/// <summary>
/// The antiforgery token of each "I have removed it" form: <c>v1.{issued, Unix seconds}.{HMAC-SHA256}</c> over the tenant, the signed-in
/// principal's object id, the device, the ban and the time it was issued, with the key of IntuneBanSync__Attestation__TokenKey.
/// </summary>
/// <remarks>
/// Why not ASP.NET Core's IAntiforgery: its data-protection key ring would have to be shared by every instance of the Function App
/// (a Flex Consumption app scales out and in at will), which means provisioning and protecting a key ring in storage and reading it
/// on every cold start. This token needs no state: any instance checks it with the one key from the settings (a Key Vault
/// reference in Azure). A cross-site page cannot forge it without the key, and cannot read the victim's page to copy one; bound to
/// the principal, a token is useless to anyone else; bound to the device and ban, it confirms nothing but its own form; and it
/// expires after <see cref="AttestationOptions.TokenLifetimeMinutes"/>.
/// </remarks>
public sealed class AttestationTokens(IOptions<AttestationOptions> options, TimeProvider time)
{
    private const string Version = "v1";

    // A clock a few minutes ahead on another instance must not refuse the token it issued.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly byte[]? _key = options.Value.Key;

    /// <summary>Whether the page is on: a key is configured.</summary>
    public bool Enabled => _key is not null;

    public string Issue(string tenant, string objectId, string deviceId, string banId)
    {
        var issued = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{Version}.{issued}.{Signature(tenant, objectId, deviceId, banId, issued)}";
    }

    public TokenCheck Check(string? token, string tenant, string objectId, string deviceId, string banId)
    {
        if (string.IsNullOrEmpty(token))
            return TokenCheck.Missing;
        var parts = token.Split('.');
        if (parts is not [Version, var issuedText, var signature]
            || !long.TryParse(issuedText, NumberStyles.None, CultureInfo.InvariantCulture, out var issuedSeconds)
            || issuedSeconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return TokenCheck.Malformed;

        var expected = Encoding.ASCII.GetBytes(Signature(tenant, objectId, deviceId, banId, issuedText));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
            return TokenCheck.Invalid;

        var issued = DateTimeOffset.FromUnixTimeSeconds(issuedSeconds);
        var now = time.GetUtcNow();
        return issued > now + ClockSkew || now - issued > TimeSpan.FromMinutes(options.Value.TokenLifetimeMinutes)
            ? TokenCheck.Expired
            : TokenCheck.Valid;
    }

    private string Signature(string tenant, string objectId, string deviceId, string banId, string issued)
    {
        var key = _key ?? throw new InvalidOperationException($"{AttestationOptions.TokenKeySetting} is not set: the attestation page is off.");
        // Each part is a tenant name, a GUID or a ban id: none contains '|', so the message has one reading.
        var message = Encoding.UTF8.GetBytes($"ibs-attest|{Version}|{tenant}|{objectId.ToLowerInvariant()}|{deviceId.ToLowerInvariant()}|{banId}|{issued}");
        return System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(key, message));
    }
}
