using System.ComponentModel.DataAnnotations;

namespace IntuneBanSync.Functions.SelfAttestation;

/// <summary>The self-attestation page (section IntuneBanSync:Attestation; in App Settings, IntuneBanSync__Attestation__Name).</summary>
public sealed class AttestationOptions : IValidatableObject
{
    public const string Section = "IntuneBanSync:Attestation";

    public const string TokenKeySetting = "IntuneBanSync__Attestation__TokenKey";

    /// <summary>The fewest bytes of key an HMAC-SHA256 token is signed with.</summary>
    public const int MinKeyBytes = 32;

    /// <summary>
    /// Base64 of at least 32 random bytes (e.g. <c>openssl rand -base64 32</c>), the same on every instance: it signs the page's
    /// antiforgery tokens. Unset, the page answers 503 and nothing can be attested.
    /// </summary>
    public string? TokenKey { get; set; }

    /// <summary>How long a page may stay open before its buttons are refused as expired.</summary>
    [Range(5, 1440)]
    public int TokenLifetimeMinutes { get; set; } = 120;

    /// <summary>The key, or null when the page is off.</summary>
    public byte[]? Key => string.IsNullOrWhiteSpace(TokenKey) ? null : Decode(TokenKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(TokenKey) && Decode(TokenKey) is not { Length: >= MinKeyBytes })
            yield return new ValidationResult(
                $"{nameof(TokenKey)} must be base64 of at least {MinKeyBytes} random bytes (openssl rand -base64 32), the same on every instance.",
                [nameof(TokenKey)]);
    }

    private static byte[]? Decode(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var written) ? bytes[..written] : null;
    }
}
