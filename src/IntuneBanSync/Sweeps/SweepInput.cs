using IntuneBanSync.BanList;

namespace IntuneBanSync.Sweeps;

/// <summary>What a caller asks of a sweep (CLI options, an HTTP body), checked the same way wherever it comes from.</summary>
public static class SweepInput
{
    /// <summary>The tenant, one user (object id or UPN) or one managed device (a GUID); never both.</summary>
    public static SweepTarget Target(string? user, string? device)
    {
        if (user is not null && device is not null)
            throw new SweepInputException("device", "give a user or a device, not both.");
        if (user is not null && string.IsNullOrWhiteSpace(user))
            throw new SweepInputException("user", "must be an Entra object id or a user principal name.");
        if (device is not null && !Guid.TryParse(device, out _))
            throw new SweepInputException("device", $"'{device}' is not a managed device id (a GUID).");
        return new SweepTarget(user?.Trim(), device?.Trim());
    }

    /// <summary>A mode that overrides every ban's enforcement for one run, or null to keep each ban's own.</summary>
    public static EnforcementMode? Mode(string? mode) => mode?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "report" => EnforcementMode.Report,
        "enforce" => EnforcementMode.Enforce,
        var other => throw new SweepInputException("mode", $"'{other}' is not a mode; use report or enforce."),
    };
}

/// <summary>A sweep request field that is wrong; <see cref="Field"/> is its name without any prefix ("user", "device", "mode").</summary>
public sealed class SweepInputException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
