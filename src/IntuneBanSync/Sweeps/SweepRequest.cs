using System.ComponentModel.DataAnnotations;
using IntuneBanSync.Inventory;

namespace IntuneBanSync.Sweeps;

/// <summary>One sweep: which ban list, which tenant, what triggered it and what it covers.</summary>
/// <param name="AsOf">Evaluate deadlines at this time instead of now: a what-if, which never writes to the tenant.</param>
/// <param name="Deadline">The sweep ends incomplete once this long has passed; null takes the setting.</param>
public sealed record SweepRequest(
    BanListDocument BanList,
    string Tenant,
    string Trigger,
    SweepTarget Target,
    EnforcementMode? ModeOverride = null,
    DateTimeOffset? AsOf = null,
    bool OverrideBlastRadius = false,
    string? RunId = null,
    TimeSpan? Deadline = null)
{
    /// <summary>
    /// The mode each ban runs in. A what-if (<see cref="AsOf"/>) and a one-user or one-device sweep only report, whatever the
    /// ban list or the override says: neither may write to the tenant.
    /// </summary>
    public EnforcementMode ModeOf(Ban ban) => MayWrite ? ModeOverride ?? ban.Enforcement : EnforcementMode.Report;

    /// <summary>False for a what-if, a one-user or one-device sweep and a sweep told to report: they never write to the tenant.</summary>
    public bool MayWrite => AsOf is null && Target.IsWholeTenant && ModeOverride != EnforcementMode.Report;

    /// <summary>The run's mode as the journal and the report show it: enforce when any ban enforces.</summary>
    public EnforcementMode Mode => BanList.Bans.Any(b => ModeOf(b) == EnforcementMode.Enforce) ? EnforcementMode.Enforce : EnforcementMode.Report;
}

/// <summary>The whole tenant, one user's devices (object id or UPN), or one managed device.</summary>
public sealed record SweepTarget(string? User = null, string? Device = null)
{
    public static SweepTarget WholeTenant { get; } = new();

    public bool IsWholeTenant => User is null && Device is null;

    public override string ToString() => User is not null ? $"user {User}" : Device is not null ? $"device {Device}" : "tenant";
}

public enum SweepPhase { ReadingDetectedApps, ListingDevicesWithBannedApps, ReadingScopeGroups, EvaluatingDevices, WritingJournal, Enforcing }

/// <summary>How far a sweep is; <paramref name="Total"/> when it is known.</summary>
public sealed record SweepProgress(SweepPhase Phase, int Done, int? Total = null, string? Subject = null)
{
    public override string ToString()
    {
        var phase = Phase switch
        {
            SweepPhase.ReadingDetectedApps => "Reading detected apps",
            SweepPhase.ListingDevicesWithBannedApps => "Listing devices with banned apps",
            SweepPhase.ReadingScopeGroups => "Reading scope groups",
            SweepPhase.EvaluatingDevices => "Evaluating devices",
            SweepPhase.WritingJournal => "Writing the journal",
            _ => $"Enforcing {Subject}",
        };
        var count = Total is { } total ? $"{Done.ToString("N0", CultureInfo.InvariantCulture)} of {total.ToString("N0", CultureInfo.InvariantCulture)}" : Done.ToString("N0", CultureInfo.InvariantCulture);
        return $"{phase}: {count}";
    }
}

public sealed class SweepSettings
{
    public const string Section = "IntuneBanSync:Sweep";

    /// <summary>Intune refreshes a device's app inventory about every 7 days: an older inventory proves nothing.</summary>
    [Range(1, 90)]
    public int InventoryMaxAgeDays { get; set; } = 7;

    /// <summary>Findings buffered before the full transactions among them (100 rows of one partition) are written; remainders wait for the end of the pass.</summary>
    [Range(100, 10_000)]
    public int FindingsFlushSize { get; set; } = 1000;

    /// <summary>New enforcements of all bans together in one sweep; a ban that would pass it is held.</summary>
    [Range(0, 1_000_000)]
    public int MaxNewEnforcementsPerSweep { get; set; } = 1000;

    /// <summary>Lifts every blast-radius cap. For a deliberate first enforcement of a large fleet; the report still says how many.</summary>
    public bool OverrideBlastRadius { get; set; }

    /// <summary>A sweep still running after this many minutes stops and ends incomplete, saying so (a hung host, a paused storage account).</summary>
    [Range(1, 1440)]
    public int DeadlineMinutes { get; set; } = 240;

    /// <summary>Where a whole-tenant sweep reads the banned apps' devices: AppDevices (app → devices) or ExportJob (Intune's AppInvRawData export).</summary>
    [EnumDataType(typeof(InventorySourceKind))]
    public InventorySourceKind InventorySource { get; set; } = InventorySourceKind.AppDevices;

    /// <summary>How long a sweep waits for the export job to complete before it takes the inventory as unread.</summary>
    [Range(1, 240)]
    public int ExportJobPatienceMinutes { get; set; } = 30;

    /// <summary>How often the export job is read back while it is generated.</summary>
    [Range(1, 300)]
    public int ExportJobPollSeconds { get; set; } = 10;
}
