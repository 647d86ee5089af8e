namespace IntuneBanSync.Enforcement.Remediation;

/// <summary>
/// One device's last run of a remediation, as beta <c>deviceHealthScripts/{id}/deviceRunStates</c> answers it
/// (deviceHealthScriptDeviceState: detectionState is a runState — unknown, success, fail, scriptError, pending, notApplicable —
/// and remediationState a remediationState — unknown, skipped, success, remediationFailed, scriptError).
/// </summary>
public sealed record RemediationRunState(
    string DeviceId,
    string? DetectionState,
    string? RemediationState,
    DateTimeOffset? LastStateUpdate,
    string? PreRemediationOutput = null,
    string? PreRemediationError = null,
    string? RemediationError = null,
    string? PostRemediationOutput = null,
    string? PostRemediationError = null)
{
    private const int MaxReasonText = 300;

    /// <summary>A run state as Graph answers it (with <c>$expand=managedDevice($select=id)</c>); null when it names no device.</summary>
    public static RemediationRunState? FromJson(JsonElement item)
    {
        var deviceId = item.TryGetProperty("managedDevice", out var device) && device.ValueKind == JsonValueKind.Object && Text(device, "id") is { Length: > 0 } id
            ? id
            // The key is "{scriptId}:{managedDeviceId}" when the device is not expanded.
            : Text(item, "id")?.Split(':') is [_, { Length: > 0 } fromKey] ? fromKey : null;
        if (deviceId is null)
            return null;
        var updated = Text(item, "lastStateUpdateDateTime") is { } at && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : (DateTimeOffset?)null;
        return new(
            deviceId, Text(item, "detectionState"), Text(item, "remediationState"), updated,
            Text(item, "preRemediationDetectionScriptOutput"), Text(item, "preRemediationDetectionScriptError"), Text(item, "remediationScriptError"),
            Text(item, "postRemediationDetectionScriptOutput"), Text(item, "postRemediationDetectionScriptError"));
    }

    /// <summary>
    /// What the run proves about an offending device. <paramref name="notBefore"/>: runs older than this belong to an earlier
    /// offence (the device was resolved since) and prove nothing now. <paramref name="removedBefore"/>: this remediation removed
    /// the app from the device earlier in the same offence, so a clean detection confirms it.
    /// </summary>
    public static (Reach Reach, string Reason) Judge(RemediationRunState? run, DateTimeOffset? notBefore, bool removedBefore)
    {
        if (run is null || (notBefore is { } since && (run.LastStateUpdate is null || run.LastStateUpdate < since)))
            return (Reach.Pending, "assigned hourly; the device has not reported a run of the remediation yet");
        var at = run.LastStateUpdate is { } t ? t.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "an unknown time";
        return (Is(run.DetectionState), Is(run.RemediationState)) switch
        {
            (_, "success") => (Reach.Removed, $"the remediation removed it at {at}{Said(run.PreRemediationOutput)}"),
            (_, "remediationfailed" or "scripterror") =>
                (Reach.Failed, $"the remediation failed at {at}: {Shown(run.RemediationError ?? run.PostRemediationError ?? run.PostRemediationOutput) ?? "it wrote no error"}"),
            ("scripterror", _) => (Reach.Failed, $"the detection script failed at {at}: {Shown(run.PreRemediationError) ?? "it wrote no error"}"),
            ("success", _) when removedBefore => (Reach.Removed, $"removed; the detection found none of the ban's apps again at {at}"),
            ("success", _) => (Reach.Pending,
                $"the remediation's detection found none of the ban's apps at {at}, yet the inventory still lists the app: either the inventory " +
                "is older than the run, or the copy is one the script does not match (not an AppX/MSIX package, or under another name)"),
            ("fail", _) => (Reach.Pending, $"the detection found the app at {at}; the remediation has not reported yet"),
            ("notapplicable", _) => (Reach.Pending, $"the device reported the remediation as not applicable at {at}"),
            _ => (Reach.Pending, "assigned hourly; the device has not reported a run of the remediation yet"),
        };
    }

    private static string? Is(string? state) => state?.Trim().ToLowerInvariant();

    private static string Said(string? output) => Shown(output) is { } text ? $" ({text})" : "";

    private static string? Shown(string? text) => string.IsNullOrWhiteSpace(text) ? null : PlainText.Visible(text.Trim(), MaxReasonText);

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
