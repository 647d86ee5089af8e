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

    [LoggerMessage(6, LogLevel.Warning, "Sweep {RunId} stopped enforcing ban {BanId} with {Mechanism}: {Reason}")]
    public static partial void MechanismStopped(ILogger logger, string runId, string banId, string mechanism, string reason);

    [LoggerMessage(7, LogLevel.Warning, "Sweep {RunId} was cancelled; the run is marked cancelled")]
    public static partial void Cancelled(ILogger logger, string runId);

    [LoggerMessage(8, LogLevel.Error, "Sweep {RunId} passed its deadline of {Deadline} during {Phase} and ends incomplete")]
    public static partial void DeadlinePassed(ILogger logger, string runId, TimeSpan deadline, string phase);

    [LoggerMessage(9, LogLevel.Debug, "Sweep {RunId}: {Step} took {Milliseconds} ms")]
    public static partial void StepTook(ILogger logger, string runId, string step, long milliseconds);

    [LoggerMessage(10, LogLevel.Debug, "Sweep {RunId} listed the managed devices in {Slices} slices of lastSyncDateTime")]
    public static partial void DevicesSliced(ILogger logger, string runId, int slices);

    [LoggerMessage(11, LogLevel.Warning, "Sweep {RunId} lists the managed devices whole: Intune did not answer the lastSyncDateTime slices as asked ({Reason})")]
    public static partial void DeviceSlicesRefused(ILogger logger, string runId, string reason);
}

/// <summary>One sweep's logger and run id, handed to the parts of a sweep so every line names its run.</summary>
public sealed class SweepTrace(ILogger logger, string runId)
{
    public string RunId { get; } = runId;

    public void ReadFailed(GraphReadException e) => SweepLog.ReadFailed(logger, e, RunId, PlainText.Strip(e.What));

    public void AppsMatched(int count) => SweepLog.AppsMatched(logger, RunId, count);

    public void DevicesSliced(int slices) => SweepLog.DevicesSliced(logger, RunId, slices);

    public void DeviceSlicesRefused(string reason) => SweepLog.DeviceSlicesRefused(logger, RunId, PlainText.Strip(reason));

    public void MechanismStopped(string banId, string mechanism, string reason) =>
        SweepLog.MechanismStopped(logger, RunId, banId, mechanism, PlainText.Strip(reason));

    /// <summary>Logs at Debug how long a step took when the returned scope ends: where a slow sweep spends its time.</summary>
    public IDisposable Step(string step) => new StepScope(logger, RunId, step, System.Diagnostics.Stopwatch.GetTimestamp());

    private sealed class StepScope(ILogger logger, string runId, string step, long started) : IDisposable
    {
        public void Dispose() => SweepLog.StepTook(logger, runId, step, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
