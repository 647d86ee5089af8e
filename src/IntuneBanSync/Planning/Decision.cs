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
    /// <summary>A member of one of the ban's advisory groups: evaluated, reported and reminded, never enforced.</summary>
    Advised,
    /// <summary>Would be unverified, but the device's user attested removing the app: self-reported, never clean.</summary>
    Attested,
}

/// <summary>The decision sets several places ask for, said once.</summary>
public static class DecisionKinds
{
    /// <summary>Bound by the ban and not exempt: what a route that goes by device class (not by detection) covers.</summary>
    public static bool IsCovered(this DecisionKind kind) =>
        kind is DecisionKind.Offending or DecisionKind.Grace or DecisionKind.Unverified or DecisionKind.Attested or DecisionKind.Clean;

    /// <summary>In the ban's scope, exempt or not: what the in-scope counts count.</summary>
    public static bool CountsInScope(this DecisionKind kind) => kind.IsCovered() || kind == DecisionKind.Exempt;
}

/// <summary>Why a decision was made; stable, so reports group by it (stored and shown in kebab case: "unknown-os").</summary>
public enum DecisionReason
{
    NotYetEffective,
    Expired,
    UnknownOs,
    Platform,
    UnknownOwnership,
    Ownership,
    GroupUnreadable,
    NotIncluded,
    Excluded,
    Exemption,
    Detected,
    InventoryUnread,
    Personal,
    StaleInventory,
    NotDetected,
    Advisory,
    Attested,
}

/// <summary>One decision per (ban, device), with the sentence an administrator reads and the platform it was made for.</summary>
public sealed record Decision(
    string BanId, string DeviceId, DecisionKind Kind, DecisionReason Reason, string Text, string? ExemptionId = null, DevicePlatform? Platform = null)
{
    /// <summary>Its reason as reports and the journal write it.</summary>
    public string ReasonCode => Journal.WireName.Of(Reason);
}
