namespace IntuneBanSync.Enforcement.Policies;

/// <summary>How one kind of policy a mechanism creates (one per ban) is named in Graph and in the journal.</summary>
/// <param name="FilterPlatform">The assignment filter platform of the policy's ownership filter ("iOS", "androidForWork", …).</param>
/// <param name="FilterByName">Graph answers $filter on the name property for this collection; otherwise names are matched on a listing.</param>
public sealed record OwnedPolicyKind(
    string Collection,
    string NameProperty,
    ResourceKind Resource,
    string FilterPlatform,
    bool FilterByName,
    WriteAction Create,
    WriteAction Update,
    WriteAction Assign,
    WriteAction Unassign,
    WriteAction Delete)
{
    public string CreateTarget(string name) => $"{Collection}/{name}";

    public string Target(string id) => $"{Collection}/{id}";

    public string AssignTarget(string id) => $"{Collection}/{id}/assign";
}

/// <summary>How one policy is kept: ours (null: created), its name and body, whether Graph's copy is current, and how it is updated.</summary>
public sealed record PolicyUpkeep(
    CreatedResource? Ours, string Name, Func<JsonObject> Body, Func<CreatedResource, Task<bool>> IsCurrentAsync, Func<CreatedResource, Task> UpdateAsync);

/// <summary>What a device becomes once it checked in under the policy, in the words the report shows.</summary>
public sealed record CheckInReach(string Route, Reach Reached, string ReachedText, string PendingText);

/// <summary>
/// The one policy a mechanism keeps for a ban: on the ledger from the moment it is created (or, after a crash between its creation
/// and the ledger's write, found by its name because the audit says we created it), assigned to the ban's scope, and unassigned and
/// deleted on wind-down. Every write goes through the write log; nothing here writes to a policy the ledger does not hold.
/// </summary>
public sealed class OwnedPolicy(GraphPolicies policies, PolicyScope scope, OwnedPolicyKind kind)
{
    public static OwnedPolicy Over(GraphServiceClient client, GraphOptions options, OwnedPolicyKind kind)
    {
        var scope = PolicyScope.Over(client, options);
        return new OwnedPolicy(scope.Policies, scope, kind);
    }

    public OwnedPolicyKind Kind => kind;

    public GraphPolicies Graph => policies;

    /// <summary>The policy the ledger holds for this ban, if any.</summary>
    public static CreatedResource? Recorded(IEnforcementMechanism mechanism, MechanismContext context, OwnedPolicyKind kind) =>
        context.Resources.Live(mechanism.Name, kind.Resource).FirstOrDefault();

    /// <summary>
    /// The policy on the ledger, or one named <paramref name="name"/> that the audit says we created after our last policy of this kind
    /// was retired (a crash came between its creation and the ledger's write); it goes on the ledger then. <paramref name="listed"/> are
    /// the collection's (id, name) pairs when the caller already listed them.
    /// </summary>
    public async Task<CreatedResource?> OursAsync(
        IEnforcementMechanism mechanism, MechanismContext context, string name, IReadOnlyList<(string Id, string Name)>? listed, CancellationToken ct)
    {
        if (Recorded(mechanism, context, kind) is { } recorded)
            return recorded;
        var lastRetired = context.Resources.Current.Of(mechanism.Name).Where(r => r.Kind == kind.Resource).Max(r => r.RetiredAt);
        var created = context.Audit.Entries.Any(e => e.Intent.Action == kind.Create && e.Intent.Target == kind.CreateTarget(name)
            && e.Outcome?.Result is not (WriteResult.Failed or WriteResult.NotApplied) && (lastRetired is null || e.Intent.At > lastRetired));
        if (!created)
            return null;
        var named = (listed ?? await NamedAsync(name, ct)).Where(p => p.Name == name).ToList();
        if (named.Count != 1)
            return null;
        var resource = new CreatedResource(kind.Resource, named[0].Id, mechanism.Name, context.Time.GetUtcNow(), name);
        await context.Resources.RecordAsync(resource, ct);
        return resource;
    }

    /// <summary>Creates the policy and puts it on the ledger at once.</summary>
    public async Task<CreatedResource> CreateAsync(IEnforcementMechanism mechanism, MechanismContext context, string name, JsonObject body, CancellationToken ct)
    {
        var intent = context.Log.Plan(mechanism.Name, context.BanId, null, kind.Create, kind.CreateTarget(name));
        var id = await context.Log.SendAsync(intent, () => policies.CreateAsync(kind.Collection, body, ct), id => (WriteResult.Done, id), ct);
        var resource = new CreatedResource(kind.Resource, id, mechanism.Name, context.Time.GetUtcNow(), name);
        await context.Resources.RecordAsync(resource, ct);
        return resource;
    }

    /// <summary>Sends an update of our policy (a PATCH or a PUT, as the collection wants) through the write log.</summary>
    public Task UpdateAsync(IEnforcementMechanism mechanism, MechanismContext context, string id, Func<Task> send, CancellationToken ct) =>
        context.Log.SendAsync(
            context.Log.Plan(mechanism.Name, context.BanId, null, kind.Update, kind.Target(id)),
            async () => { await send(); return true; },
            _ => (WriteResult.Done, null),
            ct);

    /// <summary>Assigns our policy to the ban's scope when Graph shows other targets; true when it wrote.</summary>
    public async Task<bool> AssignAsync(IEnforcementMechanism mechanism, MechanismContext context, string id, CancellationToken ct)
    {
        var wanted = await scope.TargetsAsync(mechanism, context, kind.FilterPlatform, ct);
        var current = await policies.AssignmentsAsync(kind.Collection, id, ct);
        if (PolicyTarget.SameSet(current, wanted))
            return false;
        var intent = context.Log.Plan(mechanism.Name, context.BanId, null, kind.Assign, kind.AssignTarget(id));
        await context.Log.SendAsync(
            intent,
            async () =>
            {
                await policies.AssignOurAsync(kind.Collection, id, "assignments", [.. wanted.Select(t => new JsonObject { ["target"] = t.ToJson() })], ct);
                return true;
            },
            _ => (WriteResult.Done, null),
            ct);
        return true;
    }

    /// <summary>
    /// When what our policy gives devices last changed: the last create, update or assignment the audit shows for it. A device that
    /// checked in after that has it.
    /// </summary>
    public DateTimeOffset ChangedAt(MechanismContext context, CreatedResource policy) =>
        context.Audit.Entries
            .Where(e => (e.Intent.Action == kind.Update && e.Intent.Target == kind.Target(policy.GraphId))
                || (e.Intent.Action == kind.Assign && e.Intent.Target == kind.AssignTarget(policy.GraphId)))
            .Where(e => e.Outcome?.Result is not (WriteResult.Failed or WriteResult.NotApplied))
            .Select(e => e.Intent.At)
            .Append(policy.CreatedAt)
            .Max();

    /// <summary>Unassigns and deletes every policy of this kind the ledger holds for the ban; false when a write was refused (retried next sweep).</summary>
    public async Task<bool> WindDownAsync(IEnforcementMechanism mechanism, MechanismContext context, CancellationToken ct)
    {
        var done = true;
        foreach (var policy in context.Resources.Live(mechanism.Name, kind.Resource).ToList())
        {
            try
            {
                if (await policies.GetAsync(kind.Collection, policy.GraphId, ct, "$select=id") is not null)
                {
                    if ((await policies.AssignmentsAsync(kind.Collection, policy.GraphId, ct)).Count > 0)
                    {
                        var unassign = context.Log.Plan(mechanism.Name, context.BanId, null, kind.Unassign, kind.AssignTarget(policy.GraphId));
                        await context.Log.SendAsync(
                            unassign,
                            async () => { await policies.AssignOurAsync(kind.Collection, policy.GraphId, "assignments", [], ct); return true; },
                            _ => (WriteResult.Done, null),
                            ct);
                    }

                    var delete = context.Log.Plan(mechanism.Name, context.BanId, null, kind.Delete, kind.Target(policy.GraphId));
                    await context.Log.SendAsync(
                        delete, () => policies.DeleteAsync(kind.Collection, policy.GraphId, ct), gone => (gone ? WriteResult.Done : WriteResult.AlreadyDone, null), ct);
                }

                await context.Resources.RetireAsync(policy, context.Time.GetUtcNow(), ct);
            }
            catch (GraphWriteException)
            {
                // Journaled as failed; the next sweep tries again.
                done = false;
            }
        }

        return done;
    }

    /// <summary>
    /// Outcomes, read from the tenant, for writes of this kind a crash left open: a create is done if a policy of that name exists
    /// (it goes on the ledger), an unassignment if the policy has no assignment left, a deletion if the policy is gone. Updates,
    /// assignments and the scope's own writes cannot be told apart from a later change: the next apply compares and writes only what
    /// still differs.
    /// </summary>
    public async Task<IReadOnlyList<ReconciledWrite>> ReconcileAsync(
        IEnforcementMechanism mechanism, IReadOnlyList<WriteIntent> open, MechanismContext context, CancellationToken ct)
    {
        const string Detail = "reconciled: the sweep that sent this write was interrupted before journaling its outcome";
        const string Compared = "reconciled: not readable back; the next sweep compares the policy with the ban and writes only what differs";
        var reconciled = new List<ReconciledWrite>();
        foreach (var intent in open)
        {
            var id = IdOf(intent.Target);
            WriteResult result;
            if (intent.Action == kind.Create)
            {
                var name = intent.Target[(kind.Collection.Length + 1)..];
                var named = (await NamedAsync(name, ct)).Where(p => p.Name == name).ToList();
                if (named.Count == 1 && Recorded(mechanism, context, kind) is null)
                    await context.Resources.RecordAsync(new CreatedResource(kind.Resource, named[0].Id, mechanism.Name, intent.At, name), ct);
                result = named.Count switch { 0 => WriteResult.NotApplied, 1 => WriteResult.Done, _ => WriteResult.Unknown };
            }
            else if (intent.Action == kind.Delete && id is not null)
            {
                result = await policies.GetAsync(kind.Collection, id, ct, "$select=id") is null ? WriteResult.Done : WriteResult.NotApplied;
            }
            else if (intent.Action == kind.Unassign && id is not null)
            {
                result = await policies.GetAsync(kind.Collection, id, ct, "$select=id") is null
                    || (await policies.AssignmentsAsync(kind.Collection, id, ct)).Count == 0
                    ? WriteResult.Done
                    : WriteResult.NotApplied;
            }
            else
            {
                reconciled.Add(new ReconciledWrite(intent, WriteResult.Unknown, Compared));
                continue;
            }

            reconciled.Add(new ReconciledWrite(intent, result, Detail));
        }

        return reconciled;
    }

    /// <summary>The (id, name) pairs of the collection's entities with this name.</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> NamedAsync(string name, CancellationToken ct)
    {
        if (kind.FilterByName)
            return [.. (await policies.FindByNameAsync(kind.Collection, kind.NameProperty, name, ct)).Select(e => (Text(e, "id")!, Text(e, kind.NameProperty)!))];
        var found = new List<(string, string)>();
        await foreach (var item in policies.ListAsync(kind.Collection, ct, $"$select=id,{kind.NameProperty}"))
        {
            if (Text(item, kind.NameProperty) == name && Text(item, "id") is { } id)
                found.Add((id, name));
        }

        return found;
    }

    /// <summary>What this mechanism reported for the device at the last sweep it acted, if anything.</summary>
    public static RouteReach? EarlierReach(BanSweep sweep, string deviceId, MechanismName mechanism) =>
        sweep.EarlierStateOf(deviceId)?.Reaches?.LastOrDefault(r => r.Mechanism == mechanism);

    /// <summary>The mechanism targeted the device at the last sweep it acted (reached it, waits for it, or its write failed).</summary>
    public static bool WasTargeted(BanSweep sweep, string deviceId, MechanismName mechanism) =>
        EarlierReach(sweep, deviceId, mechanism)?.Reach is Reach.Pending or Reach.Failed or Reach.LaunchBlocked or Reach.InstallBlocked
            or Reach.Assigned or Reach.Noncompliant or Reach.Notified or Reach.Removed;

    /// <summary>Devices the mechanism targeted before that have since become exempt or left the ban's scope.</summary>
    public static List<BanObservation> Released(BanSweep sweep, MechanismName mechanism) =>
        [.. sweep.Unbound().Where(o => WasTargeted(sweep, o.Device.Id, mechanism))];

    /// <summary>
    /// Creates the policy, or brings ours up to date, and assigns it to the ban's scope. Each device is then reached once it checked
    /// in after the policy last changed, pending until then (newly so when this mechanism had not reported it so before); all of
    /// them failed when a write is refused, retried next sweep.
    /// </summary>
    public async Task KeepAsync(
        IEnforcementMechanism mechanism, MechanismContext context, PolicyUpkeep upkeep, CheckInReach reach,
        IReadOnlyList<BanObservation> observations, Dictionary<string, DeviceReach> devices, CancellationToken ct)
    {
        var sweep = context.Sweep!;
        try
        {
            var ours = upkeep.Ours;
            var wrote = false;
            if (ours is null)
            {
                ours = await CreateAsync(mechanism, context, upkeep.Name, upkeep.Body(), ct);
                wrote = true;
            }
            else if (!await upkeep.IsCurrentAsync(ours))
            {
                await UpdateAsync(mechanism, context, ours.GraphId, () => upkeep.UpdateAsync(ours), ct);
                wrote = true;
            }

            wrote |= await AssignAsync(mechanism, context, ours.GraphId, ct);
            var since = wrote ? context.Time.GetUtcNow() : ChangedAt(context, ours);
            foreach (var observation in observations)
            {
                devices[observation.Device.Id] = observation.Device.LastSyncDateTime > since
                    ? new DeviceReach(mechanism.Name, reach.Reached, reach.Route, EarlierReach(sweep, observation.Device.Id, mechanism.Name)?.Reach != reach.Reached, reach.ReachedText)
                    : new DeviceReach(mechanism.Name, Reach.Pending, reach.Route, Reason: reach.PendingText);
            }
        }
        catch (GraphWriteException e)
        {
            foreach (var observation in observations)
                devices[observation.Device.Id] = new DeviceReach(mechanism.Name, Reach.Failed, reach.Route, Reason: e.Message);
        }
    }

    /// <summary>Devices the mechanism targeted before that this sweep says nothing else about: the policy that reached them is gone.</summary>
    public static void ReleaseTheTargeted(BanSweep sweep, Dictionary<string, DeviceReach> devices, MechanismName mechanism, string route, string reason)
    {
        foreach (var observation in sweep.Devices.Values.Where(o => !devices.ContainsKey(o.Device.Id) && WasTargeted(sweep, o.Device.Id, mechanism)))
            devices[observation.Device.Id] = new DeviceReach(mechanism, Reach.Released, route, Newly: true, reason);
    }

    /// <summary>The ban ended: the policy is unassigned and deleted, and every device it targeted is released.</summary>
    public async Task<MechanismResult> WindDownReleasingAsync(IEnforcementMechanism mechanism, MechanismContext context, CancellationToken ct)
    {
        var done = await WindDownAsync(mechanism, context, ct);
        var devices = new Dictionary<string, DeviceReach>(StringComparer.OrdinalIgnoreCase);
        foreach (var observation in context.Sweep?.Devices.Values.Where(o => WasTargeted(context.Sweep, o.Device.Id, mechanism.Name)) ?? [])
            devices[observation.Device.Id] = new DeviceReach(mechanism.Name, Reach.Released, "wind-down", Newly: true, "the ban ended");
        return new MechanismResult(mechanism.Name, devices, WoundDown: done);
    }

    public static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private string? IdOf(string target)
    {
        var rest = target.StartsWith(kind.Collection + "/", StringComparison.Ordinal) ? target[(kind.Collection.Length + 1)..] : null;
        var id = rest?.Split('/')[0];
        return id is not null && Guid.TryParse(id, out _) ? id : null;
    }
}
