namespace IntuneBanSync.Planning;

public enum DecisionKind
{
    /// <summary>In scope, ban active, app seen, past uninstallBy, not exempt.</summary>
    Offending,
    /// <summary>As offending, but before uninstallBy.</summary>
    Grace,
    /// <summary>In scope and covered by an exemption in force.</summary>
    Exempt,
    /// <summary>Platform, ownership or groups put the device outside the ban.</summary>
    OutOfScope,
    /// <summary>Before effectiveFrom or at/after expiresOn.</summary>
    BanNotActive,
    /// <summary>In scope, app not seen, but the inventory cannot prove absence (personal, stale, unread).</summary>
    Unverified,
    /// <summary>In scope, app not seen on a fully reported, recently synced device whose inventory was read.</summary>
    Clean,
}

/// <summary>One decision per (ban, device), with the reason an administrator reads.</summary>
/// <remarks><paramref name="ReasonCode"/> is stable (reports group by it); <paramref name="Reason"/> is the sentence.</remarks>
public sealed record Decision(string BanId, string DeviceId, DecisionKind Kind, string ReasonCode, string Reason, string? ExemptionId = null);
