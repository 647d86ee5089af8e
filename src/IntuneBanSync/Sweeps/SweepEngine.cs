using System.Security.Cryptography;
using System.Text.Json;
using IntuneBanSync.BanList;
using IntuneBanSync.Enforcement;
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
public sealed class SweepEngine(
    IIntuneGraph graph, IEnforcementGraph enforcement, JournalStore journal, TimeProvider time, SweepSettings settings, ILogger<SweepEngine> logger)
{
    /// <summary>An engine over the real Graph SDK, for callers without a DI container (the CLI, the demo, tests, the benchmark).</summary>
    public static SweepEngine Over(
        GraphOptions graph, JournalStore journal, TimeProvider time, SweepSettings? settings = null, ILogger<SweepEngine>? logger = null, HttpMessageHandler? finalHandler = null)
    {
        var client = GraphClientBuilder.Create(graph, finalHandler: finalHandler);
        return new(new GraphIntune(client, graph), new GraphEnforcement(client, graph), journal, time, settings ?? new SweepSettings(), logger ?? NullLogger<SweepEngine>.Instance);
    }

    public async Task<SweepReport> RunAsync(SweepRequest request, IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        var startedAt = time.GetUtcNow();
        var asOf = request.AsOf ?? startedAt;
        var runId = request.RunId ?? NewRunId(startedAt);
        var banList = request.BanList;
        var problems = new List<string>();
        var modes = EffectiveModes(request);
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
            // One user's or device's sweep asks Graph about those devices only, so its cost does not grow with the tenant.
            var targetDevices = request.Target.IsWholeTenant ? null : await TargetDevicesAsync(request.Target, targetDevice, ct);
            var groups = targetDevices is null
                ? await ReadGroupsAsync(runId, banList, coverage, progress, ct)
                : await ReadGroupsOfAsync(runId, banList, targetDevices, coverage, ct);
            var planner = new BanPlanner(banList, groups, coverage, asOf, TimeSpan.FromDays(settings.InventoryMaxAgeDays));
            var report = new ReportBuilder(banList.Bans, modes);
            var states = new Dictionary<string, IReadOnlyDictionary<string, DeviceBanState>>();
            foreach (var ban in banList.Bans)
                states[ban.Id] = await journal.GetDeviceStatesAsync(request.Tenant, ban.Id, ct);

            var findings = new List<Finding>();
            var banSweeps = banList.Bans.ToDictionary(b => b.Id, b => new BanSweep(b));
            var devicesRead = true;
            var evaluated = 0;
            try
            {
                await foreach (var device in targetDevices?.ToAsyncEnumerable() ?? graph.ManagedDevicesAsync(ct))
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
                        Gather(banSweeps[ban.Id], states[ban.Id], device, decision, apps);
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

            var log = new WriteLog(journal, request.Tenant, runId, time);
            var enforced = await EnforceAsync(request, banSweeps, states, modes, log, problems, asOf, progress, ct);
            var newStates = NextStates(banSweeps, states, enforced, coverage, runId, startedAt);
            await journal.SaveDeviceStatesAsync(request.Tenant, newStates, ct);

            problems.InsertRange(0, coverage.Problems);
            var readFailed = !coverage.IsComplete || !devicesRead || groups.Unreadable.Count > 0 || enforced.Values.Any(e => e.Stopped?.StartsWith("could not read", StringComparison.Ordinal) == true);
            var status = readFailed ? SweepStatus.Incomplete : enforced.Values.Any(e => e.Held is not null) ? SweepStatus.Held : SweepStatus.Completed;
            var endedAt = time.GetUtcNow();
            var result = report.Build(runId, request.Tenant, request.Trigger, mode, status, startedAt, endedAt, asOf, log.Writes, problems);
            result = EnforcementReport.Add(result, banList, enforced, newStates.Concat(UnchangedStates(states, newStates)).ToList(), asOf);
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

    private async Task<List<DeviceRecord>> TargetDevicesAsync(SweepTarget target, DeviceRecord? targetDevice, CancellationToken ct) =>
        targetDevice is not null ? [targetDevice] : await graph.DevicesOfUserAsync(target.User!, ct).ToListAsync(ct);

    /// <summary>The groups of the ban list, as far as these devices are concerned: checkMemberGroups per user and per Entra device.</summary>
    private async Task<GroupDirectory> ReadGroupsOfAsync(
        string runId, BanListDocument banList, IReadOnlyList<DeviceRecord> devices, InventoryCoverage coverage, CancellationToken ct)
    {
        var groupIds = GroupDirectory.GroupsNamedBy(banList).ToList();
        var unreadable = new Dictionary<string, string>();
        var users = groupIds.ToDictionary(g => g, _ => new HashSet<string>(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        var entraDevices = groupIds.ToDictionary(g => g, _ => new HashSet<string>(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        if (groupIds.Count > 0)
        {
            try
            {
                foreach (var userId in devices.Select(d => d.UserId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
                    foreach (var group in await graph.GroupsOfUserAsync(userId, groupIds, ct))
                        users[group].Add(userId);
                foreach (var entraId in devices.Select(d => d.AzureAdDeviceId).Where(id => Guid.TryParse(id, out var g) && g != Guid.Empty).OfType<string>())
                    foreach (var group in await graph.GroupsOfDeviceAsync(entraId, groupIds, ct))
                        entraDevices[group].Add(entraId);
            }
            catch (GraphReadException e)
            {
                SweepLog.ReadFailed(logger, e, runId, e.What);
                foreach (var group in groupIds)
                    unreadable[group] = e.Message;
                coverage.Problems.Add(e.Message);
            }
        }

        return new GroupDirectory(
            groupIds.Where(g => !unreadable.ContainsKey(g)).Select(g => new GroupMembers(g, users[g], entraDevices[g])),
            unreadable);
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

    /// <summary>Keeps, for enforcement and the lifecycle, the devices of a ban that matter: seen with the app, or already known to the journal.</summary>
    private static void Gather(BanSweep sweep, IReadOnlyDictionary<string, DeviceBanState> states, DeviceRecord device, Decision decision, List<DetectedAppRecord> apps)
    {
        if (decision.Kind is DecisionKind.Offending or DecisionKind.Grace or DecisionKind.Exempt or DecisionKind.Unverified or DecisionKind.Clean)
            sweep.InScopeDevices++;
        if (apps.Count > 0 || states.ContainsKey(device.Id))
            sweep.Devices[device.Id] = new BanObservation(device, decision, apps);
    }

    /// <summary>Only bans in enforce mode write; a report sweep sends nothing to the tenant.</summary>
    private async Task<Dictionary<string, BanEnforcementResult>> EnforceAsync(
        SweepRequest request, Dictionary<string, BanSweep> banSweeps, Dictionary<string, IReadOnlyDictionary<string, DeviceBanState>> states,
        Dictionary<string, string> modes, WriteLog log, List<string> problems, DateTimeOffset asOf, IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        var results = new Dictionary<string, BanEnforcementResult>();
        if (request.ModeOverride == EnforcementMode.Report || !request.Target.IsWholeTenant)
            return results;

        var enforcer = new BanEnforcer(enforcement, journal, log, request.Tenant);
        var policy = new EnforcementPolicy(request.OverrideBlastRadius || settings.OverrideBlastRadius, settings.MaxNewEnforcementsPerSweep);
        var budget = new EnforcementBudget(settings.MaxNewEnforcementsPerSweep);
        var resources = (await journal.ListBanResourcesAsync(request.Tenant, ct)).ToDictionary(r => r.BanId);
        foreach (var ban in request.BanList.Bans.Where(b => modes[b.Id] == "enforce"))
        {
            progress?.Report(new SweepProgress($"Enforcing {ban.Name}", results.Count));
            results[ban.Id] = await GuardedAsync(ban.Id, problems, () =>
                asOf >= ban.ExpiresOn
                    ? resources.TryGetValue(ban.Id, out var created) && !created.WoundDown
                        ? enforcer.WindDownAsync(ban.Id, created, ct)
                        : Task.FromResult(BanEnforcementResult.Nothing(ban.Id))
                    : ban.IsActiveAt(asOf)
                        ? enforcer.EnforceAsync(banSweeps[ban.Id], states[ban.Id], policy, budget, ct)
                        : Task.FromResult(BanEnforcementResult.Nothing(ban.Id)));
            if (results[ban.Id].Held is { } held)
                problems.Add($"Ban '{ban.Id}' {held}.");
            if (results[ban.Id].Stopped is { } stopped)
                problems.Add($"Ban '{ban.Id}' stopped: {stopped}");
        }

        // A ban that left the list takes with it what we created for it.
        foreach (var gone in resources.Values.Where(r => !r.WoundDown && request.BanList.FindBan(r.BanId) is null))
            results[gone.BanId] = await GuardedAsync(gone.BanId, problems, () => enforcer.WindDownAsync(gone.BanId, gone, ct));
        return results;
    }

    /// <summary>A read that fails during enforcement stops that ban for this sweep and changes no state.</summary>
    private async Task<BanEnforcementResult> GuardedAsync(string banId, List<string> problems, Func<Task<BanEnforcementResult>> enforce)
    {
        try
        {
            return await enforce();
        }
        catch (GraphReadException e)
        {
            SweepLog.ReadFailed(logger, e, banId, e.What);
            return new BanEnforcementResult(banId, null, $"could not read {e.What}; nothing changed for this ban", new Dictionary<string, DeviceEnforcement>());
        }
    }

    private static List<DeviceBanState> NextStates(
        Dictionary<string, BanSweep> banSweeps, Dictionary<string, IReadOnlyDictionary<string, DeviceBanState>> states,
        Dictionary<string, BanEnforcementResult> enforced, InventoryCoverage coverage, string runId, DateTimeOffset now)
    {
        var next = new List<DeviceBanState>();
        foreach (var (banId, sweep) in banSweeps)
        {
            var results = enforced.GetValueOrDefault(banId);
            var stopped = results?.Stopped is not null;
            foreach (var observation in sweep.Devices.Values)
            {
                var previous = states[banId].GetValueOrDefault(observation.Device.Id);
                var platform = DeviceClassification.PlatformOf(observation.Device.OperatingSystem);
                var proven = platform is { } p && coverage.CanProveAbsence(banId, p);
                var state = stopped ? previous : DeviceLifecycle.Next(previous, observation, results?.Devices.GetValueOrDefault(observation.Device.Id), proven, runId, now);
                if (state is not null && state != previous)
                    next.Add(state);
            }
        }

        return next;
    }

    private static IEnumerable<DeviceBanState> UnchangedStates(
        Dictionary<string, IReadOnlyDictionary<string, DeviceBanState>> states, List<DeviceBanState> changed)
    {
        var keys = changed.Select(s => (s.BanId, s.DeviceId)).ToHashSet();
        return states.Values.SelectMany(s => s.Values).Where(s => !keys.Contains((s.BanId, s.DeviceId)));
    }

    private static Dictionary<string, string> EffectiveModes(SweepRequest request)
    {
        var modes = new Dictionary<string, string>();
        foreach (var ban in request.BanList.Bans)
        {
            var mode = request.ModeOverride ?? ban.Enforcement;
            modes[ban.Id] = mode == EnforcementMode.Enforce ? "enforce" : "report";
        }

        return modes;
    }

    public static string NewRunId(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}

public sealed class TargetNotFoundException(string message) : Exception(message);
