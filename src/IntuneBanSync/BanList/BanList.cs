namespace IntuneBanSync.BanList;

/// <summary>A validated ban list (format version 1). Built only by <see cref="BanListParser"/>.</summary>
public sealed record BanListDocument(int Version, IReadOnlyList<Ban> Bans, IReadOnlyList<Exemption> Exemptions)
{
    /// <summary>Who users ask and where they confirm a removal: the values of the notification placeholders {helpdesk} and {attestationLink}.</summary>
    public BanListContact Contact { get; init; } = BanListContact.None;

    public Ban? FindBan(string id) => Bans.FirstOrDefault(b => b.Id == id);
}

public sealed record Ban(
    string Id,
    string Name,
    string? Reason,
    string? Reference,
    BanApps Apps,
    BanScope Scope,
    DateTimeOffset EffectiveFrom,
    DateTimeOffset UninstallBy,
    DateTimeOffset ExpiresOn,
    EnforcementMode Enforcement,
    BlastRadius? BlastRadius = null)
{
    /// <summary>The cap on new enforcements per sweep; the defaults when the ban list gives none.</summary>
    public BlastRadius Limits => BlastRadius ?? BlastRadius.Default;

    /// <summary>Reminder offsets, default language and the ban's own notification templates; the built-in ones apply where it has none.</summary>
    public BanNotifications Notifications { get; init; } = BanNotifications.Default;

    public bool IsActiveAt(DateTimeOffset now) => EffectiveFrom <= now && now < ExpiresOn;
}

/// <summary>
/// At most this many new enforcements of one ban in one sweep: <paramref name="MaxDevices"/> devices and
/// <paramref name="MaxPercent"/> percent of the ban's in-scope devices, whichever is smaller.
/// </summary>
public sealed record BlastRadius(int MaxDevices, double MaxPercent)
{
    public static BlastRadius Default { get; } = new(500, 20);

    public int CapFor(int inScopeDevices) =>
        // Decimal: in binary floating point 250 × 64.4 % is 161.00000000000003, which would round up to 162.
        Math.Min(MaxDevices, (int)Math.Ceiling(inScopeDevices * (decimal)MaxPercent / 100m));
}

/// <summary>Display names match inventory; per-platform identifiers select the catalog app to assign.</summary>
public sealed record BanApps(
    IReadOnlyList<string> DisplayNames,
    IReadOnlyList<string> Ios,
    IReadOnlyList<string> Android,
    IReadOnlyList<string> Windows,
    IReadOnlyList<string> Macos);

public sealed record BanScope(
    IReadOnlyList<string> IncludeGroups,
    IReadOnlyList<string> ExcludeGroups,
    IReadOnlySet<DeviceOwnership> Ownership,
    IReadOnlySet<DevicePlatform> Platforms)
{
    /// <summary>Groups whose members' devices are advised (evaluated, reported, reminded with the advisory text), never enforced.</summary>
    public IReadOnlyList<string> AdvisoryGroups { get; init; } = [];
}

public sealed record Exemption(
    string Id,
    string BanId,
    ExemptionSubject Subject,
    string Justification,
    string ApprovedBy,
    DateTimeOffset? ExpiresOn)
{
    public bool IsInForceAt(DateTimeOffset now) => ExpiresOn is null || now < ExpiresOn;
}

public enum ExemptionSubjectKind { Group, User, Device }

/// <summary>Exactly one of an Entra group, an Entra user (object id) or a managed device id.</summary>
public sealed record ExemptionSubject(ExemptionSubjectKind Kind, string Id);

public enum EnforcementMode { Report, Enforce }

public enum DevicePlatform { Ios, Android, Windows, Macos }

public enum DeviceOwnership { Company, Personal }

/// <summary>One problem in a ban list: the JSON path (e.g. <c>$.bans[0].uninstallBy</c>) and what is wrong.</summary>
public sealed record BanListError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The outcome of parsing: a document, or every error found (the file is accepted or rejected whole).</summary>
public sealed record BanListParseResult(BanListDocument? Document, IReadOnlyList<BanListError> Errors)
{
    public bool IsValid => Document is not null && Errors.Count == 0;

    /// <summary>The text that was parsed, when it was read from a file and is valid: what to store, without reading the file twice.</summary>
    public string? Text { get; init; }
}
