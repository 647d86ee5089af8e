using IntuneBanSync.BanList;
using IntuneBanSync.Graph;
using IntuneBanSync.Journal;
using IntuneBanSync.Planning;

namespace IntuneBanSync.Enforcement;

/// <summary>
/// Makes the tenant match one ban's decisions: offending devices past the deadline in our uninstall group, whose app carries
/// an uninstall assignment to it; exempt or out-of-scope devices out of it. Every write is planned from a fresh read, so a
/// second sweep with nothing changed sends none, and a sweep after a crash does not repeat what the crash left done.
/// </summary>
public sealed class BanEnforcer(IEnforcementGraph graph, JournalStore journal, WriteLog log, string tenant)
{
    private const int MembersPerPatch = 20;

    public static string GroupName(Ban ban) => $"IntuneBanSync – {ban.Name} – uninstall";

    public async Task<BanEnforcementResult> EnforceAsync(
        BanSweep sweep, IReadOnlyDictionary<string, DeviceBanState> states, EnforcementPolicy policy, EnforcementBudget budget, CancellationToken ct)
    {
        var ban = sweep.Ban;
        var devices = new Dictionary<string, DeviceEnforcement>(StringComparer.OrdinalIgnoreCase);
        var offending = sweep.Devices.Values.Where(o => o.Decision.Kind == DecisionKind.Offending).ToList();
        var routed = new List<(BanObservation Observation, EnforcementRoute Route)>();
        foreach (var observation in offending)
        {
            var route = RouteOf(ban, observation);
            if (route.CanEnforce)
                routed.Add((observation, route));
            else
                devices[observation.Device.Id] = new(EnforcementOutcome.Unenforceable, route.Name, route.Unenforceable);
        }

        var newOnes = routed.Count(r => states.GetValueOrDefault(r.Observation.Device.Id)?.State != DeviceLifecycle.Enforcing);
        var cap = ban.Limits.CapFor(sweep.InScopeDevices);
        if (!policy.OverrideBlastRadius && newOnes > cap)
            return new(ban.Id, $"held: blast radius — {newOnes} new enforcements exceed the cap of {cap} " +
                $"({ban.Limits.MaxDevices} devices or {ban.Limits.MaxPercent}% of {sweep.InScopeDevices} in-scope devices); nothing was enforced", null, devices);
        if (!policy.OverrideBlastRadius && !budget.TryTake(newOnes))
            return new(ban.Id, $"held: blast radius — {newOnes} new enforcements exceed what is left of the sweep's cap of {policy.MaxNewEnforcementsPerSweep}", null, devices);

        var audit = new AuditView(await journal.GetAuditAsync(tenant, ban.Id, ct));
        var removals = sweep.Devices.Values.Where(o => o.Decision.Kind is DecisionKind.Exempt or DecisionKind.OutOfScope or DecisionKind.BanNotActive).ToList();

        // Reads first: a route whose app is missing and cannot be created needs no group and no write.
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
                    devices[observation.Device.Id] = new(EnforcementOutcome.Unenforceable, route.Name, reason);
            }
        }

        routed.RemoveAll(r => devices.ContainsKey(r.Observation.Device.Id));
        var existingGroup = await graph.FindGroupByNameAsync(GroupName(ban), ct);
        if (routed.Count == 0 && existingGroup is null)
            return new(ban.Id, null, null, devices);

        var resources = await journal.GetBanResourcesAsync(tenant, ban.Id, ct) ?? new BanResources(ban.Id, GroupName(ban), null, false, []);
        string groupId;
        try
        {
            groupId = existingGroup ?? await CreateGroupAsync(ban, ct);
        }
        catch (GraphWriteException e)
        {
            return Fail(ban, routed, devices, $"the uninstall group could not be created: {e.Message}");
        }

        var apps = resources.Apps.ToList();
        var members = existingGroup is null
            ? new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>(await graph.DirectMemberIdsAsync(groupId, ct), StringComparer.OrdinalIgnoreCase);
        var ready = new List<(BanObservation Observation, EnforcementRoute Route, string ObjectId)>();
        foreach (var routeGroup in routed.GroupBy(r => r.Route.Name))
        {
            var route = routeGroup.First().Route;
            string? problem;
            try
            {
                problem = await EnsureUninstallAssignmentAsync(ban, route, catalog[route.Name], groupId, apps, audit, ct);
            }
            catch (GraphWriteException e)
            {
                problem = e.Message;
            }

            if (problem is { } stop && stop.StartsWith("stop:", StringComparison.Ordinal))
                return new(ban.Id, null, stop["stop:".Length..].Trim(), devices);
            foreach (var (observation, _) in routeGroup)
            {
                if (problem is not null)
                {
                    devices[observation.Device.Id] = new(EnforcementOutcome.Failed, route.Name, problem);
                    continue;
                }

                var objectId = states.GetValueOrDefault(observation.Device.Id)?.EntraObjectId ?? await EntraObjectIdAsync(observation.Device, ct);
                if (objectId is null)
                    devices[observation.Device.Id] = new(EnforcementOutcome.Failed, route.Name, "no Entra device object for this device");
                else if (members.Contains(objectId))
                    devices[observation.Device.Id] = new(EnforcementOutcome.AlreadyEnforced, route.Name, null, objectId);
                else
                    ready.Add((observation, route, objectId));
            }
        }

        await AddMembersAsync(ban, groupId, ready, devices, members, ct);
        await SyncAsync(ban, devices, audit, ct);
        await RemoveReleasedAsync(ban, groupId, removals, states, members, audit, devices, ct);
        await ReconcileAsync(audit, groupId, members, ct);
        await journal.SaveBanResourcesAsync(
            tenant, resources with { GroupId = groupId, GroupCreatedByUs = audit.Created(AuditView.CreateGroup, GroupName(ban)) || existingGroup is null, Apps = apps, WoundDown = false }, ct);
        return new(ban.Id, null, null, devices);
    }

    /// <summary>The ban expired or left the list: take out the members and the assignments the journal says we added, nothing else.</summary>
    public async Task<BanEnforcementResult> WindDownAsync(string banId, BanResources resources, CancellationToken ct)
    {
        var devices = new Dictionary<string, DeviceEnforcement>(StringComparer.OrdinalIgnoreCase);
        var audit = new AuditView(await journal.GetAuditAsync(tenant, banId, ct));
        var groupId = resources.GroupId ?? await graph.FindGroupByNameAsync(resources.GroupName, ct);
        if (groupId is not null)
        {
            var members = await graph.DirectMemberIdsAsync(groupId, ct);
            foreach (var objectId in audit.MembersWeAdded(groupId).Where(members.Contains))
            {
                var deviceId = audit.Entries.LastOrDefault(e => e.Intent.Action == AuditView.AddMember && e.Intent.Target.EndsWith(objectId, StringComparison.OrdinalIgnoreCase))?.Intent.DeviceId;
                var intent = log.Plan(banId, deviceId, AuditView.RemoveMember, AuditView.MemberTarget(groupId, objectId));
                try
                {
                    await log.SendAsync(intent, () => graph.RemoveMemberAsync(groupId, objectId, ct), Describe, ct);
                    if (deviceId is not null)
                        devices[deviceId] = new(EnforcementOutcome.Removed, "wind-down", "the ban ended");
                }
                catch (GraphWriteException)
                {
                    // Journaled as failed; the next sweep tries again.
                }
            }
        }

        var apps = new List<BanAppResource>();
        foreach (var app in resources.Apps)
        {
            if (groupId is not null && app.AssignmentCreatedByUs && app.AssignmentId is { } assignmentId)
            {
                var assignments = await graph.AssignmentsAsync(app.AppId, ct);
                if (assignments.Any(a => a.Id == assignmentId))
                {
                    var intent = log.Plan(banId, null, AuditView.DeleteAssignment, $"mobileApps/{app.AppId}/assignments/{assignmentId}");
                    try
                    {
                        await log.SendAsync(intent, () => graph.DeleteAssignmentAsync(app.AppId, assignmentId, ct), gone => (gone ? "done" : "already-done", null), ct);
                    }
                    catch (GraphWriteException)
                    {
                        apps.Add(app);
                        continue;
                    }
                }
            }

            apps.Add(app with { AssignmentId = null, AssignmentCreatedByUs = false });
        }

        await journal.SaveBanResourcesAsync(tenant, resources with { GroupId = groupId, Apps = apps, WoundDown = apps.All(a => a.AssignmentId is null) }, ct);
        return new(banId, null, null, devices, WoundDown: true);
    }

    public static EnforcementRoute RouteOf(Ban ban, BanObservation observation)
    {
        var routes = observation.Apps.Select(a => EnforcementRoute.For(ban, a.Platform)).ToList();
        return routes.FirstOrDefault(r => r.CanEnforce) ?? routes.FirstOrDefault() ?? EnforcementRoute.For(ban, null);
    }

    private async Task<string> CreateGroupAsync(Ban ban, CancellationToken ct)
    {
        var intent = log.Plan(ban.Id, null, AuditView.CreateGroup, GroupName(ban));
        return await log.SendAsync(
            intent,
            () => graph.CreateSecurityGroupAsync(GroupName(ban), $"Devices from which IntuneBanSync uninstalls {ban.Name} (ban '{ban.Id}'). Managed by IntuneBanSync.", ct),
            id => ("done", id),
            ct);
    }

    /// <summary>Finds or creates the catalog app of a route and its uninstall assignment to our group. Returns a problem, or "stop: …" when the ban must stop.</summary>
    private async Task<string?> EnsureUninstallAssignmentAsync(
        Ban ban, EnforcementRoute route, CatalogApp? app, string groupId, List<BanAppResource> apps, AuditView audit, CancellationToken ct)
    {
        var kind = route.Kind!.Value;
        var created = false;
        if (app is null)
        {
            var identifier = route.Identifiers[0];
            var intent = log.Plan(ban.Id, null, AuditView.CreateApp, AuditView.AppTarget(kind, identifier));
            app = await log.SendAsync(intent, () => graph.CreateCatalogAppAsync(kind, ban.Name, identifier, ct), a => ("done", a.Id), ct);
            created = true;
        }

        created |= route.Identifiers.Any(i => audit.Created(AuditView.CreateApp, AuditView.AppTarget(kind, i)));
        var assignments = await graph.AssignmentsAsync(app.Id, ct);
        var ours = assignments.FirstOrDefault(a => string.Equals(a.GroupId, groupId, StringComparison.OrdinalIgnoreCase));
        if (ours is not null && !string.Equals(ours.Intent, "uninstall", StringComparison.OrdinalIgnoreCase))
            return $"stop: group '{GroupName(ban)}' already carries a '{ours.Intent}' assignment of app {app.Id} ({app.DisplayName}); IntuneBanSync does not change it. Remove it, then sweep again.";
        var assignmentCreated = audit.Created(AuditView.AddAssignment, AuditView.AssignmentTarget(app.Id, groupId));
        if (ours is null)
        {
            var intent = log.Plan(ban.Id, null, AuditView.AddAssignment, AuditView.AssignmentTarget(app.Id, groupId));
            ours = await log.SendAsync(intent, () => graph.AddGroupAssignmentAsync(app.Id, groupId, "uninstall", ct), a => ("done", a.Id), ct);
            assignmentCreated = true;
        }

        apps.RemoveAll(a => a.Route == route.Name);
        apps.Add(new BanAppResource(route.Name, app.Id, created, ours.Id, assignmentCreated));
        return null;
    }

    private async Task<string?> EntraObjectIdAsync(DeviceRecord device, CancellationToken ct) =>
        device.AzureAdDeviceId is { Length: > 0 } entraDeviceId && Guid.TryParse(entraDeviceId, out var parsed) && parsed != Guid.Empty
            ? await graph.EntraDeviceObjectIdAsync(entraDeviceId, ct)
            : null;

    private async Task AddMembersAsync(
        Ban ban, string groupId, List<(BanObservation Observation, EnforcementRoute Route, string ObjectId)> ready,
        Dictionary<string, DeviceEnforcement> devices, HashSet<string> members, CancellationToken ct)
    {
        foreach (var chunk in ready.Chunk(MembersPerPatch))
        {
            var intents = chunk.Select(r => log.Plan(ban.Id, r.Observation.Device.Id, AuditView.AddMember, AuditView.MemberTarget(groupId, r.ObjectId))).ToList();
            IReadOnlyDictionary<string, MemberChange> changes;
            try
            {
                changes = await log.SendManyAsync(
                    intents,
                    () => graph.AddMembersAsync(groupId, chunk.Select(r => r.ObjectId).ToList(), ct),
                    (answer, intent) => Describe(answer.GetValueOrDefault(intent.Target[(intent.Target.LastIndexOf('/') + 1)..]) ?? new MemberChange(MemberOutcome.Failed, "no answer")),
                    ct);
            }
            catch (GraphWriteException e)
            {
                changes = chunk.ToDictionary(r => r.ObjectId, _ => new MemberChange(MemberOutcome.Failed, e.Message));
            }

            foreach (var (observation, route, objectId) in chunk)
            {
                var change = changes.GetValueOrDefault(objectId) ?? new MemberChange(MemberOutcome.Failed, "no answer");
                devices[observation.Device.Id] = change.Outcome switch
                {
                    MemberOutcome.Done => new(EnforcementOutcome.Enforced, route.Name, null, objectId),
                    MemberOutcome.AlreadyDone => new(EnforcementOutcome.AlreadyEnforced, route.Name, null, objectId),
                    MemberOutcome.NotFound => new(EnforcementOutcome.Failed, route.Name, "Entra has no such device object", objectId),
                    _ => new(EnforcementOutcome.Failed, route.Name, change.Detail ?? "the group refused the member", objectId),
                };
                if (change.Outcome is MemberOutcome.Done or MemberOutcome.AlreadyDone)
                    members.Add(objectId);
            }
        }
    }

    /// <summary>A check-in makes the uninstall happen now rather than at the device's next scheduled sync; asked once per enforcement.</summary>
    private async Task SyncAsync(Ban ban, Dictionary<string, DeviceEnforcement> devices, AuditView audit, CancellationToken ct)
    {
        var toSync = devices.Where(d => d.Value.Outcome is EnforcementOutcome.Enforced or EnforcementOutcome.AlreadyEnforced && !audit.SyncedSinceLastAdd(d.Key))
            .Select(d => d.Key)
            .Where(id => devices[id].Outcome == EnforcementOutcome.Enforced || audit.Entries.Any(e => e.Intent.Action == AuditView.AddMember && e.Intent.DeviceId == id))
            .ToList();
        foreach (var deviceId in toSync)
        {
            var intent = log.Plan(ban.Id, deviceId, AuditView.SyncDevice, $"managedDevices/{deviceId}/syncDevice");
            try
            {
                await log.SendAsync(intent, async () => { await graph.SyncDeviceAsync(deviceId, ct); return true; }, _ => ("done", null), ct);
            }
            catch (GraphWriteException)
            {
                // Journaled as failed; the device still syncs on its own schedule.
            }
        }
    }

    private async Task RemoveReleasedAsync(
        Ban ban, string groupId, List<BanObservation> released, IReadOnlyDictionary<string, DeviceBanState> states, HashSet<string> members,
        AuditView audit, Dictionary<string, DeviceEnforcement> devices, CancellationToken ct)
    {
        var ours = audit.MembersWeAdded(groupId);
        foreach (var observation in released)
        {
            if (states.GetValueOrDefault(observation.Device.Id)?.EntraObjectId is not { } objectId || !members.Contains(objectId) || !ours.Contains(objectId))
                continue;
            var intent = log.Plan(ban.Id, observation.Device.Id, AuditView.RemoveMember, AuditView.MemberTarget(groupId, objectId));
            try
            {
                await log.SendAsync(intent, () => graph.RemoveMemberAsync(groupId, objectId, ct), Describe, ct);
                members.Remove(objectId);
                devices[observation.Device.Id] = new(EnforcementOutcome.Removed, "released", observation.Decision.Reason, objectId);
            }
            catch (GraphWriteException)
            {
                // Journaled as failed; retried next sweep.
            }
        }
    }

    /// <summary>Intents a crash left without an outcome get one now, from what the tenant shows.</summary>
    private async Task ReconcileAsync(AuditView audit, string groupId, HashSet<string> members, CancellationToken ct)
    {
        var outcomes = new List<(WriteIntent, string, string)>();
        foreach (var entry in audit.Open)
        {
            var intent = entry.Intent;
            var member = intent.Target.StartsWith($"groups/{groupId}/members/", StringComparison.OrdinalIgnoreCase) ? intent.Target[(intent.Target.LastIndexOf('/') + 1)..] : null;
            var result = intent.Action switch
            {
                AuditView.AddMember when member is not null => members.Contains(member) ? "done" : "not-applied",
                AuditView.RemoveMember when member is not null => members.Contains(member) ? "not-applied" : "done",
                AuditView.CreateGroup => "done",
                _ => "unknown",
            };
            outcomes.Add((intent, result, "reconciled: the sweep that sent this write was interrupted before journaling its outcome"));
        }

        await log.ReconcileAsync(outcomes, ct);
    }

    private static BanEnforcementResult Fail(Ban ban, List<(BanObservation Observation, EnforcementRoute Route)> routed, Dictionary<string, DeviceEnforcement> devices, string reason)
    {
        foreach (var (observation, route) in routed)
            devices[observation.Device.Id] = new(EnforcementOutcome.Failed, route.Name, reason);
        return new(ban.Id, null, null, devices);
    }

    private static (string, string?) Describe(MemberChange change) => change.Outcome switch
    {
        MemberOutcome.Done => ("done", null),
        MemberOutcome.AlreadyDone => ("already-done", null),
        MemberOutcome.NotFound => ("failed", "not found"),
        _ => ("failed", change.Detail),
    };
}

/// <summary>What is left of the sweep-wide cap on new enforcements.</summary>
public sealed class EnforcementBudget(int total)
{
    private int _left = total;

    public bool TryTake(int count)
    {
        if (count > _left)
            return false;
        _left -= count;
        return true;
    }
}
