using System.Threading.Channels;
using IntuneBanSync.Enforcement.Groups;

namespace IntuneBanSync.Enforcement.Uninstall;

/// <summary>
/// The uninstall assignment: offending devices past the deadline go into our uninstall group, whose catalog app carries an
/// uninstall assignment to it; exempt or out-of-scope devices come out of it. The catalog app is created where Graph allows (iOS,
/// Android device administrator, WinGet) and, for Android Enterprise, approved in managed Google Play and synced into the catalog.
/// Every write is planned from a fresh read, so a second sweep with nothing changed sends none, and a sweep after a crash does not
/// repeat what the crash left done. What Graph has not settled yet (an app still processing or syncing, a group not yet replicated)
/// is waited for within <paramref name="patience"/>, then left to the next sweep.
/// </summary>
/// <param name="patience">How long one sweep waits at most for Graph to settle what it just asked for; two minutes unless given.</param>
public sealed class UninstallAssignment(IUninstallGraph graph, TimeSpan? patience = null) : IEnforcementMechanism
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromMinutes(2);

    /// <summary>A package approved and synced this long ago that is still not in the catalog is approved and synced again.</summary>
    public static readonly TimeSpan AskManagedPlayAgainAfter = TimeSpan.FromDays(1);

    private static readonly TimeSpan CatalogPoll = TimeSpan.FromSeconds(10);

    private readonly TimeSpan _patience = patience ?? DefaultPatience;

    public static readonly MechanismName Id = new("uninstall-assignment");

    public static readonly ResourceKind Group = new("group");
    public static readonly ResourceKind CatalogApp = new("catalog-app");
    public static readonly ResourceKind AppAssignment = new("app-assignment");

    public static readonly WriteAction CreateGroup = new("create-group");
    public static readonly WriteAction CreateApp = new("create-app");
    public static readonly WriteAction AddAssignment = new("add-assignment");
    public static readonly WriteAction DeleteAssignment = new("delete-assignment");
    public static readonly WriteAction AddMember = new("add-member");
    public static readonly WriteAction RemoveMember = new("remove-member");
    public static readonly WriteAction SyncDevice = new("sync-device");
    public static readonly WriteAction ApproveApp = new("approve-managed-play-app");
    public static readonly WriteAction SyncManagedPlay = new("sync-managed-play");

    public const string NotReplicated = "the new group has not replicated yet; retried next sweep";

    private const int MembersPerPatch = 20;

    // A thousand members a step: their intents and outcomes go to the journal in ten transactions each, not two per PATCH.
    private const int PatchesPerStep = 50;

    // PATCHes of disjoint members to one group, a few at once: the directory's write pacing still holds them under its limit.
    private const int PatchesInFlight = 4;

    public static IReadOnlyList<PermissionUse> Required { get; } =
    [
        new(GraphPermissions.AppsReadWrite, "find or create the catalog app and add its uninstall assignment", Id.Name),
        new(GraphPermissions.GroupCreate, "create the ban's uninstall group on the first enforcement", Id.Name),
        new(GraphPermissions.GroupMemberReadWrite, "add and remove the uninstall group's device members", Id.Name),
        new(GraphPermissions.DeviceReadWrite, "add Entra device objects to a group (Graph asks for it beside GroupMember.ReadWrite.All)", Id.Name),
        new(GraphPermissions.ManagedDevicesPrivileged, "ask an enforced device to check in (syncDevice)", Id.Name),
        new(GraphPermissions.ConfigurationReadWrite,
            "read the managed Google Play binding, approve the ban's Android packages and sync them into the catalog (androidManagedStoreAccountEnterpriseSettings); without it Android Enterprise devices are reported unreachable", Id.Name,
            Optional: true),
    ];

    public MechanismName Name => Id;

    public IReadOnlyList<PermissionUse> Permissions => Required;

    public bool OwnsUnnamedWrites => true;

    /// <summary>Its group, catalog apps and app assignments are its own: no policy mechanism touches them.</summary>
    public bool RunsBesideOthers => true;

    public static string GroupName(Ban ban) => $"IntuneBanSync – {PlainText.Strip(ban.Name)} – uninstall";

    public MechanismPlan Plan(BanSweep ban)
    {
        var routed = new List<(BanObservation Observation, UninstallRoute Route)>();
        var unroutable = new List<(BanObservation Observation, UninstallRoute Route)>();
        foreach (var observation in ban.WithDecision(DecisionKind.Offending))
        {
            var route = RouteOf(ban.Ban, observation);
            (route.CanEnforce ? routed : unroutable).Add((observation, route));
        }

        var newly = routed.Where(r => ban.EarlierStateOf(r.Observation.Device.Id)?.State != LifecycleState.Enforcing)
            .Select(r => r.Observation.Device.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var targets = routed.Concat(unroutable).Select(r => r.Observation.Device.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var released = ban.Unbound().ToList();
        return new UninstallPlan(targets, newly, routed, unroutable, released);
    }

    public async Task<MechanismResult> ApplyAsync(MechanismPlan plan, MechanismContext context, CancellationToken ct)
    {
        var (ban, sweep) = (context.Ban!, context.Sweep!);
        var uninstall = (UninstallPlan)plan;
        var devices = new Dictionary<string, DeviceReach>(StringComparer.OrdinalIgnoreCase);
        foreach (var (observation, route) in uninstall.Unroutable)
            devices[observation.Device.Id] = Unreachable(route, route.Unenforceable!);

        // Reads first: a route that cannot be had (managed Google Play not bound) needs no group and no write.
        var routed = uninstall.Routed.ToList();
        var (routes, play) = await ReadRoutesAsync(routed, devices, ct);
        routed.RemoveAll(r => devices.ContainsKey(r.Observation.Device.Id));
        var existingGroup = await graph.FindGroupByNameAsync(GroupName(ban), ct);
        if (routed.Count == 0 && existingGroup is null)
            return new MechanismResult(Id, devices);

        var audit = new UninstallAudit(context.Audit);
        foreach (var apps in routes.Values.Where(a => a.Route.Supply == AppSupply.ManagedGooglePlay))
            await RequestFromManagedPlayAsync(ban, apps, play!, audit, context, ct);

        var replication = new GroupReplication(context.Time, _patience < GroupReplication.DefaultPatience ? _patience : GroupReplication.DefaultPatience);
        string groupId;
        try
        {
            groupId = existingGroup ?? await CreateGroupAsync(ban, replication, context, ct);
        }
        catch (GraphWriteException e)
        {
            foreach (var (observation, route) in routed)
                devices[observation.Device.Id] = Failed(route, $"the uninstall group could not be created: {e.Message}");
            return new MechanismResult(Id, devices);
        }

        await KeepGroupAsync(ban, groupId, context, ct);
        foreach (var apps in routes.Values.Where(a => a.Route.Supply == AppSupply.Create))
            await CreateAppsAsync(ban, apps, context, ct);
        await SettleAsync(routes.Values, context.Time, ct);

        var members = existingGroup is null
            ? new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>(await graph.DirectMemberIdsAsync(groupId, ct), StringComparer.OrdinalIgnoreCase);
        var ready = new List<(BanObservation Observation, UninstallRoute Route, string ObjectId)>();
        var notes = new List<string>();
        var entra = await EntraObjects.OfAsync(routed.Select(r => r.Observation), sweep, graph, ct);
        foreach (var routeGroup in routed.GroupBy(r => r.Route.Name))
        {
            var apps = routes[routeGroup.Key];
            var problem = await AssignRouteAsync(ban, apps, groupId, context, ct);
            if (problem is { StopsTheBan: true })
                return MechanismResult.Stopped(Id, StopReason.ForeignObject, problem.Detail, devices);
            if (problem is null && apps.Route.Supply == AppSupply.ManagedGooglePlay && apps.Missing.Count > 0)
                notes.Add($"managed Google Play has not yet synced {string.Join(", ", apps.Missing)} into the Intune catalog: " +
                    "the uninstall assignment of each follows when it appears");
            foreach (var (observation, route) in routeGroup)
            {
                if (problem is not null)
                {
                    devices[observation.Device.Id] = problem.Pending ? Pending(route, problem.Detail) : Failed(route, problem.Detail);
                    continue;
                }

                var objectId = entra.GetValueOrDefault(observation.Device.Id);
                if (objectId is null)
                    devices[observation.Device.Id] = Failed(route, "no Entra device object for this device");
                else if (members.Contains(objectId))
                    devices[observation.Device.Id] = Assigned(route, newly: false, objectId);
                else
                    ready.Add((observation, route, objectId));
            }
        }

        // Devices already in the group whose check-in a crash lost are synced at once; each step's new members as soon as its PATCHes
        // are answered, while the next step's go out: the check-ins (devices bucket) and the PATCHes (directory bucket) overlap.
        var checkIns = Channel.CreateUnbounded<IReadOnlyList<string>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        checkIns.Writer.TryWrite(ToSync(devices, audit));
        var syncing = SyncAsync(ban, checkIns.Reader, context, ct);
        try
        {
            await AddMembersAsync(ban, groupId, ready, devices, members, replication, context, added => checkIns.Writer.TryWrite(ToSync(added, audit)), ct);
        }
        catch
        {
            // Nothing the mechanism started outlives it: the check-ins in flight are journaled before the failure goes on.
            checkIns.Writer.TryComplete();
            await syncing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        checkIns.Writer.TryComplete();
        await syncing;
        await ReleaseAsync(ban, groupId, uninstall.Released, sweep, members, audit, devices, context, ct);
        return new MechanismResult(Id, devices, Notes: notes.Count > 0 ? notes : null);
    }

    /// <summary>
    /// Each route's matching catalog apps; the managed Google Play binding, read once, when a route needs it. Devices of a route
    /// managed Google Play cannot serve (not bound) are unreachable, with the reason.
    /// </summary>
    private async Task<(Dictionary<string, RouteApps> Routes, ManagedPlaySettings? Play)> ReadRoutesAsync(
        IReadOnlyList<(BanObservation Observation, UninstallRoute Route)> routed, Dictionary<string, DeviceReach> devices, CancellationToken ct)
    {
        var routes = new Dictionary<string, RouteApps>();
        ManagedPlaySettings? play = null;
        foreach (var route in routed.Select(r => r.Route).DistinctBy(r => r.Name))
        {
            if (route.Supply == AppSupply.ManagedGooglePlay && (play ??= await graph.ManagedPlayAsync(ct)) is { IsBound: false })
            {
                foreach (var (observation, _) in routed.Where(r => r.Route.Name == route.Name))
                    devices[observation.Device.Id] = Unreachable(route, NotBound(play.Binding));
                continue;
            }

            routes[route.Name] = new RouteApps(route, Matching(route, await graph.CatalogAppsAsync(route.Kind!.Value, ct)));
        }

        return (routes, play);
    }

    /// <summary>The uninstall assignments of a route's published apps; why there are none yet, or what stands in the way.</summary>
    private async Task<AssignmentProblem?> AssignRouteAsync(Ban ban, RouteApps apps, string groupId, MechanismContext context, CancellationToken ct)
    {
        if (!apps.Ready.Any())
            return new AssignmentProblem(apps.Problem ?? apps.Waiting(), StopsTheBan: false, Pending: apps.Problem is null);
        try
        {
            foreach (var app in apps.Ready)
            {
                if (await EnsureAssignmentAsync(ban, apps.Route, app, groupId, context, ct) is { } problem)
                    return problem;
            }

            return null;
        }
        catch (GraphWriteException e)
        {
            return new AssignmentProblem(e.Message, StopsTheBan: false);
        }
    }

    public async Task<IReadOnlyList<ReconciledWrite>> ReconcileAsync(IReadOnlyList<WriteIntent> open, MechanismContext context, CancellationToken ct)
    {
        var groupId = await GroupOfAsync(context, ct);
        var members = groupId is null
            ? new HashSet<string>()
            : new HashSet<string>(await graph.DirectMemberIdsAsync(groupId, ct), StringComparer.OrdinalIgnoreCase);
        var listed = open.Any(i => i.Action == ApproveApp)
            ? (await graph.CatalogAppsAsync(CatalogAppKind.AndroidManagedStoreApp, ct)).Select(a => a.Identifier).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase)
            : [];
        var play = open.Any(i => i.Action == SyncManagedPlay) ? await graph.ManagedPlayAsync(ct) : null;
        const string Detail = "reconciled: the sweep that sent this write was interrupted before journaling its outcome";
        return [.. open.Select(intent =>
        {
            var member = groupId is null ? null : UninstallAudit.MemberOf(intent.Target, groupId);
            var result = intent.Action switch
            {
                var a when a == AddMember && member is not null => members.Contains(member) ? WriteResult.Done : WriteResult.NotApplied,
                var a when a == RemoveMember && member is not null => members.Contains(member) ? WriteResult.NotApplied : WriteResult.Done,
                var a when a == CreateGroup => WriteResult.Done,
                // An approval shows only once synced: an app in the catalog proves it; otherwise it may or may not have happened.
                var a when a == ApproveApp => UninstallAudit.PackageOf(intent.Target) is { } package && listed.Contains(package) ? WriteResult.Done : WriteResult.Unknown,
                var a when a == SyncManagedPlay => play?.LastAppSync >= intent.At ? WriteResult.Done : WriteResult.NotApplied,
                _ => WriteResult.Unknown,
            };
            return new ReconciledWrite(intent, result, Detail);
        })];
    }

    /// <summary>The ban expired or left the list: take out the members and the assignments the journal says we added, nothing else.</summary>
    public async Task<MechanismResult> WindDownAsync(MechanismContext context, CancellationToken ct)
    {
        var devices = new Dictionary<string, DeviceReach>(StringComparer.OrdinalIgnoreCase);
        var audit = new UninstallAudit(context.Audit);
        var groupId = await GroupOfAsync(context, ct);
        var done = true;
        if (groupId is not null)
        {
            var members = await graph.DirectMemberIdsAsync(groupId, ct);
            foreach (var objectId in audit.MembersWeAdded(groupId).Where(members.Contains))
            {
                var deviceId = audit.DeviceAddedAs(groupId, objectId);
                var intent = context.Log.Plan(Id, context.BanId, deviceId, RemoveMember, UninstallAudit.MemberTarget(groupId, objectId));
                try
                {
                    await context.Log.SendAsync(intent, () => graph.RemoveMemberAsync(groupId, objectId, ct), Describe, ct);
                    if (deviceId is not null)
                        devices[deviceId] = new DeviceReach(Id, Reach.Released, "wind-down", Newly: true, "the ban ended", objectId);
                }
                catch (GraphWriteException)
                {
                    // Journaled as failed; the next sweep tries again.
                    done = false;
                }
            }
        }

        foreach (var assignment in context.Resources.Live(Id, AppAssignment).ToList())
        {
            var appId = assignment.ParentId!;
            if ((await graph.AssignmentsAsync(appId, ct)).Any(a => a.Id == assignment.GraphId))
            {
                var intent = context.Log.Plan(Id, context.BanId, null, DeleteAssignment, $"mobileApps/{appId}/assignments/{assignment.GraphId}");
                try
                {
                    await context.Log.SendAsync(
                        intent, () => graph.DeleteAssignmentAsync(appId, assignment.GraphId, ct), gone => (gone ? WriteResult.Done : WriteResult.AlreadyDone, null), ct);
                }
                catch (GraphWriteException)
                {
                    done = false;
                    continue;
                }
            }

            await context.Resources.RetireAsync(assignment, context.Time.GetUtcNow(), ct);
        }

        return new MechanismResult(Id, devices, WoundDown: done);
    }

    /// <summary>Our group: on the ledger, else where our member writes went, else (the ban still listed) found by its name.</summary>
    private async Task<string?> GroupOfAsync(MechanismContext context, CancellationToken ct) =>
        context.Resources.Live(Id, Group).FirstOrDefault()?.GraphId
        ?? new UninstallAudit(context.Audit).GroupWeUsed()
        ?? (context.Ban is { } ban ? await graph.FindGroupByNameAsync(GroupName(ban), ct) : null);

    public static UninstallRoute RouteOf(Ban ban, BanObservation observation)
    {
        var routes = observation.Apps.Select(a => UninstallRoute.For(ban, a.Platform)).ToList();
        return routes.FirstOrDefault(r => r.CanEnforce) ?? routes.FirstOrDefault() ?? UninstallRoute.For(ban, null);
    }

    private async Task<string> CreateGroupAsync(Ban ban, GroupReplication replication, MechanismContext context, CancellationToken ct)
    {
        var intent = context.Log.Plan(Id, ban.Id, null, CreateGroup, GroupName(ban));
        var groupId = await context.Log.SendAsync(
            intent,
            () => graph.CreateSecurityGroupAsync(
                GroupName(ban), $"Devices from which IntuneBanSync uninstalls {PlainText.Strip(ban.Name)} (ban '{ban.Id}'). Managed by IntuneBanSync.", ct),
            id => (WriteResult.Done, id),
            ct);
        replication.Created(groupId);
        await context.Resources.RecordAsync(new CreatedResource(Group, groupId, Id, context.Time.GetUtcNow(), GroupName(ban)), ct);
        return groupId;
    }

    /// <summary>A group we created is on the ledger even if a crash came between its creation and the ledger's write.</summary>
    private static async Task KeepGroupAsync(Ban ban, string groupId, MechanismContext context, CancellationToken ct)
    {
        if (!context.Resources.Holds(Id, Group, groupId) && context.Audit.Created(CreateGroup, GroupName(ban)))
            await context.Resources.RecordAsync(new CreatedResource(Group, groupId, Id, context.Time.GetUtcNow(), GroupName(ban)), ct);
    }

    /// <summary>
    /// Creates, on a route whose apps Graph lets us create, the app of each of the ban's identifiers the catalog lacks (TikTok Lite
    /// is a package of its own); an app a crash left off the ledger right after its creation goes on it.
    /// </summary>
    private async Task CreateAppsAsync(Ban ban, RouteApps apps, MechanismContext context, CancellationToken ct)
    {
        var (route, kind, now) = (apps.Route, apps.Route.Kind!.Value, context.Time.GetUtcNow());
        foreach (var app in apps.Apps.Where(a => a.Identifier is { } identifier && context.Audit.Created(CreateApp, AppTarget(kind, identifier))))
            await context.Resources.RecordAsync(new CreatedResource(CatalogApp, app.Id, Id, now, route.Name), ct);

        foreach (var identifier in apps.Missing)
        {
            var intent = context.Log.Plan(Id, ban.Id, null, CreateApp, AppTarget(kind, identifier));
            try
            {
                var app = await context.Log.SendAsync(intent, () => graph.CreateCatalogAppAsync(kind, PlainText.Strip(ban.Name), identifier, ct), a => (WriteResult.Done, a.Id), ct);
                await context.Resources.RecordAsync(new CreatedResource(CatalogApp, app.Id, Id, now, route.Name), ct);
                apps.Apps.Add(app);
                apps.Requested = true;
            }
            catch (GraphWriteException e)
            {
                apps.Problem ??= e.Message;
            }
        }
    }

    /// <summary>
    /// Approves in managed Google Play the ban's packages the catalog lacks (once: again only if one is still missing a day after it
    /// was approved and synced), then has Intune sync them unless it did since they were approved. Approval is not an object of
    /// ours: nothing goes on the ledger; the audit keeps each approval and sync.
    /// </summary>
    private async Task RequestFromManagedPlayAsync(
        Ban ban, RouteApps apps, ManagedPlaySettings play, UninstallAudit audit, MechanismContext context, CancellationToken ct)
    {
        var now = context.Time.GetUtcNow();
        var missing = apps.Missing;
        var toApprove = missing.Where(p => audit.ApprovalOf(p) is not { } earlier
            || (play.LastAppSync >= earlier.At && now - earlier.At > AskManagedPlayAgainAfter)).ToList();
        var approvedNow = false;
        foreach (var package in toApprove)
        {
            var intent = context.Log.Plan(Id, ban.Id, null, ApproveApp, UninstallAudit.ApprovalTarget(package));
            try
            {
                await context.Log.SendAsync(intent, async () => { await graph.ApproveManagedPlayAppAsync(package, ct); return true; }, _ => (WriteResult.Done, null), ct);
                approvedNow = true;
            }
            catch (GraphWriteException e)
            {
                apps.Problem ??= $"managed Google Play refused to approve {package}: {e.Message}";
            }
        }

        var unsynced = missing.Any(p => audit.ApprovalOf(p) is { } earlier && !(play.LastAppSync >= earlier.At));
        if (!approvedNow && !unsynced)
            return;
        var sync = context.Log.Plan(Id, ban.Id, null, SyncManagedPlay, UninstallAudit.SyncTarget);
        try
        {
            await context.Log.SendAsync(sync, async () => { await graph.SyncManagedPlayAppsAsync(ct); return true; }, _ => (WriteResult.Done, null), ct);
            apps.Requested = true;
        }
        catch (GraphWriteException e)
        {
            apps.Problem ??= $"Intune refused to sync the approved managed Google Play apps: {e.Message}";
        }
    }

    /// <summary>
    /// Waits, within patience, for what this sweep asked of Intune to settle: an app it created to be published, the packages it
    /// approved to be synced into the catalog. The catalog is read again every few seconds of the sweep's clock.
    /// </summary>
    private async Task SettleAsync(IEnumerable<RouteApps> routes, TimeProvider time, CancellationToken ct)
    {
        var waiting = routes.Where(r => r.Requested && !r.Settled).ToList();
        var waited = TimeSpan.Zero;
        while (waiting.Count > 0)
        {
            foreach (var apps in waiting)
                apps.Refresh(await graph.CatalogAppsAsync(apps.Route.Kind!.Value, ct));
            waiting.RemoveAll(r => r.Settled);
            if (waiting.Count == 0 || waited >= _patience)
                return;
            var wait = CatalogPoll < _patience - waited ? CatalogPoll : _patience - waited;
            await Task.Delay(wait, time, ct);
            waited += wait;
        }
    }

    /// <summary>The uninstall assignment of one app to our group, unless the group already carries another intent for it.</summary>
    private async Task<AssignmentProblem?> EnsureAssignmentAsync(
        Ban ban, UninstallRoute route, CatalogApp app, string groupId, MechanismContext context, CancellationToken ct)
    {
        var now = context.Time.GetUtcNow();
        var assignments = await graph.AssignmentsAsync(app.Id, ct);
        var ours = assignments.FirstOrDefault(a => string.Equals(a.GroupId, groupId, StringComparison.OrdinalIgnoreCase));
        if (ours is { Excludes: true })
            return new AssignmentProblem(
                $"group '{GroupName(ban)}' is excluded from the '{ours.Intent}' assignment of app {app.Id} ({PlainText.Strip(app.DisplayName)}), so it cannot " +
                "also be given the uninstall; IntuneBanSync does not change that assignment. Remove the exclusion, then sweep again.",
                StopsTheBan: true);
        if (ours is not null && !string.Equals(ours.Intent, "uninstall", StringComparison.OrdinalIgnoreCase))
            return new AssignmentProblem(
                $"group '{GroupName(ban)}' already carries a '{ours.Intent}' assignment of app {app.Id} ({PlainText.Strip(app.DisplayName)}); " +
                "IntuneBanSync does not change it. Remove it, then sweep again.",
                StopsTheBan: true);
        if (ours is null)
        {
            var intent = context.Log.Plan(Id, ban.Id, null, AddAssignment, AssignmentTarget(app.Id, groupId));
            ours = await context.Log.SendAsync(intent, () => graph.AddGroupAssignmentAsync(app.Id, groupId, "uninstall", ct), a => (WriteResult.Done, a.Id), ct);
            await context.Resources.RecordAsync(new CreatedResource(AppAssignment, ours.Id, Id, now, route.Name, app.Id), ct);
        }
        else if (context.Audit.Created(AddAssignment, AssignmentTarget(app.Id, groupId)))
        {
            await context.Resources.RecordAsync(new CreatedResource(AppAssignment, ours.Id, Id, now, route.Name, app.Id), ct);
        }

        return null;
    }

    /// <param name="stepDone">Called with each step's devices and their reach once its outcomes are journaled.</param>
    private async Task AddMembersAsync(
        Ban ban, string groupId, List<(BanObservation Observation, UninstallRoute Route, string ObjectId)> ready,
        Dictionary<string, DeviceReach> devices, HashSet<string> members, GroupReplication replication, MechanismContext context,
        Action<IReadOnlyList<KeyValuePair<string, DeviceReach>>> stepDone, CancellationToken ct)
    {
        foreach (var step in ready.Chunk(MembersPerPatch * PatchesPerStep))
        {
            var changes = await SendMembersAsync(ban, groupId, step, replication, context, ct);
            foreach (var (observation, route, objectId) in step)
            {
                var change = changes.GetValueOrDefault(objectId) ?? NoAnswer;
                devices[observation.Device.Id] = change.Outcome switch
                {
                    MemberOutcome.Done => Assigned(route, newly: true, objectId),
                    MemberOutcome.AlreadyDone => Assigned(route, newly: false, objectId),
                    MemberOutcome.NotFound => Failed(route, "Entra has no such device object", objectId),
                    MemberOutcome.GroupNotFound when replication.JustCreated(groupId) => Failed(route, NotReplicated, objectId),
                    MemberOutcome.GroupNotFound => Failed(route, $"the uninstall group {groupId} was not found; retried next sweep", objectId),
                    _ => Failed(route, change.Detail ?? "the group refused the member", objectId),
                };
                if (change.Outcome is MemberOutcome.Done or MemberOutcome.AlreadyDone)
                    members.Add(objectId);
            }

            stepDone([.. step.Select(r => KeyValuePair.Create(r.Observation.Device.Id, devices[r.Observation.Device.Id]))]);
        }
    }

    /// <summary>
    /// A step's intents journaled together, its PATCHes (20 members each) sent <see cref="PatchesInFlight"/> at a time, each retried
    /// while a group just created is not yet replicated, then the step's outcomes journaled together.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, MemberChange>> SendMembersAsync(
        Ban ban, string groupId, (BanObservation Observation, UninstallRoute Route, string ObjectId)[] step, GroupReplication replication,
        MechanismContext context, CancellationToken ct)
    {
        var intents = step.Select(r => context.Log.Plan(Id, ban.Id, r.Observation.Device.Id, AddMember, UninstallAudit.MemberTarget(groupId, r.ObjectId))).ToList();
        try
        {
            return await context.Log.SendManyAsync(
                intents,
                () => PatchEachAsync(groupId, [.. step.Select(r => r.ObjectId)], replication, ct),
                (answer, intent) => Describe(answer.GetValueOrDefault(UninstallAudit.MemberOf(intent.Target, groupId)!) ?? NoAnswer),
                ct);
        }
        catch (GraphWriteException e)
        {
            return step.ToDictionary(r => r.ObjectId, _ => new MemberChange(MemberOutcome.Failed, e.Message));
        }
    }

    private async Task<IReadOnlyDictionary<string, MemberChange>> PatchEachAsync(string groupId, string[] objectIds, GroupReplication replication, CancellationToken ct)
    {
        var chunks = objectIds.Chunk(MembersPerPatch).ToList();
        var answers = new IReadOnlyDictionary<string, MemberChange>[chunks.Count];
        await Parallel.ForAsync(0, chunks.Count, new ParallelOptions { MaxDegreeOfParallelism = PatchesInFlight, CancellationToken = ct }, async (i, token) =>
            answers[i] = await replication.UntilReplicatedAsync(
                groupId, () => graph.AddMembersAsync(groupId, chunks[i], token), answer => answer.Values.Any(c => c.Outcome == MemberOutcome.GroupNotFound), token));
        return answers.SelectMany(a => a).ToDictionary(a => a.Key, a => a.Value, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The devices in the group a check-in has not been asked of since we added them: asked once per enforcement.</summary>
    private static List<string> ToSync(IEnumerable<KeyValuePair<string, DeviceReach>> devices, UninstallAudit audit) =>
        [.. devices.Where(d => d.Value.Reach == Reach.Assigned && !audit.SyncedSinceLastAdd(d.Key))
            .Where(d => d.Value.Newly || audit.Added(d.Key))
            .Select(d => d.Key)];

    /// <summary>A check-in makes the uninstall happen now rather than at the device's next scheduled sync.</summary>
    private async Task SyncAsync(Ban ban, ChannelReader<IReadOnlyList<string>> toSync, MechanismContext context, CancellationToken ct)
    {
        // A refused check-in is journaled as failed; the device still syncs on its own schedule.
        await context.Log.SendEachAsync(Steps(), step => graph.SyncDevicesAsync([.. step.Select(i => (i.WriteId, i.DeviceId!))], ct), _ => null, ct);

        async IAsyncEnumerable<IReadOnlyList<WriteIntent>> Steps()
        {
            await foreach (var devices in toSync.ReadAllAsync(ct))
            {
                foreach (var step in WriteLog.InSteps([.. devices.Select(deviceId => context.Log.Plan(Id, ban.Id, deviceId, SyncDevice, $"managedDevices/{deviceId}/syncDevice"))]))
                    yield return step;
            }
        }
    }

    /// <summary>Devices that became exempt or left the ban's scope come out of the group, if we put them there.</summary>
    private async Task ReleaseAsync(
        Ban ban, string groupId, IReadOnlyList<BanObservation> released, BanSweep sweep, HashSet<string> members,
        UninstallAudit audit, Dictionary<string, DeviceReach> devices, MechanismContext context, CancellationToken ct)
    {
        var ours = audit.MembersWeAdded(groupId);
        foreach (var observation in released)
        {
            if (sweep.EarlierStateOf(observation.Device.Id)?.EntraObjectId is not { } objectId || !members.Contains(objectId) || !ours.Contains(objectId))
                continue;
            var intent = context.Log.Plan(Id, ban.Id, observation.Device.Id, RemoveMember, UninstallAudit.MemberTarget(groupId, objectId));
            try
            {
                await context.Log.SendAsync(intent, () => graph.RemoveMemberAsync(groupId, objectId, ct), Describe, ct);
                members.Remove(objectId);
                devices[observation.Device.Id] = new DeviceReach(Id, Reach.Released, "released", Newly: true, observation.Decision.Text, objectId);
            }
            catch (GraphWriteException)
            {
                // Journaled as failed; retried next sweep.
            }
        }
    }

    private static readonly MemberChange NoAnswer = new(MemberOutcome.Failed, "no answer");

    private static DeviceReach Assigned(UninstallRoute route, bool newly, string objectId) =>
        new(Id, Reach.Assigned, $"uninstall ({route.Name})", newly, newly ? "added to the uninstall group" : null, objectId);

    private static DeviceReach Failed(UninstallRoute route, string reason, string? objectId = null) =>
        new(Id, Reach.Failed, $"uninstall ({route.Name})", Reason: reason, EntraObjectId: objectId);

    private static DeviceReach Unreachable(UninstallRoute route, string reason) =>
        new(Id, Reach.Unreachable, $"none ({route.Name})", Reason: reason);

    private static DeviceReach Pending(UninstallRoute route, string reason) =>
        new(Id, Reach.Pending, $"uninstall ({route.Name})", Reason: reason);

    private static string NotBound(ManagedPlayBinding binding) => binding == ManagedPlayBinding.Forbidden
        ? $"Graph refused to read the managed Google Play binding (403): the app needs {GraphPermissions.ConfigurationReadWrite} to approve and " +
          "uninstall managed Google Play apps; grant it (`ibs permissions`) and sweep again"
        : $"managed Google Play is not bound to this tenant (bindStatus {System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(binding.ToString())}), so no managed Google Play app can be approved or " +
        "uninstalled: bind it in the Intune admin center (Tenant administration > Connectors and tokens > Managed Google Play), then sweep again";

    /// <summary>The catalog apps of a route matching the ban's identifiers, one per identifier.</summary>
    private static List<CatalogApp> Matching(UninstallRoute route, IReadOnlyList<CatalogApp> catalog) =>
        [.. catalog.Where(a => route.Identifiers.Any(i => string.Equals(i, a.Identifier, StringComparison.OrdinalIgnoreCase)))
            .DistinctBy(a => a.Identifier, StringComparer.OrdinalIgnoreCase)];

    private static (WriteResult, string?) Describe(MemberChange change) => change.Outcome switch
    {
        MemberOutcome.Done => (WriteResult.Done, null),
        MemberOutcome.AlreadyDone => (WriteResult.AlreadyDone, null),
        MemberOutcome.NotFound => (WriteResult.Failed, "not found"),
        _ => (WriteResult.Failed, change.Detail),
    };

    public static string AssignmentTarget(string appId, string groupId) => $"mobileApps/{appId}/assignments/group/{groupId}";

    public static string AppTarget(CatalogAppKind kind, string identifier) => $"mobileApps/{kind}/{identifier.ToLowerInvariant()}";

    /// <param name="Pending">Nothing was refused: Intune has not finished what was asked of it, and the next sweep goes on.</param>
    private sealed record AssignmentProblem(string Detail, bool StopsTheBan, bool Pending = false);

    /// <summary>A route's catalog apps through one sweep: found, created or approved, and settled or not.</summary>
    private sealed class RouteApps(UninstallRoute route, List<CatalogApp> apps)
    {
        public UninstallRoute Route { get; } = route;

        public List<CatalogApp> Apps { get; set; } = apps;

        /// <summary>This sweep created, approved or synced something for the route: worth waiting for.</summary>
        public bool Requested { get; set; }

        /// <summary>Why the route's app could not be had (a refused create, approval or sync).</summary>
        public string? Problem { get; set; }

        public IEnumerable<CatalogApp> Ready => Apps.Where(a => a.Published);

        /// <summary>The ban's identifiers the catalog has no app for (yet).</summary>
        public IReadOnlyList<string> Missing =>
            [.. Route.Identifiers.Where(i => !Apps.Any(a => string.Equals(a.Identifier, i, StringComparison.OrdinalIgnoreCase)))
                .Distinct(StringComparer.OrdinalIgnoreCase)];

        public bool Settled => Missing.Count == 0 && Apps.All(a => a.Published);

        public void Refresh(IReadOnlyList<CatalogApp> catalog) => Apps = Matching(Route, catalog);

        public string Waiting() => Route.Supply == AppSupply.ManagedGooglePlay && Apps.Count == 0
            ? $"managed Google Play has not yet synced {string.Join(", ", Missing)} into the Intune catalog (IntuneBanSync approved it); " +
              "the uninstall assignment follows when it appears"
            : $"the {KindName(Route.Kind!.Value)} is still processing in Intune; the assignment follows when it is published";

        private static string KindName(CatalogAppKind kind) => kind switch
        {
            CatalogAppKind.WinGetApp => "WinGet app",
            CatalogAppKind.IosStoreApp => "iOS store app",
            CatalogAppKind.AndroidStoreApp => "Android store app",
            _ => "managed Google Play app",
        };
    }

    private sealed record UninstallPlan(
        IReadOnlySet<string> Targets,
        IReadOnlySet<string> NewlyReached,
        IReadOnlyList<(BanObservation Observation, UninstallRoute Route)> Routed,
        IReadOnlyList<(BanObservation Observation, UninstallRoute Route)> Unroutable,
        IReadOnlyList<BanObservation> Released) : MechanismPlan(Id, Targets, NewlyReached);
}
