using System.Security.Cryptography;
using Azure.Core;
using IntuneBanSync.Enforcement;
using IntuneBanSync.Inventory;
using IntuneBanSync.Scope;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntuneBanSync.Sweeps;

/// <summary>
/// One sweep of one tenant, in the steps of ARCHITECTURE.md: open the run → inventory → scope → decide each device (streamed)
/// → enforce (every registered mechanism) → close. The CLI, the timer and the HTTP functions all call this.
/// </summary>
public sealed class SweepEngine(
    IIntuneGraph graph, IReadOnlyList<IEnforcementMechanism> mechanisms, JournalStore journal, TimeProvider time, SweepSettings settings, ILogger<SweepEngine> logger,
    PermissionProbe? permissions = null, IExportJobs? exportJobs = null)
{
    /// <summary>An engine over the real Graph SDK, for callers without a DI container (the CLI, the demo, tests, the benchmark).</summary>
    public static SweepEngine Over(
        GraphOptions graph, JournalStore journal, TimeProvider time, SweepSettings? settings = null, ILogger<SweepEngine>? logger = null,
        HttpMessageHandler? finalHandler = null, IReadOnlyList<IEnforcementMechanism>? mechanisms = null, TokenCredential? credential = null)
    {
        var token = GraphClientBuilder.CredentialFor(new Uri(graph.BaseUrl), credential);
        var client = GraphClientBuilder.Create(graph, token, finalHandler);
        var probe = new PermissionProbe(token, new Uri(graph.BaseUrl), Mechanisms.Permissions);
        return new(
            new GraphIntune(client, graph), mechanisms ?? Mechanisms.Over(client, graph), journal, time, settings ?? new SweepSettings(),
            logger ?? NullLogger<SweepEngine>.Instance, probe, new GraphExportJobs(new GraphJson(client, graph), finalHandler));
    }

    /// <param name="guard">Given when the caller holds the tenant's lock (<see cref="LockedSweeps"/>): asked before every write, and a run an
    /// earlier, dead holder left running is marked abandoned.</param>
    public async Task<SweepReport> RunAsync(SweepRequest request, IProgress<SweepProgress>? progress, CancellationToken ct, IWriteGuard? guard = null)
    {
        var startedAt = time.GetUtcNow();
        var asOf = request.AsOf ?? startedAt;
        var runId = request.RunId ?? NewRunId(startedAt);
        var trace = new SweepTrace(logger, runId);
        var banList = request.BanList;
        var coverage = new InventoryCoverage();
        await using var inventory = InventoryFor(request, coverage, trace);
        var deadline = request.Deadline ?? TimeSpan.FromMinutes(settings.DeadlineMinutes);
        using var deadlineSource = new CancellationTokenSource(deadline, time);
        using var sweeping = CancellationTokenSource.CreateLinkedTokenSource(ct, deadlineSource.Token);

        // An unknown device is the caller's mistake, not a failed run: nothing is journaled for it.
        await inventory.CheckTargetAsync(sweeping.Token);

        var run = new SweepRun(runId, request.Tenant, request.Trigger, request.Mode, startedAt, null, SweepStatus.Running, SweepCounts.Empty);
        using (trace.Step("open the run"))
        {
            await journal.EnsureCreatedAsync(sweeping.Token);
            if (guard is not null)
                await MarkAbandonedAsync(request.Tenant, sweeping.Token);
            await journal.SaveRunAsync(run, sweeping.Token);
        }

        SweepLog.Started(logger, runId, request.Tenant, request.Target.ToString(), WireName.Of(request.Mode));

        var phase = SweepPhase.ReadingDetectedApps;
        var bans = new List<BanSweep>();
        var report = new ReportBuilder(banList.Bans, banList.Bans.ToDictionary(b => b.Id, request.ModeOf));
        var log = new WriteLog(journal, request.Tenant, runId, time, guard);
        var enforced = new Dictionary<string, BanEnforcementResult>();
        Task<(IReadOnlyDictionary<string, UserRecord>? Users, string? Problem)>? departments = null;
        Task<IReadOnlyList<DeviceRecord>?>? inventoryRead = null;
        try
        {
            // 3. Inventory: app → devices for the whole tenant; a user's or a device's own lists otherwise. Read from Graph while the
            // journal's device states are read from storage: neither needs the other.
            inventoryRead = inventory.ReadAsync(progress, sweeping.Token);

            // Each ban's devices as the journal left them, before the inventory is awaited. The deadline does not stop this read (the
            // caller's cancellation does): a deadline that passes while the inventory is read still reports every ban.
            using (trace.Step("device states"))
            {
                var earlier = await Task.WhenAll(banList.Bans.Select(ban => journal.GetDeviceStatesAsync(request.Tenant, ban.Id, ct)));
                foreach (var (ban, known) in banList.Bans.Zip(earlier))
                    bans.Add(new BanSweep(ban, request.ModeOf(ban), known, [.. banList.Exemptions.Where(e => e.BanId == ban.Id && e.IsInForceAt(asOf))]) { Contact = banList.Contact });
            }

            IReadOnlyList<DeviceRecord>? targets;
            using (trace.Step("inventory"))
                targets = await inventoryRead;

            // 4. Scope: the groups the ban list names, read once.
            phase = SweepPhase.ReadingScopeGroups;
            GroupDirectory groups;
            using (trace.Step("scope groups"))
                groups = await ScopeReader.For(targets, graph, coverage, trace).ReadAsync(GroupDirectory.GroupsNamedBy(banList), progress, sweeping.Token);

            // 5. Decide each device, streamed: a decision per ban, counted, findings journaled in batches.
            phase = SweepPhase.EvaluatingDevices;
            var attestations = new Dictionary<string, IReadOnlyDictionary<string, Attestation>>(StringComparer.Ordinal);
            foreach (var ban in banList.Bans)
                attestations[ban.Id] = await journal.Attestations.ListAsync(request.Tenant, ban.Id, sweeping.Token);
            var planner = new BanPlanner(banList, groups, coverage, asOf, TimeSpan.FromDays(settings.InventoryMaxAgeDays), attestations);
            var audits = new AuditReads(journal, request.Tenant);
            if (request.MayWrite)
                audits.Start(bans.Where(b => b.Mode == EnforcementMode.Enforce && b.Ban.IsActiveAt(asOf) && asOf < b.Ban.ExpiresOn).Select(b => b.Ban.Id), sweeping.Token);
            using (trace.Step("decisions and findings"))
                await DecideAsync(request, runId, inventory, planner, bans, report, progress, sweeping.Token);

            // Departments of the affected people only, in batches: never the whole tenant's users.
            // Read while the tenant is enforced and the journal closed: only the report needs them.
            departments = UsersAsync(report.AffectedUserIds, trace, sweeping.Token);

            // 6. Enforce: bans in enforce mode, every mechanism; bans that expired or left the list are wound down.
            phase = SweepPhase.Enforcing;
            var granted = permissions is null ? PermissionCheck.Unknown : await permissions.CheckAsync(sweeping.Token);
            using (trace.Step("enforcement"))
                await EnforceAsync(request, bans, log, enforced, trace, asOf, granted, audits, progress, sweeping.Token);

            // 7. Close: the lifecycle of each (ban, device), the findings with what each route reached, the run and its report.
            var closingStep = trace.Step("device states and closing findings");
            var states = bans.SelectMany(b => b.NextStates(coverage, runId, startedAt)).ToList();
            // Two tables, written side by side.
            await Task.WhenAll(
                journal.SaveDeviceStatesAsync(request.Tenant, states, sweeping.Token),
                WriteClosingFindingsAsync(request, runId, bans, sweeping.Token));
            closingStep.Dispose();
            var (users, usersProblem) = await departments;
            if (request.Target.IsWholeTenant && request.AsOf is null)
                await journal.SaveLatestSweepAsync(request.Tenant, new LatestSweep(runId, startedAt), sweeping.Token);
            // A mechanism that could not run for lack of a permission leaves the sweep's work undone as surely as an unread page.
            var readFailed = !coverage.IsComplete || groups.Unreadable.Count > 0 || enforced.Values.Any(e => e.ReadFailed || e.Stops.Any(s => s.Reason == StopReason.PermissionMissing));
            var status = readFailed ? SweepStatus.Incomplete : enforced.Values.Any(e => e.Held is not null) ? SweepStatus.Held : SweepStatus.Completed;
            var result = EnforcementReport.Add(
                report.Build(
                    runId, request.Tenant, request.Trigger, request.Mode, status, startedAt, time.GetUtcNow(), asOf, log.Writes,
                    [.. coverage.Problems, .. Problems(enforced), .. usersProblem is null ? Array.Empty<string>() : [usersProblem]], users),
                bans, enforced, states, asOf) with
            { Permissions = PermissionReport.Of(granted) };
            using (trace.Step("close the run"))
                return await CloseAsync(run, result, CancellationToken.None);
        }
        catch (OperationCanceledException) when (deadlineSource.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // Past the deadline nothing more is read or written; what was decided is reported, and the run says it is incomplete.
            SweepLog.DeadlinePassed(logger, runId, deadline, WireName.Of(phase));
            var problem = $"the sweep's deadline of {deadline.TotalMinutes:N0} minutes passed while {WireName.Of(phase).Replace('-', ' ')}; nothing after that was read or written, and device states were not updated";
            var result = EnforcementReport.Add(
                report.Build(runId, request.Tenant, request.Trigger, request.Mode, SweepStatus.Incomplete, startedAt, time.GetUtcNow(), asOf, log.Writes, [problem, .. coverage.Problems, .. Problems(enforced)]),
                bans, enforced, [], asOf);
            return await CloseAsync(run, result, CancellationToken.None);
        }
        catch (OperationCanceledException) when (guard?.LostReason is { } lost)
        {
            var message = $"The sweep stopped: {lost}; nothing more was written.";
            await SaveQuietlyAsync(run with { EndedAt = time.GetUtcNow(), Status = SweepStatus.Failed, Error = message });
            throw new LockLostException(message);
        }
        catch (OperationCanceledException)
        {
            SweepLog.Cancelled(logger, runId);
            await SaveQuietlyAsync(run with { EndedAt = time.GetUtcNow(), Status = SweepStatus.Cancelled, Error = "cancelled by its caller" });
            throw;
        }
        catch (Exception e)
        {
            SweepLog.Failed(logger, e, runId);
            await SaveQuietlyAsync(run with { EndedAt = time.GetUtcNow(), Status = SweepStatus.Failed, Error = PlainText.Strip(e.Message) });
            throw;
        }
        finally
        {
            // A sweep that failed before it awaited the inventory (its device states unreadable) stops that read, and observes it.
            if (inventoryRead is not null)
            {
                if (!inventoryRead.IsCompleted)
                    await sweeping.CancelAsync();
                await ((Task)inventoryRead).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            // A sweep that ended before the departments were awaited does not leave their reads running after it.
            if (departments is { IsCompleted: false })
                await ((Task)departments).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<(IReadOnlyDictionary<string, UserRecord>? Users, string? Problem)> UsersAsync(IReadOnlyCollection<string> ids, SweepTrace trace, CancellationToken ct)
    {
        if (ids.Count == 0)
            return (new Dictionary<string, UserRecord>(), null);
        try
        {
            return (await graph.UsersAsync(ids, ct), null);
        }
        catch (GraphReadException e)
        {
            trace.ReadFailed(e);
            return (null, $"the departments of the affected people could not be read ({e.Message}); they are counted as unknown");
        }
    }

    /// <summary>Runs still marked running for the tenant, when the caller holds its lock, were left by a process that died.</summary>
    private async Task MarkAbandonedAsync(string tenant, CancellationToken ct)
    {
        await foreach (var run in journal.ListRunningAsync(tenant, ct))
            await journal.SaveRunAsync(run with { Status = SweepStatus.Abandoned, Error = "left running by a sweep that stopped without closing it (its process died); its lock expired" }, ct);
    }

    private IInventorySource InventoryFor(SweepRequest request, InventoryCoverage coverage, SweepTrace trace) =>
        !request.Target.IsWholeTenant ? new TargetedInventory(graph, request.BanList, request.Target, coverage, trace)
        : settings.InventorySource == InventorySourceKind.ExportJob
            ? new ExportJobInventory(
                graph, exportJobs ?? throw new InvalidOperationException("The inventory source is ExportJob, but this engine was given no export jobs client."),
                request.BanList, coverage, trace, time, new ExportJobPatience(TimeSpan.FromMinutes(settings.ExportJobPatienceMinutes), TimeSpan.FromSeconds(settings.ExportJobPollSeconds)))
            : new TenantInventory(graph, request.BanList, coverage, trace, time);

    private async Task WriteClosingFindingsAsync(SweepRequest request, string runId, IReadOnlyList<BanSweep> bans, CancellationToken ct)
    {
        var closing = new FindingsWriter(journal, request.Tenant, runId, settings.FindingsFlushSize);
        foreach (var finding in bans.SelectMany(b => ClosingFindings(request, b)))
            await closing.AddAsync(finding, ct);
        await closing.FlushAsync(ct);
    }

    private async Task DecideAsync(
        SweepRequest request, string runId, IInventorySource inventory, BanPlanner planner, IReadOnlyList<BanSweep> bans, ReportBuilder report,
        IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        var findings = new FindingsWriter(journal, request.Tenant, runId, settings.FindingsFlushSize);
        var evaluated = 0;
        await foreach (var observed in inventory.DevicesAsync(ct))
        {
            var decisions = new List<Decision>(bans.Count);
            foreach (var ban in bans)
            {
                var apps = observed.AppsOf(ban.Ban);
                var decision = planner.Decide(ban.Ban, new DeviceObservation(observed.Device, apps));
                decisions.Add(decision);
                ban.Observe(observed.Device, decision, apps);
                if (IsWorthJournaling(decision) && !(DefersFindings(request, ban) && ban.Devices.ContainsKey(observed.Device.Id)))
                    await findings.AddAsync(FindingOf(decision, observed.Device, apps), ct);
            }

            report.Add(observed.Device, decisions, DeviceClasses.Of(observed.Device, [.. observed.Sightings.Select(s => s.App)]));
            if (++evaluated % 500 == 0)
                progress?.Report(new SweepProgress(SweepPhase.EvaluatingDevices, evaluated));
        }

        progress?.Report(new SweepProgress(SweepPhase.WritingJournal, evaluated));
        await findings.FlushAsync(ct);
    }

    /// <summary>Only bans in enforce mode write, and a ban that left the list is wound down; a report sweep, a what-if and a one-user sweep send nothing.</summary>
    private async Task EnforceAsync(
        SweepRequest request, IReadOnlyList<BanSweep> bans, WriteLog log, Dictionary<string, BanEnforcementResult> results, SweepTrace trace,
        DateTimeOffset asOf, PermissionCheck granted, AuditReads audits, IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        if (!request.MayWrite)
            return;
        var enforcing = bans.Where(b => b.Mode == EnforcementMode.Enforce).ToList();

        var policy = new EnforcementPolicy(request.OverrideBlastRadius || settings.OverrideBlastRadius, settings.MaxNewEnforcementsPerSweep);
        var run = new EnforcementRun(mechanisms, journal, log, request.Tenant, policy, trace, time, granted, audits);
        var created = (await journal.ListBanResourcesAsync(request.Tenant, ct)).ToDictionary(r => r.BanId);
        foreach (var ban in enforcing)
        {
            progress?.Report(new SweepProgress(SweepPhase.Enforcing, results.Count, enforcing.Count, PlainText.Strip(ban.Ban.Name)));
            var resources = created.GetValueOrDefault(ban.Ban.Id);
            ban.Enforcement = results[ban.Ban.Id] = asOf >= ban.Ban.ExpiresOn
                ? resources is { WoundDown: false } ? await run.WindDownAsync(ban.Ban.Id, ban, resources, ct) : BanEnforcementResult.Nothing(ban.Ban.Id)
                : ban.Ban.IsActiveAt(asOf) ? await run.EnforceAsync(ban, resources, ct) : BanEnforcementResult.Nothing(ban.Ban.Id);
        }

        // A ban that left the list takes with it what we created for it.
        foreach (var gone in created.Values.Where(r => !r.WoundDown && request.BanList.FindBan(r.BanId) is null))
            results[gone.BanId] = await run.WindDownAsync(gone.BanId, null, gone, ct);
    }

    private static IEnumerable<string> Problems(IReadOnlyDictionary<string, BanEnforcementResult> enforced) =>
        enforced.Values.SelectMany(e => (e.Held is { } held ? [$"Ban '{e.BanId}' {held.Detail}."] : Array.Empty<string>())
            .Concat(e.Stops.Select(s => $"Ban '{e.BanId}' stopped: {s.Detail}")));

    private async Task<SweepReport> CloseAsync(SweepRun run, SweepReport result, CancellationToken ct)
    {
        await journal.SaveRunAsync(
            run with { EndedAt = result.EndedAt, Status = result.Status, Counts = result.Counts, SummaryJson = JsonSerializer.Serialize(result, ReportJson.Options) }, ct);
        SweepLog.Ended(logger, run.RunId, WireName.Of(result.Status), result.DevicesEvaluated, result.OffendingDevices, result.AffectedPeople);
        return result;
    }

    /// <summary>Records how a run ended without letting a second failure (storage gone too) hide the first; bounded, so a paused account cannot hold the caller.</summary>
    private async Task SaveQuietlyAsync(SweepRun run)
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);
            await journal.SaveRunAsync(run, bounded.Token);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or HttpRequestException)
        {
            SweepLog.Failed(logger, e, run.RunId);
        }
    }

    /// <summary>
    /// Only what an administrator acts on (offending, grace, exempt, advised) is listed each run, so the findings grow with the
    /// offenders, not the tenant. Clean, out-of-scope, inactive and unverified devices are counted, the unverified by reason.
    /// </summary>
    private static bool IsWorthJournaling(Decision decision) =>
        decision.Kind is not (DecisionKind.Clean or DecisionKind.OutOfScope or DecisionKind.BanNotActive or DecisionKind.Unverified);

    private static Finding FindingOf(Decision decision, DeviceRecord device, IReadOnlyList<DetectedAppRecord> apps) =>
        new(
            decision.BanId, device.Id, decision.Kind, decision.Text,
            apps.FirstOrDefault()?.DisplayName, apps.FirstOrDefault()?.Version,
            ReportBuilder.PlatformLabel(device), ReportBuilder.OwnershipLabel(device),
            device.UserId, device.DeviceName, device.UserPrincipalName, WireName.Of(DeviceClasses.Of(device, apps)));

    /// <summary>
    /// A ban that enforces this sweep lists the devices it keeps (<see cref="BanSweep.Devices"/>) once, at the close, with what each
    /// route reached, instead of once while deciding and again after enforcing: an enforce sweep writes no more findings than a
    /// report sweep.
    /// </summary>
    private static bool DefersFindings(SweepRequest request, BanSweep ban) => request.MayWrite && ban.Mode == EnforcementMode.Enforce;

    /// <summary>The deferred findings of an enforcing ban, and those of other bans' devices enforcement reached (a wind-down), with their routes.</summary>
    private static IEnumerable<Finding> ClosingFindings(SweepRequest request, BanSweep ban)
    {
        var deferred = DefersFindings(request, ban);
        foreach (var observation in ban.Devices.Values.Where(o => IsWorthJournaling(o.Decision)))
        {
            var reaches = ban.Enforcement?.ReachesOf(observation.Device.Id) ?? [];
            if (!deferred && reaches.Count == 0)
                continue;
            yield return FindingOf(observation.Decision, observation.Device, observation.Apps) with
            {
                Routes = reaches.Count == 0 ? null : new([.. reaches.Select(r => new RouteReach(r.Mechanism, r.Route, r.Reach, r.Reason))]),
            };
        }
    }

    public static string NewRunId(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}
