namespace IntuneBanSync.BanList;

/// <summary>
/// The largest ban list the parser accepts. Generous for a government fleet, small enough that nothing downstream
/// (Entra display names, Intune policies, report lines, a sweep's running time) is overrun. README's ban-list table lists them.
/// </summary>
public static class BanListLimits
{
    /// <summary>
    /// Bytes of a ban-list file (and characters of a ban-list text): bounds what is read from a device, a pipe or a huge file.
    /// The Function App's store keeps less, 480,000 characters (<see cref="BanListStoreChunks.MaxLength"/>), and says so.
    /// </summary>
    public const int MaxDocumentSize = 1_048_576;

    /// <summary>The format is five levels deep; unknown properties nested deeper are typos, not data.</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// Every ban is matched against each inventory entry and, enforced, is one group and up to four assignments in each sweep:
    /// 10,000 bans kept a sweep busy for more than 300 s. Government lists name a handful of apps; 250 leaves ample room.
    /// </summary>
    public const int MaxBans = 250;

    /// <summary>Each group exemption is one more group whose members every sweep reads.</summary>
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

    /// <summary>Each of <c>includeGroups</c>, <c>excludeGroups</c> and <c>advisoryGroups</c>; every group's members are read in each sweep.</summary>
    public const int MaxGroupsPerList = 100;

    /// <summary>A Company Portal notification's title, rendered at its longest (sendCustomNotificationToCompanyPortal: DESIGN.md §1).</summary>
    public const int MaxNotificationTitleLength = 50;

    /// <summary>A Company Portal notification's body, rendered at its longest.</summary>
    public const int MaxNotificationBodyLength = 500;

    /// <summary><c>reminderDaysBefore</c>: whole days from 1 to this many before <c>uninstallBy</c>.</summary>
    public const int MaxReminderDaysBefore = 90;

    /// <summary>Languages of one kind of template; each must also fit the limits above.</summary>
    public const int MaxTemplateLanguages = 30;

    /// <summary>The languages every kind of template a ban gives must be written in.</summary>
    public static IReadOnlyList<string> RequiredTemplateLanguages => DefaultNotificationTemplates.Languages;

    /// <summary><c>contact.helpdesk</c>: {helpdesk} goes into notifications of at most 500 characters.</summary>
    public const int MaxHelpdeskLength = 100;

    /// <summary><c>contact.attestationUrl</c>, an absolute https URL: {attestationLink}.</summary>
    public const int MaxAttestationUrlLength = 200;

    /// <summary>A rejected file reports at most this many errors, then how many more there were.</summary>
    public const int MaxReportedErrors = 100;
}
