using System.Security.Cryptography;
using System.Text.Json;
using IntuneBanSync.BanList;
using IntuneBanSync.Graph;
using IntuneBanSync.Inventory;
using IntuneBanSync.Journal;
using IntuneBanSync.Planning;
using IntuneBanSync.Reports;
using IntuneBanSync.Scope;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntuneBanSync.Sweeps;

/// <summary>
/// One sweep of one tenant: inventory (app → devices, streamed) → scope → a decision per (ban, device) → journal → report.
/// The CLI, the timer and the HTTP functions all call this.
/// </summary>
public sealed class SweepEngine(IIntuneGraph graph, JournalStore journal, TimeProvider time, SweepSettings settings, ILogger<SweepEngine> logger)
{
    /// <summary>An engine over the real Graph SDK, for callers without a DI container (the CLI, the demo, tests, the benchmark).</summary>
    public static SweepEngine Over(GraphOptions graph, JournalStore journal, TimeProvider time, SweepSettings? settings = null, ILogger<SweepEngine>? logger = null) =>
        new(new GraphIntune(GraphClientBuilder.Create(graph), graph), journal, time, settings ?? new SweepSettings(), logger ?? NullLogger<SweepEngine>.Instance);

    public async Task<SweepReport> RunAsync(SweepRequest request, IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        var startedAt = time.GetUtcNow();
        var asOf = request.AsOf ?? startedAt;
        var runId = NewRunId(startedAt);
        var banList = request.BanList;
        var problems = new List<string>();
        var modes = EffectiveModes(request, problems);
        var mode = request.ModeOverride?.ToString().ToLowerInvariant() ?? (modes.Values.Contains("enforce") ? "enforce" : "report");

        // An unknown device is the caller's mistake, not a failed run: nothing is journaled for it.
        var targetDevice = request.Target.Device is { } deviceId
            ? await graph.DeviceAsync(deviceId, ct) ?? throw new TargetNotFoundException($"No managed device has id {deviceId}.")
            : null;

        await journal.EnsureCreatedAsync(ct);
        var run = new SweepRun(runId, request.Tenant, request.Trigger, mode, startedAt, null, SweepStatus.Running, SweepCounts.Empty);
        await journal.SaveRunAsync(run, ct);
        SweepLog.Started(logger, runId, request.Tenant, request.Target.ToString(), mode);

        try
        {
            var coverage = new InventoryCoverage();
            var seen = request.Target.IsWholeTenant ? await ReadTenantInventoryAsync(runId, banList, coverage, progress, ct) : [];
            var groups = await ReadGroupsAsync(runId, banList, coverage, progress, ct);
            var planner = new BanPlanner(banList, groups, coverage, asOf, TimeSpan.FromDays(settings.InventoryMaxAgeDays));
            var report = new ReportBuilder(banList.Bans, modes);
            var states = new Dictionary<string, IReadOnlyDictionary<string, DeviceBanState>>();
            foreach (var ban in banList.Bans)
                states[ban.Id] = await journal.GetDeviceStatesAsync(request.Tenant, ban.Id, ct);

            var findings = new List<Finding>();
            var newStates = new List<DeviceBanState>();
            var devicesRead = true;
            var evaluated = 0;
            try
            {
                await foreach (var device in DevicesAsync(request.Target, targetDevice, ct))
                {
                    var sightings = request.Target.IsWholeTenant
                        ? seen.GetValueOrDefault(device.Id) ?? []
                        : await ReadDeviceInventoryAsync(runId, banList, device, coverage, ct);
                    var decisions = new List<Decision>(banList.Bans.Count);
                    foreach (var ban in banList.Bans)
                    {
                        var apps = sightings.Where(s => s.Ban.Id == ban.Id).Select(s => s.App).ToList();
                        var decision = planner.Decide(ban, new DeviceObservation(device, apps));
                        decisions.Add(decision);
                        if (IsWorthJournaling(decision, apps))
                            findings.Add(FindingOf(decision, device, apps));
                        if (apps.Count > 0)
                            newStates.Add(StateOf(states[ban.Id].GetValueOrDefault(device.Id), decision, runId, startedAt));
                    }

                    report.Add(device, decisions);
                    if (++evaluated % 500 == 0)
                        progress?.Report(new SweepProgress("Evaluating devices", evaluated));
                    if (findings.Count >= settings.FindingsFlushSize)
                    {
                        await journal.AppendFindingsAsync(request.Tenant, runId, findings, ct);
                        findings.Clear();
                    }
                }
            }
            catch (GraphReadException e)
            {
                devicesRead = false;
                problems.Add(e.Message);
                SweepLog.ReadFailed(logger, e, runId, e.What);
            }

            progress?.Report(new SweepProgress("Writing the journal", evaluated));
            await journal.AppendFindingsAsync(request.Tenant, runId, findings, ct);
            await journal.SaveDeviceStatesAsync(request.Tenant, newStates, ct);

            problems.InsertRange(0, coverage.Problems);
            var status = coverage.IsComplete && devicesRead && groups.Unreadable.Count == 0 ? SweepStatus.Completed : SweepStatus.Incomplete;
            var endedAt = time.GetUtcNow();
            var result = report.Build(runId, request.Tenant, request.Trigger, mode, status, startedAt, endedAt, asOf, [], problems);
            await journal.SaveRunAsync(
                run with { EndedAt = endedAt, Status = status, Counts = result.Counts, SummaryJson = JsonSerializer.Serialize(result, ReportJson.Options) },
                ct);
            SweepLog.Ended(logger, runId, status.ToString(), result.DevicesEvaluated, result.OffendingDevices, result.AffectedPeople);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SweepLog.Failed(logger, e, runId);
            await journal.SaveRunAsync(run with { EndedAt = time.GetUtcNow(), Status = SweepStatus.Failed, Error = e.Message }, CancellationToken.None);
            throw;
        }
    }

    /// <summary>detectedApps is paged and matched by name here: Graph has no bundle id on it and ignores $filter.</summary>
    private async Task<Dictionary<string, List<(Ban Ban, DetectedAppRecord App)>>> ReadTenantInventoryAsync(
        string runId, BanListDocument banList, InventoryCoverage coverage, IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        var matcher = new AppNameMatcher(banList);
        var matched = new List<(DetectedAppRecord App, IReadOnlyList<Ban> Bans)>();
        var scanned = 0;
        try
        {
            await foreach (var app in graph.DetectedAppsAsync(ct))
            {
                var bans = matcher.BansMatching(app.DisplayName);
                if (bans.Count > 0)
                    matched.Add((app, bans));
                if (++scanned % 1000 == 0)
                    progress?.Report(new SweepProgress("Reading detected apps", scanned));
            }
        }
        catch (GraphReadException e)
        {
            coverage.DetectedAppsListFailed(e.Message);
            SweepLog.ReadFailed(logger, e, runId, e.What);
        }

        SweepLog.AppsMatched(logger, runId, matched.Count);
        var seen = new Dictionary<string, List<(Ban, DetectedAppRecord)>>(StringComparer.OrdinalIgnoreCase);
        var listed = 0;
        foreach (var (app, bans) in matched)
        {
            try
            {
                await foreach (var device in graph.DevicesWithAppAsync(app.Id, ct))
                {
                    if (!seen.TryGetValue(device.Id, out var list))
                        seen[device.Id] = list = [];
                    list.AddRange(bans.Select(b => (b, app)));
                }
            }
            catch (GraphReadException e)
            {
                SweepLog.ReadFailed(logger, e, runId, e.What);
                var platforms = DeviceClassification.PlatformOfDetectedApp(app.Platform) is { } p ? [p] : Enum.GetValues<DevicePlatform>();
                foreach (var ban in bans)
                    foreach (var platform in platforms)
                        coverage.AppListingFailed(ban.Id, platform, $"{e.Message} ('{app.DisplayName}' {app.Version})");
            }

            progress?.Report(new SweepProgress("Listing devices with banned apps", ++listed));
        }

        return seen;
    }

    private async Task<List<(Ban Ban, DetectedAppRecord App)>> ReadDeviceInventoryAsync(
        string runId, BanListDocument banList, DeviceRecord device, InventoryCoverage coverage, CancellationToken ct)
    {
        var matcher = new AppNameMatcher(banList);
        var sightings = new List<(Ban, DetectedAppRecord)>();
        try
        {
            await foreach (var app in graph.DetectedAppsOfDeviceAsync(device.Id, ct))
                sightings.AddRange(matcher.BansMatching(app.DisplayName).Select(b => (b, app)));
        }
        catch (GraphReadException e)
        {
            SweepLog.ReadFailed(logger, e, runId, e.What);
            if (DeviceClassification.PlatformOf(device.OperatingSystem) is { } platform)
                foreach (var ban in banList.Bans)
                    coverage.AppListingFailed(ban.Id, platform, e.Message);
        }

        return sightings;
    }

    private async Task<GroupDirectory> ReadGroupsAsync(
        string runId, BanListDocument banList, InventoryCoverage coverage, IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        var members = new List<GroupMembers>();
        var unreadable = new Dictionary<string, string>();
        foreach (var group in GroupDirectory.GroupsNamedBy(banList))
        {
            try
            {
                members.Add(await graph.TransitiveMembersAsync(group, ct));
            }
            catch (GraphReadException e)
            {
                SweepLog.ReadFailed(logger, e, runId, e.What);
                unreadable[group] = e.Message;
                coverage.Problems.Add(e.Message);
            }

            progress?.Report(new SweepProgress("Reading scope groups", members.Count + unreadable.Count));
        }

        return new GroupDirectory(members, unreadable);
    }

    private async IAsyncEnumerable<DeviceRecord> DevicesAsync(
        SweepTarget target, DeviceRecord? targetDevice, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (targetDevice is not null)
        {
            yield return targetDevice;
            yield break;
        }

        var devices = target.User is { } user ? graph.DevicesOfUserAsync(user, ct) : graph.ManagedDevicesAsync(ct);
        await foreach (var device in devices)
            yield return device;
    }

    /// <summary>Only what an administrator must look at: clean devices and devices outside a ban with nothing seen are counted, not listed.</summary>
    private static bool IsWorthJournaling(Decision decision, IReadOnlyList<DetectedAppRecord> apps) =>
        decision.Kind switch
        {
            DecisionKind.Clean => false,
            DecisionKind.OutOfScope or DecisionKind.BanNotActive => apps.Count > 0,
            _ => true,
        };

    private static Finding FindingOf(Decision decision, DeviceRecord device, IReadOnlyList<DetectedAppRecord> apps) =>
        new(
            decision.BanId, device.Id, decision.Kind.ToString(), decision.Reason,
            apps.FirstOrDefault()?.DisplayName, apps.FirstOrDefault()?.Version,
            ReportBuilder.PlatformLabel(device), ReportBuilder.OwnershipLabel(device),
            device.UserId, device.DeviceName, device.UserPrincipalName);

    private static DeviceBanState StateOf(DeviceBanState? previous, Decision decision, string runId, DateTimeOffset now) =>
        new(decision.BanId, decision.DeviceId, previous?.FirstSeen ?? now, now, decision.Kind.ToString(), runId);

    private static Dictionary<string, string> EffectiveModes(SweepRequest request, List<string> problems)
    {
        var modes = new Dictionary<string, string>();
        foreach (var ban in request.BanList.Bans)
        {
            var mode = request.ModeOverride ?? ban.Enforcement;
            if (mode == EnforcementMode.Enforce)
                problems.Add($"Ban '{ban.Id}' is set to enforce, but enforcement is not available in this version: it ran in report mode.");
            modes[ban.Id] = "report";
        }

        return modes;
    }

    private static string NewRunId(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}

public sealed class TargetNotFoundException(string message) : Exception(message);
