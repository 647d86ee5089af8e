using IntuneBanSync.BanList;
using IntuneBanSync.Enforcement.Groups;
using IntuneBanSync.Graph;
using IntuneBanSync.Journal;
using IntuneBanSync.Planning;
using IntuneBanSync.Reports;

namespace IntuneBanSync.Enforcement.Uninstall;

/// <summary>
/// The uninstall assignment: offending devices past the deadline go into our uninstall group, whose catalog app carries an
/// uninstall assignment to it; exempt or out-of-scope devices come out of it. Every write is planned from a fresh read, so a
/// second sweep with nothing changed sends none, and a sweep after a crash does not repeat what the crash left done.
/// </summary>
public sealed class UninstallAssignment(IUninstallGraph graph) : IEnforcementMechanism
{
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

    private const int MembersPerPatch = 20;

    public static IReadOnlyList<PermissionUse> Required { get; } =
    [
        new(GraphPermissions.AppsReadWrite, "find or create the catalog app and add its uninstall assignment", Id.Name),
        new(GraphPermissions.GroupCreate, "create the ban's uninstall group on the first enforcement", Id.Name),
        new(GraphPermissions.GroupMemberReadWrite, "add and remove the uninstall group's device members", Id.Name),
        new(GraphPermissions.DeviceReadWrite, "add Entra device objects to a group (Graph asks for it beside GroupMember.ReadWrite.All)", Id.Name),
        new(GraphPermissions.ManagedDevicesPrivileged, "ask an enforced device to check in (syncDevice)", Id.Name),
    ];

    public MechanismName Name => Id;

    public IReadOnlyList<PermissionUse> Permissions => Required;

    public bool OwnsUnnamedWrites => true;

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
        var released = ban.WithDecision(DecisionKind.Exempt, DecisionKind.OutOfScope, DecisionKind.BanNotActive).ToList();
        return new UninstallPlan(targets, newly, routed, unroutable, released);
    }

    public async Task<MechanismResult> ApplyAsync(MechanismPlan plan, MechanismContext context, CancellationToken ct)
    {
        var (ban, sweep) = (context.Ban!, context.Sweep!);
        var uninstall = (UninstallPlan)plan;
        var devices = new Dictionary<string, DeviceReach>(StringComparer.OrdinalIgnoreCase);
        foreach (var (observation, route) in uninstall.Unroutable)
            devices[observation.Device.Id] = Unreachable(route, route.Unenforceable!);

        // Reads first: a route whose app is missing and cannot be created needs no group and no write.
        var routed = uninstall.Routed.ToList();
        var catalog = new Dictionary<string, CatalogApp?>();
        foreach (var route in routed.Select(r => r.Route).DistinctBy(r => r.Name))
        {
            var kind = route.Kind!.Value;
            catalog[route.Name] = (await graph.CatalogAppsAsync(kind, ct))
                .FirstOrDefault(a => route.Identifiers.Any(i => string.Equals(i, a.Identifier, StringComparison.OrdinalIgnoreCase)));
            if (catalog[route.Name] is null && !route.Creatable)
            {
                var reason = $"the {kind} for {string.Join(", ", route.Identifiers)} is not in the Intune catalog and Graph cannot add it: " +
                    "managed Google Play apps must be approved in the Intune admin center first";
                foreach (var (observation, _) in routed.Where(r => r.Route.Name == route.Name))
                    devices[observation.Device.Id] = Unreachable(route, reason);
            }
        }

        routed.RemoveAll(r => devices.ContainsKey(r.Observation.Device.Id));
        var existingGroup = await graph.FindGroupByNameAsync(GroupName(ban), ct);
        if (routed.Count == 0 && existingGroup is null)
            return new MechanismResult(Id, devices);

        string groupId;
        try
        {
            groupId = existingGroup ?? await CreateGroupAsync(ban, context, ct);
        }
        catch (GraphWriteException e)
        {
            foreach (var (observation, route) in routed)
                devices[observation.Device.Id] = Failed(route, $"the uninstall group could not be created: {e.Message}");
            return new MechanismResult(Id, devices);
        }

        await KeepGroupAsync(ban, groupId, context, ct);
        var members = existingGroup is null
            ? new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>(await graph.DirectMemberIdsAsync(groupId, ct), StringComparer.OrdinalIgnoreCase);
        var ready = new List<(BanObservation Observation, UninstallRoute Route, string ObjectId)>();
        foreach (var routeGroup in routed.GroupBy(r => r.Route.Name))
        {
            var route = routeGroup.First().Route;
            AssignmentProblem? problem;
            try
            {
                problem = await EnsureAssignmentAsync(ban, route, catalog[route.Name], groupId, context, ct);
            }
            catch (GraphWriteException e)
            {
                problem = new AssignmentProblem(e.Message, StopsTheBan: false);
            }

            if (problem is { StopsTheBan: true })
                return MechanismResult.Stopped(Id, StopReason.ForeignObject, problem.Detail, devices);
            foreach (var (observation, _) in routeGroup)
            {
                if (problem is not null)
                {
                    devices[observation.Device.Id] = Failed(route, problem.Detail);
                    continue;
                }

                var objectId = sweep.EarlierStateOf(observation.Device.Id)?.EntraObjectId ?? await EntraObjectIdAsync(observation.Device, ct);
                if (objectId is null)
                    devices[observation.Device.Id] = Failed(route, "no Entra device object for this device");
                else if (members.Contains(objectId))
                    devices[observation.Device.Id] = Assigned(route, newly: false, objectId);
                else
                    ready.Add((observation, route, objectId));
            }
        }

        var audit = new UninstallAudit(context.Audit);
        await AddMembersAsync(ban, groupId, ready, devices, members, context, ct);
        await SyncAsync(ban, devices, audit, context, ct);
        await ReleaseAsync(ban, groupId, uninstall.Released, sweep, members, audit, devices, context, ct);
        return new MechanismResult(Id, devices);
    }

    public async Task<IReadOnlyList<ReconciledWrite>> ReconcileAsync(IReadOnlyList<WriteIntent> open, MechanismContext context, CancellationToken ct)
    {
        var groupId = await GroupOfAsync(context, ct);
        var members = groupId is null
            ? new HashSet<string>()
            : new HashSet<string>(await graph.DirectMemberIdsAsync(groupId, ct), StringComparer.OrdinalIgnoreCase);
        const string Detail = "reconciled: the sweep that sent this write was interrupted before journaling its outcome";
        return [.. open.Select(intent =>
        {
            var member = groupId is null ? null : UninstallAudit.MemberOf(intent.Target, groupId);
            var result = intent.Action switch
            {
                var a when a == AddMember && member is not null => members.Contains(member) ? WriteResult.Done : WriteResult.NotApplied,
                var a when a == RemoveMember && member is not null => members.Contains(member) ? WriteResult.NotApplied : WriteResult.Done,
                var a when a == CreateGroup => WriteResult.Done,
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

    private async Task<string> CreateGroupAsync(Ban ban, MechanismContext context, CancellationToken ct)
    {
        var intent = context.Log.Plan(Id, ban.Id, null, CreateGroup, GroupName(ban));
        var groupId = await context.Log.SendAsync(
            intent,
            () => graph.CreateSecurityGroupAsync(
                GroupName(ban), $"Devices from which IntuneBanSync uninstalls {PlainText.Strip(ban.Name)} (ban '{ban.Id}'). Managed by IntuneBanSync.", ct),
            id => (WriteResult.Done, id),
            ct);
        await context.Resources.RecordAsync(new CreatedResource(Group, groupId, Id, context.Time.GetUtcNow(), GroupName(ban)), ct);
        return groupId;
    }

    /// <summary>A group we created is on the ledger even if a crash came between its creation and the ledger's write.</summary>
    private static async Task KeepGroupAsync(Ban ban, string groupId, MechanismContext context, CancellationToken ct)
    {
        if (!context.Resources.Holds(Id, Group, groupId) && context.Audit.Created(CreateGroup, GroupName(ban)))
            await context.Resources.RecordAsync(new CreatedResource(Group, groupId, Id, context.Time.GetUtcNow(), GroupName(ban)), ct);
    }

    /// <summary>Finds or creates the catalog app of a route and its uninstall assignment to our group.</summary>
    private async Task<AssignmentProblem?> EnsureAssignmentAsync(
        Ban ban, UninstallRoute route, CatalogApp? app, string groupId, MechanismContext context, CancellationToken ct)
    {
        var kind = route.Kind!.Value;
        var now = context.Time.GetUtcNow();
        if (app is null)
        {
            var identifier = route.Identifiers[0];
            var intent = context.Log.Plan(Id, ban.Id, null, CreateApp, AppTarget(kind, identifier));
            app = await context.Log.SendAsync(intent, () => graph.CreateCatalogAppAsync(kind, PlainText.Strip(ban.Name), identifier, ct), a => (WriteResult.Done, a.Id), ct);
            await context.Resources.RecordAsync(new CreatedResource(CatalogApp, app.Id, Id, now, route.Name), ct);
        }
        else if (route.Identifiers.Any(i => context.Audit.Created(CreateApp, AppTarget(kind, i))))
        {
            await context.Resources.RecordAsync(new CreatedResource(CatalogApp, app.Id, Id, now, route.Name), ct);
        }

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

    private async Task<string?> EntraObjectIdAsync(DeviceRecord device, CancellationToken ct) =>
        device.AzureAdDeviceId is { Length: > 0 } entraDeviceId && Guid.TryParse(entraDeviceId, out var parsed) && parsed != Guid.Empty
            ? await graph.EntraDeviceObjectIdAsync(entraDeviceId, ct)
            : null;

    private async Task AddMembersAsync(
        Ban ban, string groupId, List<(BanObservation Observation, UninstallRoute Route, string ObjectId)> ready,
        Dictionary<string, DeviceReach> devices, HashSet<string> members, MechanismContext context, CancellationToken ct)
    {
        foreach (var chunk in ready.Chunk(MembersPerPatch))
        {
            var intents = chunk.Select(r => context.Log.Plan(Id, ban.Id, r.Observation.Device.Id, AddMember, UninstallAudit.MemberTarget(groupId, r.ObjectId))).ToList();
            IReadOnlyDictionary<string, MemberChange> changes;
            try
            {
                changes = await context.Log.SendManyAsync(
                    intents,
                    () => graph.AddMembersAsync(groupId, [.. chunk.Select(r => r.ObjectId)], ct),
                    (answer, intent) => Describe(answer.GetValueOrDefault(UninstallAudit.MemberOf(intent.Target, groupId)!) ?? NoAnswer),
                    ct);
            }
            catch (GraphWriteException e)
            {
                changes = chunk.ToDictionary(r => r.ObjectId, _ => new MemberChange(MemberOutcome.Failed, e.Message));
            }

            foreach (var (observation, route, objectId) in chunk)
            {
                var change = changes.GetValueOrDefault(objectId) ?? NoAnswer;
                devices[observation.Device.Id] = change.Outcome switch
                {
                    MemberOutcome.Done => Assigned(route, newly: true, objectId),
                    MemberOutcome.AlreadyDone => Assigned(route, newly: false, objectId),
                    MemberOutcome.NotFound => Failed(route, "Entra has no such device object", objectId),
                    _ => Failed(route, change.Detail ?? "the group refused the member", objectId),
                };
                if (change.Outcome is MemberOutcome.Done or MemberOutcome.AlreadyDone)
                    members.Add(objectId);
            }
        }
    }

    /// <summary>A check-in makes the uninstall happen now rather than at the device's next scheduled sync; asked once per enforcement.</summary>
    private async Task SyncAsync(Ban ban, Dictionary<string, DeviceReach> devices, UninstallAudit audit, MechanismContext context, CancellationToken ct)
    {
        var toSync = devices.Where(d => d.Value.Reach == Reach.Assigned && !audit.SyncedSinceLastAdd(d.Key))
            .Where(d => d.Value.Newly || audit.Added(d.Key))
            .Select(d => d.Key)
            .ToList();
        foreach (var deviceId in toSync)
        {
            var intent = context.Log.Plan(Id, ban.Id, deviceId, SyncDevice, $"managedDevices/{deviceId}/syncDevice");
            try
            {
                await context.Log.SendAsync(intent, async () => { await graph.SyncDeviceAsync(deviceId, ct); return true; }, _ => (WriteResult.Done, null), ct);
            }
            catch (GraphWriteException)
            {
                // Journaled as failed; the device still syncs on its own schedule.
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

    private static (WriteResult, string?) Describe(MemberChange change) => change.Outcome switch
    {
        MemberOutcome.Done => (WriteResult.Done, null),
        MemberOutcome.AlreadyDone => (WriteResult.AlreadyDone, null),
        MemberOutcome.NotFound => (WriteResult.Failed, "not found"),
        _ => (WriteResult.Failed, change.Detail),
    };

    public static string AssignmentTarget(string appId, string groupId) => $"mobileApps/{appId}/assignments/group/{groupId}";

    public static string AppTarget(CatalogAppKind kind, string identifier) => $"mobileApps/{kind}/{identifier.ToLowerInvariant()}";

    private sealed record AssignmentProblem(string Detail, bool StopsTheBan);

    private sealed record UninstallPlan(
        IReadOnlySet<string> Targets,
        IReadOnlySet<string> NewlyReached,
        IReadOnlyList<(BanObservation Observation, UninstallRoute Route)> Routed,
        IReadOnlyList<(BanObservation Observation, UninstallRoute Route)> Unroutable,
        IReadOnlyList<BanObservation> Released) : MechanismPlan(Id, Targets, NewlyReached);
}
