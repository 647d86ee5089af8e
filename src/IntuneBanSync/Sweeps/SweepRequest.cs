using System.ComponentModel.DataAnnotations;
using IntuneBanSync.BanList;

namespace IntuneBanSync.Sweeps;

/// <summary>One sweep: which ban list, which tenant, what triggered it and what it covers.</summary>
public sealed record SweepRequest(
    BanListDocument BanList,
    string Tenant,
    string Trigger,
    SweepTarget Target,
    EnforcementMode? ModeOverride = null,
    DateTimeOffset? AsOf = null,
    bool OverrideBlastRadius = false,
    string? RunId = null);

/// <summary>The whole tenant, one user's devices (object id or UPN), or one managed device.</summary>
public sealed record SweepTarget(string? User = null, string? Device = null)
{
    public static SweepTarget WholeTenant { get; } = new();

    public bool IsWholeTenant => User is null && Device is null;

    public override string ToString() => User is not null ? $"user {User}" : Device is not null ? $"device {Device}" : "tenant";
}

public sealed record SweepProgress(string Phase, int Done);

public sealed class SweepSettings
{
    public const string Section = "IntuneBanSync:Sweep";

    /// <summary>Intune refreshes a device's app inventory about every 7 days: an older inventory proves nothing.</summary>
    [Range(1, 90)]
    public int InventoryMaxAgeDays { get; set; } = 7;

    /// <summary>Findings are written in batches of this many rows (a transaction holds at most 100).</summary>
    [Range(100, 10_000)]
    public int FindingsFlushSize { get; set; } = 1000;

    /// <summary>New enforcements of all bans together in one sweep; a ban that would pass it is held.</summary>
    [Range(0, 1_000_000)]
    public int MaxNewEnforcementsPerSweep { get; set; } = 1000;

    /// <summary>Lifts every blast-radius cap. For a deliberate first enforcement of a large fleet; the report still says how many.</summary>
    public bool OverrideBlastRadius { get; set; }
}
