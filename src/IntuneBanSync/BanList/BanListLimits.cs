namespace IntuneBanSync.BanList;

/// <summary>
/// The largest ban list the parser accepts. Generous for a government fleet, small enough that nothing downstream
/// (Entra display names, Intune policies, report lines, a sweep's running time) is overrun. README's ban-list table lists them.
/// </summary>
public static class BanListLimits
{
    /// <summary>
    /// Bytes of a ban-list file (and characters of a ban-list text). The store keeps at most 480,000 characters
    /// (<see cref="BanListStoreChunks.MaxLength"/>), so a larger file could never be stored; 1 MiB leaves room for indentation.
    /// </summary>
    public const int MaxDocumentSize = 1_048_576;

    /// <summary>The format is at most six levels deep; unknown properties nested deeper are typos, not data.</summary>
    public const int MaxDepth = 32;

    /// <summary>Every ban is one inventory pass and, enforced, one group and one assignment per platform in each sweep.</summary>
    public const int MaxBans = 50;

    public const int MaxExemptions = 1_000;

    public const int MaxIdLength = 64;

    /// <summary>The name goes into the group we create, "IntuneBanSync – {name} – uninstall", and an Entra group's displayName holds at most 256 characters.</summary>
    public const int MaxNameLength = 100;

    /// <summary><c>reason</c>, <c>reference</c> and an exemption's <c>justification</c>.</summary>
    public const int MaxTextLength = 500;

    public const int MaxApprovedByLength = 200;

    public const int MaxDisplayNames = 50;

    public const int MaxDisplayNameLength = 256;

    /// <summary>Per platform (<c>ios</c>, <c>android</c>, <c>windows</c>, <c>macos</c>): an iOS compliance policy's <c>restrictedApps</c> holds at most 100 apps.</summary>
    public const int MaxIdentifiersPerPlatform = 100;

    /// <summary>A bundle id, package name or Store id.</summary>
    public const int MaxIdentifierLength = 256;

    /// <summary>Each of <c>includeGroups</c> and <c>excludeGroups</c>; every group's members are read in each sweep.</summary>
    public const int MaxGroupsPerList = 100;

    /// <summary>A rejected file reports at most this many errors, then how many more there were.</summary>
    public const int MaxReportedErrors = 100;
}
