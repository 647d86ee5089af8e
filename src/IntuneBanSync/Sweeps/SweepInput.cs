using System.Text.RegularExpressions;

namespace IntuneBanSync.Sweeps;

/// <summary>
/// The rules of a sweep request, wherever it comes from (CLI options, an HTTP body): each caller hands over what it was
/// given as text and gets a checked value back, or a <see cref="SweepInputException"/> naming the field, before anything is
/// read or written. The CLI and the HTTP API refuse the same things with the same message.
/// </summary>
public static partial class SweepInput
{
    /// <summary>Entra caps a user principal name at 113 characters (64 before the @, 48 after).</summary>
    public const int MaxUserPrincipalNameLength = 113;

    private const string ReportOnly = "a user's or a device's sweep only reports: enforcement runs on the whole tenant";

    public static SweepChoices Validate(SweepAsk ask)
    {
        ArgumentNullException.ThrowIfNull(ask);

        var mode = Mode(ask.Mode);
        var target = Target(ask.User, ask.Device);
        var asOf = ask.AsOf is null ? (DateTimeOffset?)null : AsOf(ask.AsOf);

        if (!target.IsWholeTenant && mode == EnforcementMode.Enforce)
            throw new SweepInputException(SweepInputField.Mode, $"{ReportOnly}. Leave the mode out, or ask for report.");
        if (!target.IsWholeTenant && ask.OverrideBlastRadius)
            throw new SweepInputException(SweepInputField.OverrideBlastRadius, $"lifts the blast-radius cap of an enforcement, and {ReportOnly}.");
        if (asOf is not null && (mode == EnforcementMode.Enforce || ask.OverrideBlastRadius))
            throw new SweepInputException(
                SweepInputField.AsOf,
                "evaluates deadlines at another time for a report only; it cannot be combined with enforcement (mode enforce, or the override of the blast radius). Ask for mode report.");

        return new SweepChoices(target, mode, asOf, ask.OverrideBlastRadius);
    }

    /// <summary>
    /// The tenant, one user (an Entra object id in any GUID form, or a user principal name) or one managed device (a GUID in
    /// any form); never both. GUIDs come back in their canonical form (lower-case 8-4-4-4-12).
    /// </summary>
    public static SweepTarget Target(string? user, string? device)
    {
        if (user is not null && device is not null)
            throw new SweepInputException(SweepInputField.Device, "give a user or a device, not both.");
        if (device is not null)
        {
            return Guid.TryParse(device.Trim(), out var deviceId)
                ? new SweepTarget(Device: deviceId.ToString("D"))
                : throw new SweepInputException(SweepInputField.Device, $"{Show(device)} is not a managed device id (a GUID).");
        }

        if (user is null)
            return SweepTarget.WholeTenant;
        var trimmed = user.Trim();
        if (Guid.TryParse(trimmed, out var userId))
            return new SweepTarget(User: userId.ToString("D"));
        if (!IsUserPrincipalName(trimmed))
            throw new SweepInputException(
                SweepInputField.User,
                $"{Show(user)} is not an Entra object id (a GUID) or a user principal name (name@domain, at most {MaxUserPrincipalNameLength} characters).");
        return new SweepTarget(User: trimmed);
    }

    /// <summary>A mode that overrides every ban's enforcement for one run, or null to keep each ban's own.</summary>
    public static EnforcementMode? Mode(string? mode) => mode?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "report" => EnforcementMode.Report,
        "enforce" => EnforcementMode.Enforce,
        _ => throw new SweepInputException(SweepInputField.Mode, $"{Show(mode)} is not a mode; use report or enforce."),
    };

    /// <summary>An ISO 8601 date-time with seconds optional and a time zone required, e.g. 2023-03-15T00:00:00Z or 2023-03-15T10:00+01:00.</summary>
    public static DateTimeOffset AsOf(string text) =>
        TryParseInstant(text, out var instant)
            ? instant
            : throw new SweepInputException(
                SweepInputField.AsOf, $"{Show(text)} is not an ISO 8601 date-time with a time zone, e.g. 2023-03-15T00:00:00Z or 2023-03-15T10:00:00+01:00.");

    /// <summary>
    /// The strict ISO 8601 reading: yyyy-MM-ddTHH:mm[:ss[.fffffff]] then Z or ±hh:mm. Local-culture forms ("12/01/2026 10:00 +01:00")
    /// and date-times without a zone are refused: a what-if date must mean the same instant on every machine.
    /// </summary>
    public static bool TryParseInstant(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return text is not null
            && IsoInstant().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    private static bool IsUserPrincipalName(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return value.Length <= MaxUserPrincipalNameLength
            && at > 0
            && at < value.Length - 1
            && value.IndexOf('@', at + 1) < 0
            && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
    }

    /// <summary>The caller's text as an error message shows it: quoted, without control characters, cut at 64 characters.</summary>
    private static string Show(string value)
    {
        var plain = PlainText.Strip(value);
        return plain.Length > 64 ? $"'{plain[..64]}…' ({value.Length} characters)" : $"'{plain}'";
    }

    [GeneratedRegex(@"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})\z")]
    private static partial Regex IsoInstant();
}

/// <summary>What a caller asks of a sweep, as text, before <see cref="SweepInput.Validate"/> checks it.</summary>
public sealed record SweepAsk(string? User = null, string? Device = null, string? Mode = null, string? AsOf = null, bool OverrideBlastRadius = false);

/// <summary>A checked sweep request: which devices, the mode override (null: each ban's own), the what-if time, the blast-radius override.</summary>
public sealed record SweepChoices(SweepTarget Target, EnforcementMode? Mode = null, DateTimeOffset? AsOf = null, bool OverrideBlastRadius = false)
{
    public static SweepChoices WholeTenant(EnforcementMode? mode = null) => new(SweepTarget.WholeTenant, mode);

    public SweepRequest ToRequest(BanListDocument banList, string tenant, string trigger, string? runId = null) =>
        new(banList, tenant, trigger, Target, Mode, AsOf, OverrideBlastRadius, runId);
}

/// <summary>The field of a sweep request that is wrong; each caller names it its own way (--as-of on the command line, asOf in JSON).</summary>
public enum SweepInputField
{
    User,
    Device,
    Mode,
    AsOf,
    OverrideBlastRadius,
}

/// <summary>A sweep request field that is wrong, and why, in words that fit the CLI and the HTTP API alike.</summary>
public sealed class SweepInputException(SweepInputField field, string message) : Exception(message)
{
    public SweepInputField Field { get; } = field;
}
