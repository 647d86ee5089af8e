using System.Text;
using System.Text.Json;

namespace IntuneBanSync.TenantSimulator;

/// <summary>One device's last run of a remediation (beta deviceHealthScriptDeviceState).</summary>
public sealed record RemediationRun(
    string ScriptId,
    string DeviceId,
    string DetectionState,
    string RemediationState,
    DateTimeOffset LastStateUpdate,
    string? PreRemediationOutput,
    string? RemediationError,
    string? PostRemediationOutput);

/// <summary>
/// What a remediation does on a Windows device, without running PowerShell: the simulator reads what the detection script targets
/// from its <c># IntuneBanSync-Targets: {json}</c> comment line (displayNames, identifiers) and takes every app installed on the
/// device, whoever installed it, as an AppX package the script sees. A script without that line is never run. Detection finds an
/// app whose display name (trimmed, case-insensitive) or identifier equals a target: detectionState "fail" (the runState Graph
/// documents for an issue found), then the remediation removes it ("success"); nothing found: "success", remediation "skipped".
/// Runs on each check-in of a device an assignment reaches (the hourly schedule, compressed) and at once on an on-demand request.
/// </summary>
public sealed class RemediationRuns : ICheckInEffect
{
    public const string Collection = "deviceHealthScripts";
    private const string MarkerPrefix = "# IntuneBanSync-Targets: ";

    private readonly TenantState state;
    private readonly Dictionary<(string ScriptId, string DeviceId), RemediationRun> runs = [];
    private readonly Dictionary<string, string> failing = new(StringComparer.OrdinalIgnoreCase);

    internal RemediationRuns(TenantState state) => this.state = state;

    /// <summary>Every run so far (ground truth for tests).</summary>
    public IReadOnlyList<RemediationRun> Runs
    {
        get
        {
            lock (state.Gate)
                return [.. runs.Values];
        }
    }

    /// <summary>From now on the remediation fails on this device with this error (what a locked package or a policy would cause).</summary>
    public void FailOn(string deviceId, string error)
    {
        lock (state.Gate)
            failing[deviceId] = error;
    }

    internal IReadOnlyList<RemediationRun> Of(string scriptId) => [.. runs.Values.Where(r => string.Equals(r.ScriptId, scriptId, StringComparison.OrdinalIgnoreCase))];

    (ManagedDevice Device, IReadOnlyList<InstalledApp> Removed) ICheckInEffect.Apply(ManagedDevice device, DateTimeOffset now)
    {
        var removed = new List<InstalledApp>();
        foreach (var script in state.Policies.OfUnlocked(Collection).ToList())
        {
            if (script.Assignments.Count == 0 || !AssignmentTargets.Reaches(state, script.Targets, device))
                continue;
            var remediate = script.Assignments.Any(a => a["runRemediationScript"] is JsonValue v && v.TryGetValue<bool>(out var yes) && yes);
            (device, var gone) = Run(script, device, remediate, now);
            removed.AddRange(gone);
        }

        return (device, removed);
    }

    /// <summary>Runs the script on the device (call under the tenant's gate); the device as it is left and the apps removed.</summary>
    internal (ManagedDevice Device, IReadOnlyList<InstalledApp> Removed) Run(PolicyEntity script, ManagedDevice device, bool remediate, DateTimeOffset now)
    {
        if (AppCatalog.PlatformOf(device.OperatingSystem) != AppPlatform.Windows || Targets(script) is not { } targets)
            return (device, []);
        var found = device.InstalledApps.Where(app => targets.Matches(app)).ToList();
        var pre = found.Count == 0 ? "None of the banned apps is installed." : $"Banned apps found: {string.Join(", ", found.Select(a => a.DisplayName))}";
        RemediationRun run;
        if (found.Count == 0)
        {
            run = new(script.Id, device.Id, "success", "skipped", now, pre, null, null);
        }
        else if (!remediate)
        {
            run = new(script.Id, device.Id, "fail", "skipped", now, pre, null, null);
            found = [];
        }
        else if (failing.TryGetValue(device.Id, out var error))
        {
            run = new(script.Id, device.Id, "fail", "remediationFailed", now, pre, error, pre);
            found = [];
        }
        else
        {
            run = new(script.Id, device.Id, "fail", "success", now, pre, null, "None of the banned apps is installed.");
            device = device with { InstalledApps = [.. device.InstalledApps.Except(found)] };
        }

        runs[(script.Id, device.Id)] = run;
        return (device, found);
    }

    private static ScriptTargets? Targets(PolicyEntity script)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(script.Text("detectionScriptContent") ?? ""));
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(MarkerPrefix, StringComparison.Ordinal));
            if (line is null || JsonNode.Parse(line[MarkerPrefix.Length..]) is not JsonObject marker)
                return null;
            return new ScriptTargets(Strings(marker["displayNames"]), Strings(marker["identifiers"]));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static HashSet<string> Strings(JsonNode? node) =>
        node is JsonArray items ? items.Select(i => i?.GetValue<string>().Trim()).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase) : [];

    private sealed record ScriptTargets(IReadOnlySet<string> DisplayNames, IReadOnlySet<string> Identifiers)
    {
        public bool Matches(InstalledApp app) =>
            DisplayNames.Contains(app.DisplayName.Trim()) || (app.Identifier is { } id && Identifiers.Contains(id));
    }
}
