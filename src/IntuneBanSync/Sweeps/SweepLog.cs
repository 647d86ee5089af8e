using Microsoft.Extensions.Logging;

namespace IntuneBanSync.Sweeps;

internal static partial class SweepLog
{
    [LoggerMessage(1, LogLevel.Information, "Sweep {RunId} of tenant {Tenant} ({Target}, {Mode}) started")]
    public static partial void Started(ILogger logger, string runId, string tenant, string target, string mode);

    [LoggerMessage(2, LogLevel.Information, "Sweep {RunId} found {Apps} detected apps matching a ban")]
    public static partial void AppsMatched(ILogger logger, string runId, int apps);

    [LoggerMessage(3, LogLevel.Warning, "Sweep {RunId} could not read {What}; nothing there is treated as clean")]
    public static partial void ReadFailed(ILogger logger, Exception exception, string runId, string what);

    [LoggerMessage(4, LogLevel.Information, "Sweep {RunId} ended {Status}: {Devices} devices, {Offending} offending, {People} people")]
    public static partial void Ended(ILogger logger, string runId, string status, int devices, int offending, int people);

    [LoggerMessage(5, LogLevel.Error, "Sweep {RunId} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string runId);
}
