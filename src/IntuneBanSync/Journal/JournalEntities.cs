using System.Text.Encodings.Web;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace IntuneBanSync.Journal;

/// <summary>The keys and concurrency fields every journal row carries.</summary>
internal abstract class JournalEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
}

internal sealed class RunEntity : JournalEntity
{
    public string Trigger { get; set; } = "";
    public string Mode { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string Status { get; set; } = "";
    public int DevicesEvaluated { get; set; }
    public int OffendingDevices { get; set; }
    public int AffectedPeople { get; set; }
    public int ExemptDevices { get; set; }
    public int OutOfScopeDevices { get; set; }
    public int GraceDevices { get; set; }
    public int UnverifiedDevices { get; set; }
    public string? SummaryJson { get; set; }
    public bool SummaryTruncated { get; set; }
    public string? Error { get; set; }
}

internal sealed class FindingEntity : JournalEntity
{
    public string BanId { get; set; } = "";
    public string DeviceId { get; set; } = "";
    public string Decision { get; set; } = "";
    public string Reason { get; set; } = "";
    public string? AppName { get; set; }
    public string? AppVersion { get; set; }
    public string Platform { get; set; } = "";
    public string Ownership { get; set; } = "";
    public string? UserId { get; set; }
    public string? DeviceName { get; set; }
    public string? UserPrincipalName { get; set; }
}

internal sealed class DeviceStateEntity : JournalEntity
{
    public string BanId { get; set; } = "";
    public string DeviceId { get; set; } = "";
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
    public string LastDecision { get; set; } = "";
    public string? LastRunId { get; set; }
    public string? State { get; set; }
    public string? StateReason { get; set; }
    public DateTimeOffset? EnforcedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? EntraObjectId { get; set; }
    public string? Route { get; set; }
    public string? UserId { get; set; }
    public string? DeviceName { get; set; }
}

/// <summary>An intent or an outcome; <see cref="Kind"/> says which, and only that kind's columns are set.</summary>
internal sealed class AuditEntity : JournalEntity
{
    public string Kind { get; set; } = "";
    public string WriteId { get; set; } = "";
    public string BanId { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string? DeviceId { get; set; }
    public string? Action { get; set; }
    public string? Target { get; set; }
    public string? RunId { get; set; }
    public string? Result { get; set; }
    public string? Detail { get; set; }
}

internal sealed class BanResourcesEntity : JournalEntity
{
    public string GroupName { get; set; } = "";
    public string? GroupId { get; set; }
    public bool GroupCreatedByUs { get; set; }
    public bool WoundDown { get; set; }
    public string AppsJson { get; set; } = "[]";
}

/// <summary>The one place where journal records become entities and back.</summary>
internal static class JournalMapping
{
    /// <summary>A Table string holds 64 KiB of UTF-16; this leaves room to spare.</summary>
    public const int MaxSummaryLength = 32_000;

    /// <summary>
    /// Findings go 100 to a transaction, which may carry 4 MiB: text seen in the tenant is capped so that a
    /// hundred findings always fit, whatever a device or app is called.
    /// </summary>
    public const int MaxFindingTextLength = 1_024;

    private const string TruncationMarker = "…[truncated]";

    private static readonly JsonSerializerOptions ResourcesOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static readonly JsonSerializerOptions SummaryWrapperOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static RunEntity ToEntity(SweepRun run)
    {
        var key = JournalKeys.Run(run.Tenant, run.RunId);
        var (summary, truncated) = FitSummary(run.SummaryJson);
        return new RunEntity
        {
            PartitionKey = key.PartitionKey,
            RowKey = key.RowKey,
            Trigger = Cap(run.Trigger, MaxFindingTextLength),
            Mode = Cap(run.Mode, MaxFindingTextLength),
            StartedAt = run.StartedAt,
            EndedAt = run.EndedAt,
            Status = run.Status.ToString(),
            DevicesEvaluated = run.Counts.DevicesEvaluated,
            OffendingDevices = run.Counts.OffendingDevices,
            AffectedPeople = run.Counts.AffectedPeople,
            ExemptDevices = run.Counts.ExemptDevices,
            OutOfScopeDevices = run.Counts.OutOfScopeDevices,
            GraceDevices = run.Counts.GraceDevices,
            UnverifiedDevices = run.Counts.UnverifiedDevices,
            SummaryJson = summary,
            SummaryTruncated = truncated,
            Error = CapOrNull(run.Error, MaxSummaryLength),
        };
    }

    public static SweepRun ToRecord(RunEntity entity) => new(
        RunId: entity.RowKey,
        Tenant: entity.PartitionKey,
        Trigger: entity.Trigger,
        Mode: entity.Mode,
        StartedAt: entity.StartedAt,
        EndedAt: entity.EndedAt,
        Status: Enum.TryParse<SweepStatus>(entity.Status, ignoreCase: true, out var status)
            ? status
            : throw new InvalidDataException($"Run {entity.RowKey} of tenant {entity.PartitionKey} has the unknown status '{entity.Status}'."),
        Counts: new SweepCounts(
            entity.DevicesEvaluated,
            entity.OffendingDevices,
            entity.AffectedPeople,
            entity.ExemptDevices,
            entity.OutOfScopeDevices,
            entity.GraceDevices,
            entity.UnverifiedDevices),
        SummaryJson: entity.SummaryJson,
        Error: entity.Error);

    public static FindingEntity ToEntity(string tenant, string runId, Finding finding)
    {
        var key = JournalKeys.Finding(tenant, runId, finding.BanId, finding.DeviceId);
        return new FindingEntity
        {
            PartitionKey = key.PartitionKey,
            RowKey = key.RowKey,
            BanId = finding.BanId,
            DeviceId = finding.DeviceId,
            Decision = Cap(finding.Decision, MaxFindingTextLength),
            Reason = Cap(finding.Reason, MaxFindingTextLength),
            AppName = CapOrNull(finding.AppName, MaxFindingTextLength),
            AppVersion = CapOrNull(finding.AppVersion, MaxFindingTextLength),
            Platform = Cap(finding.Platform, MaxFindingTextLength),
            Ownership = Cap(finding.Ownership, MaxFindingTextLength),
            UserId = CapOrNull(finding.UserId, MaxFindingTextLength),
            DeviceName = CapOrNull(finding.DeviceName, MaxFindingTextLength),
            UserPrincipalName = CapOrNull(finding.UserPrincipalName, MaxFindingTextLength),
        };
    }

    public static Finding ToRecord(FindingEntity entity) => new(
        entity.BanId,
        entity.DeviceId,
        entity.Decision,
        entity.Reason,
        entity.AppName,
        entity.AppVersion,
        entity.Platform,
        entity.Ownership,
        entity.UserId,
        entity.DeviceName,
        entity.UserPrincipalName);

    public static DeviceStateEntity ToEntity(string tenant, DeviceBanState state)
    {
        var key = JournalKeys.DeviceState(tenant, state.BanId, state.DeviceId);
        return new DeviceStateEntity
        {
            PartitionKey = key.PartitionKey,
            RowKey = key.RowKey,
            BanId = state.BanId,
            DeviceId = state.DeviceId,
            FirstSeen = state.FirstSeen,
            LastSeen = state.LastSeen,
            LastDecision = Cap(state.LastDecision, MaxFindingTextLength),
            LastRunId = CapOrNull(state.LastRunId, MaxFindingTextLength),
            State = CapOrNull(state.State, MaxFindingTextLength),
            StateReason = CapOrNull(state.StateReason, MaxFindingTextLength),
            EnforcedAt = state.EnforcedAt,
            ResolvedAt = state.ResolvedAt,
            EntraObjectId = CapOrNull(state.EntraObjectId, MaxFindingTextLength),
            Route = CapOrNull(state.Route, MaxFindingTextLength),
            UserId = CapOrNull(state.UserId, MaxFindingTextLength),
            DeviceName = CapOrNull(state.DeviceName, MaxFindingTextLength),
        };
    }

    public static DeviceBanState ToRecord(DeviceStateEntity entity) => new(
        entity.BanId,
        entity.DeviceId,
        entity.FirstSeen,
        entity.LastSeen,
        entity.LastDecision,
        entity.LastRunId,
        entity.State,
        entity.StateReason,
        entity.EnforcedAt,
        entity.ResolvedAt,
        entity.EntraObjectId,
        entity.Route,
        entity.UserId,
        entity.DeviceName);

    public static AuditEntity ToEntity(string tenant, WriteIntent intent)
    {
        var key = JournalKeys.AuditIntent(tenant, intent.BanId, intent.WriteId);
        return new AuditEntity
        {
            PartitionKey = key.PartitionKey,
            RowKey = key.RowKey,
            Kind = JournalKeys.IntentKind,
            WriteId = intent.WriteId,
            BanId = intent.BanId,
            At = intent.At,
            DeviceId = intent.DeviceId,
            Action = Cap(intent.Action, MaxFindingTextLength),
            Target = Cap(intent.Target, MaxFindingTextLength),
            RunId = Cap(intent.RunId, MaxFindingTextLength),
        };
    }

    public static AuditEntity ToEntity(string tenant, WriteOutcome outcome)
    {
        var key = JournalKeys.AuditOutcome(tenant, outcome.BanId, outcome.WriteId);
        return new AuditEntity
        {
            PartitionKey = key.PartitionKey,
            RowKey = key.RowKey,
            Kind = JournalKeys.OutcomeKind,
            WriteId = outcome.WriteId,
            BanId = outcome.BanId,
            At = outcome.At,
            Result = Cap(outcome.Result, MaxFindingTextLength),
            Detail = CapOrNull(outcome.Detail, MaxFindingTextLength),
        };
    }

    public static WriteIntent ToIntent(AuditEntity entity) => new(
        entity.WriteId,
        entity.BanId,
        entity.DeviceId,
        entity.Action ?? "",
        entity.Target ?? "",
        entity.RunId ?? "",
        entity.At);

    public static WriteOutcome ToOutcome(AuditEntity entity) => new(entity.WriteId, entity.BanId, entity.Result ?? "", entity.Detail, entity.At);

    /// <summary>
    /// Ban resources name what a wind-down may delete, so they are stored exactly or not at all: a name or an app list
    /// too long for its column is refused rather than cut.
    /// </summary>
    public static BanResourcesEntity ToEntity(string tenant, BanResources resources)
    {
        var key = JournalKeys.BanResources(tenant, resources.BanId);
        var apps = JsonSerializer.Serialize(resources.Apps ?? [], ResourcesOptions);
        if (apps.Length > MaxSummaryLength)
        {
            throw new ArgumentException($"The apps of ban {resources.BanId} serialize to {apps.Length} characters; a journal column holds at most {MaxSummaryLength}.", nameof(resources));
        }

        if (resources.GroupName.Length > MaxFindingTextLength || resources.GroupId?.Length > MaxFindingTextLength)
        {
            throw new ArgumentException($"The group of ban {resources.BanId} has a name or id longer than {MaxFindingTextLength} characters.", nameof(resources));
        }

        return new BanResourcesEntity
        {
            PartitionKey = key.PartitionKey,
            RowKey = key.RowKey,
            GroupName = resources.GroupName,
            GroupId = resources.GroupId,
            GroupCreatedByUs = resources.GroupCreatedByUs,
            WoundDown = resources.WoundDown,
            AppsJson = apps,
        };
    }

    public static BanResources ToRecord(BanResourcesEntity entity) => new(
        entity.RowKey,
        entity.GroupName,
        entity.GroupId,
        entity.GroupCreatedByUs,
        JsonSerializer.Deserialize<List<BanAppResource>>(entity.AppsJson, ResourcesOptions)
            ?? throw new InvalidDataException($"Ban {entity.RowKey} of tenant {entity.PartitionKey} has no app list."),
        entity.WoundDown);

    /// <summary>
    /// A summary too large for one Table string is replaced by a JSON object holding its head, so that whoever
    /// reads SummaryJson can still parse it and sees that it was cut.
    /// </summary>
    public static (string? Json, bool Truncated) FitSummary(string? json)
    {
        if (json is null || json.Length <= MaxSummaryLength)
        {
            return (json, false);
        }

        // Escaping can lengthen the head several times over, so search for the longest head whose wrapper fits.
        var (fits, tooLong) = (0, MaxSummaryLength + 1);
        var wrapped = Wrap(json, 0);
        while (tooLong - fits > 1)
        {
            var middle = fits + ((tooLong - fits) / 2);
            var candidate = Wrap(json, middle);
            if (candidate.Length <= MaxSummaryLength)
            {
                (fits, wrapped) = (middle, candidate);
            }
            else
            {
                tooLong = middle;
            }
        }

        return (wrapped, true);
    }

    private static string Wrap(string json, int headLength) =>
        JsonSerializer.Serialize(new TruncatedSummary(true, json.Length, Head(json, headLength)), SummaryWrapperOptions);

    private sealed record TruncatedSummary(bool Truncated, int OriginalLength, string Head);

    private static string Cap(string value, int max) => value.Length <= max ? value : Head(value, max - TruncationMarker.Length) + TruncationMarker;

    private static string? CapOrNull(string? value, int max) => value is null ? null : Cap(value, max);

    /// <summary>Cuts at most <paramref name="length"/> characters without splitting a surrogate pair.</summary>
    private static string Head(string value, int length)
    {
        length = Math.Clamp(length, 0, value.Length);
        if (length > 0 && length < value.Length && char.IsHighSurrogate(value[length - 1]))
        {
            length--;
        }

        return value[..length];
    }
}
