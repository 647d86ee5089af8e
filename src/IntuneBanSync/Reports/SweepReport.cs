using IntuneBanSync.Journal;

namespace IntuneBanSync.Reports;

/// <summary>What a sweep found. Serialized as the CLI's --json output and the HTTP function's answer.</summary>
public sealed record SweepReport(
    string RunId,
    string Tenant,
    string Trigger,
    string Mode,
    SweepStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    DateTimeOffset AsOf,
    int DevicesEvaluated,
    int OffendingDevices,
    int AffectedPeople,
    int ExemptDevices,
    int OutOfScopeDevices,
    int GraceDevices,
    int UnverifiedDevices,
    int CleanDevices,
    int BanNotActiveDevices,
    IReadOnlyList<BreakdownRow> ByPlatformAndOwnership,
    IReadOnlyList<BanReport> Bans,
    IReadOnlyList<WriteRecord> Writes,
    IReadOnlyList<string> Problems)
{
    public SweepCounts Counts => new(DevicesEvaluated, OffendingDevices, AffectedPeople, ExemptDevices, OutOfScopeDevices, GraceDevices, UnverifiedDevices);
}

/// <summary>Devices of one platform and ownership, counted once each by their most pressing decision.</summary>
public sealed record BreakdownRow(
    string Platform,
    string Ownership,
    int Devices,
    int Offending,
    int Grace,
    int Exempt,
    int Unverified,
    int Clean,
    int OutOfScope,
    int BanNotActive);

public sealed record BanReport(
    string BanId,
    string Name,
    string Mode,
    bool Active,
    int Offending,
    int AffectedPeople,
    int Grace,
    int Exempt,
    int Unverified,
    int Clean,
    int OutOfScope,
    int BanNotActive,
    IReadOnlyList<BreakdownRow> ByPlatformAndOwnership,
    IReadOnlyDictionary<string, int> UnverifiedReasons,
    IReadOnlyDictionary<string, int> OutOfScopeReasons);

/// <summary>One write sent to the tenant (none in report mode).</summary>
public sealed record WriteRecord(string BanId, string Action, string Target, string Result);
