using System.Text;
using IntuneBanSync.Enforcement.Policies;

namespace IntuneBanSync.Enforcement.Remediation;

/// <summary>
/// The Windows remediation: one beta deviceHealthScript per ban whose detection finds the ban's AppX/MSIX packages for any user and
/// whose remediation removes them (<see cref="RemediationScripts"/>), assigned hourly to the ban's scope and to company devices only,
/// plus one on-demand run per newly offending company Windows device. What it achieved is read back from the run states, one paged
/// read per sweep. It exists while the ban is past its uninstall deadline; it is unassigned and deleted when the ban ends.
/// </summary>
public sealed class WindowsRemediation(GraphPolicies policies, PolicyScope scope) : IEnforcementMechanism
{
    public static readonly MechanismName Id = new("remediation");

    public static readonly ResourceKind Script = new("remediation-script");

    public static readonly WriteAction CreateScript = new("create-remediation");
    public static readonly WriteAction UpdateScript = new("update-remediation");
    public static readonly WriteAction AssignScript = new("assign-remediation");
    public static readonly WriteAction DeleteScript = new("delete-remediation");
    public static readonly WriteAction RunOnDemand = new("run-remediation-on-demand");

    public const string Collection = "deviceHealthScripts";

    /// <summary>The assignment filter platform of Windows 10 and later (deviceAndAppManagementAssignmentFilter.platform).</summary>
    public const string FilterPlatform = "windows10AndLater";

    public const string RouteLabel = "remediation (windows)";

    private const string Reconciled = "reconciled: the sweep that sent this write was interrupted before journaling its outcome";

    public static IReadOnlyList<PermissionUse> Required { get; } =
    [
        new(GraphPermissions.ScriptsReadWrite, "create, update, assign and delete the ban's Windows remediation and read its run states (deviceHealthScripts)", Id.Name),
        new(GraphPermissions.ManagedDevicesPrivileged, "run the remediation at once on a newly offending Windows device (initiateOnDemandProactiveRemediation)", Id.Name),
        new(GraphPermissions.ConfigurationReadWrite, "create the assignment filter that keeps the remediation to company-owned devices (assignmentFilters)", Id.Name),
        .. PolicyScope.ExemptionGroupPermissions(Id),
    ];

    public MechanismName Name => Id;

    public IReadOnlyList<PermissionUse> Permissions => Required;

    public static WindowsRemediation Over(GraphServiceClient client, GraphOptions options)
    {
        var scope = PolicyScope.Over(client, options);
        return new WindowsRemediation(scope.Policies, scope);
    }

    public static string ScriptName(Ban ban) => $"IntuneBanSync – {PlainText.Strip(ban.Name)} – remediation";

    public static string Description(Ban ban, RemediationScriptPair scripts) =>
        $"Finds and removes {PlainText.Strip(ban.Name)} (ban '{PlainText.Strip(ban.Id)}') for every user of company-owned Windows devices, hourly. " +
        $"Managed by IntuneBanSync: changes are overwritten. Scripts {scripts.Digest}.";

    /// <summary>The remediation is assigned while the ban is in force past its uninstall deadline and covers company Windows devices.</summary>
    public static bool Due(Ban ban, DateTimeOffset now) =>
        ban.IsActiveAt(now) && now >= ban.UninstallBy && ban.Scope.Platforms.Contains(DevicePlatform.Windows) && ban.Scope.Ownership.Contains(DeviceOwnership.Company);

    public MechanismPlan Plan(BanSweep ban)
    {
        var targets = ban.WithDecision(DecisionKind.Offending).Where(o => o.Routes.Takes(Route.Remediation)).ToList();
        var newly = targets.Where(o => NewlyOffending(ban.EarlierStateOf(o.Device.Id))).Select(o => o.Device.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var released = ban.Unbound()
            .Where(o => WasReached(ban.EarlierStateOf(o.Device.Id)))
            .ToList();
        // Gone from the inventory since we targeted them: the run state tells whether the remediation is what removed the app.
        var followed = ban.WithDecision(DecisionKind.Clean)
            .Where(o => ban.EarlierStateOf(o.Device.Id) is { State: not LifecycleState.Resolved } earlier
                && earlier.Reaches?.Any(r => r.Mechanism == Id && r.Reach is Reach.Pending or Reach.Failed) == true)
            .ToList();
        return new RemediationPlan(targets.Select(o => o.Device.Id).ToHashSet(StringComparer.OrdinalIgnoreCase), newly, targets, released, followed);
    }

    public async Task<MechanismResult> ApplyAsync(MechanismPlan plan, MechanismContext context, CancellationToken ct)
    {
        var (ban, sweep) = (context.Ban!, context.Sweep!);
        var remediation = (RemediationPlan)plan;
        var devices = new Dictionary<string, DeviceReach>(StringComparer.OrdinalIgnoreCase);
        var notes = new List<string>();
        var due = Due(ban, context.Time.GetUtcNow());
        var found = await OurScriptAsync(ban, context, due, notes, ct);
        if (found.Stop is { } stop)
            return MechanismResult.Stopped(Id, StopReason.ForeignObject, stop);
        if (found.Script is null && !due)
            return new MechanismResult(Id, devices, Notes: notes);

        var scripts = RemediationScripts.For(ban);
        string scriptId;
        IReadOnlyList<PolicyTarget> wanted;
        try
        {
            scriptId = found.Script is { } existing ? await UpdateAsync(ban, existing, scripts, context, ct) : await CreateAsync(ban, scripts, context, ct);
            wanted = due ? await CompanyTargetsAsync(context, ct) : [];
            await AssignAsync(ban, scriptId, wanted, context, ct);
        }
        catch (GraphWriteException e)
        {
            foreach (var observation in remediation.Offending)
                devices[observation.Device.Id] = Reached(Reach.Failed, $"the remediation could not be kept as the ban list wants it: {e.Message}");
            return new MechanismResult(Id, devices, Notes: notes);
        }

        foreach (var observation in remediation.Released)
            devices[observation.Device.Id] = Reached(Reach.Released, $"excluded from the remediation's assignment: {observation.Decision.Text}", newly: true);
        if (remediation.Offending.Count == 0 && remediation.Followed.Count == 0)
            return new MechanismResult(Id, devices, Notes: notes);

        var refused = due ? await RunOnDemandAsync(ban, scriptId, remediation.Offending, context, ct) : [];
        var runs = await RunStatesAsync(scriptId, ct);
        foreach (var observation in remediation.Offending)
        {
            var deviceId = observation.Device.Id;
            var earlier = sweep.EarlierStateOf(deviceId);
            var removedBefore = earlier?.State != LifecycleState.Resolved && earlier?.Reaches?.Any(r => r.Mechanism == Id && r.Reach == Reach.Removed) == true;
            var (reach, reason) = RemediationRunState.Judge(runs.GetValueOrDefault(deviceId), earlier?.ResolvedAt, removedBefore);
            if (reach == Reach.Pending && refused.TryGetValue(deviceId, out var refusal))
                (reach, reason) = (Reach.Failed, $"the on-demand run was refused ({refusal}); the hourly schedule still applies");
            devices[deviceId] = Reached(reach, reason, newly: reach == Reach.Removed ? !removedBefore : remediation.NewlyReached.Contains(deviceId));
        }

        foreach (var observation in remediation.Followed)
        {
            var (reach, reason) = RemediationRunState.Judge(runs.GetValueOrDefault(observation.Device.Id), sweep.EarlierStateOf(observation.Device.Id)?.ResolvedAt, false);
            if (reach == Reach.Removed)
                devices[observation.Device.Id] = Reached(reach, reason, newly: true);
        }

        return new MechanismResult(Id, devices, Notes: notes);
    }

    public async Task<IReadOnlyList<ReconciledWrite>> ReconcileAsync(IReadOnlyList<WriteIntent> open, MechanismContext context, CancellationToken ct)
    {
        var reconciled = new List<ReconciledWrite>();
        foreach (var intent in open)
        {
            var result = WriteResult.Unknown;
            if (intent.Action == CreateScript)
                result = (await policies.FindByNameAsync(Collection, "displayName", intent.Target, ct)).Any(s => MadeBy(s, intent)) ? WriteResult.Done : WriteResult.NotApplied;
            else if (intent.Action == DeleteScript && ScriptOf(intent.Target) is { } id)
                result = await policies.GetAsync(Collection, id, ct) is null ? WriteResult.Done : WriteResult.NotApplied;
            // An update or an assignment is re-read and rewritten by the apply that follows; an on-demand run leaves no trace to read.
            reconciled.Add(new ReconciledWrite(intent, result, Reconciled));
        }

        return reconciled;
    }

    /// <summary>The ban ended: unassign and delete the remediations our ledger holds (or, after a crash, the one our journal created), nothing else.</summary>
    public async Task<MechanismResult> WindDownAsync(MechanismContext context, CancellationToken ct)
    {
        var ours = context.Resources.Live(Id, Script).ToList();
        if (ours.Count == 0 && context.Ban is { } ban && LastCreate(context.Audit) is { } create
            && (await policies.FindByNameAsync(Collection, "displayName", ScriptName(ban), ct)).Where(s => MadeBy(s, create)).ToList() is [var only])
        {
            var adopted = new CreatedResource(Script, IdOf(only), Id, context.Time.GetUtcNow(), ScriptName(ban));
            await context.Resources.RecordAsync(adopted, ct);
            ours.Add(adopted);
        }

        var done = true;
        foreach (var script in ours)
        {
            try
            {
                if (await policies.GetAsync(Collection, script.GraphId, ct) is not null)
                {
                    await AssignAsync(context.Ban, script.GraphId, [], context, ct);
                    var intent = context.Log.Plan(Id, context.BanId, null, DeleteScript, ScriptTarget(script.GraphId));
                    await context.Log.SendAsync(intent, () => policies.DeleteAsync(Collection, script.GraphId, ct), gone => (gone ? WriteResult.Done : WriteResult.AlreadyDone, null), ct);
                }

                await context.Resources.RetireAsync(script, context.Time.GetUtcNow(), ct);
            }
            catch (GraphWriteException)
            {
                // Journaled as failed; the next sweep tries again.
                done = false;
            }
        }

        var devices = new Dictionary<string, DeviceReach>(StringComparer.OrdinalIgnoreCase);
        if (done && context.Sweep is { } sweep)
        {
            foreach (var observation in sweep.Devices.Values.Where(o => WasReached(sweep.EarlierStateOf(o.Device.Id))))
                devices[observation.Device.Id] = Reached(Reach.Released, "the ban ended: its remediation was unassigned and deleted", newly: true);
        }

        return new MechanismResult(Id, devices, WoundDown: done);
    }

    /// <summary>
    /// Our remediation: on the ledger (and still in the tenant); else, after a crash between its creation and the ledger's write, the
    /// one named as ours that our journal says we created. A look-alike someone else made is left alone.
    /// </summary>
    private async Task<FoundScript> OurScriptAsync(Ban ban, MechanismContext context, bool due, List<string> notes, CancellationToken ct)
    {
        foreach (var recorded in context.Resources.Live(Id, Script).ToList())
        {
            if (await policies.GetAsync(Collection, recorded.GraphId, ct) is { } body)
                return new FoundScript(recorded.GraphId, body);
            // Someone deleted it in the admin center: it is retired, and a new one is made if the ban still wants it.
            await context.Resources.RetireAsync(recorded, context.Time.GetUtcNow(), ct);
        }

        var create = LastCreate(context.Audit);
        if (!due && create is null)
            return FoundScript.None;
        var name = ScriptName(ban);
        var all = await policies.FindByNameAsync(Collection, "displayName", name, ct);
        var named = create is null ? [] : all.Where(s => MadeBy(s, create)).ToList();
        if (all.Count > named.Count)
            notes.Add($"a remediation named '{name}' that IntuneBanSync did not create exists ({string.Join(", ", all.Except(named).Select(IdOf))}); it is left untouched");
        if (named.Count == 0)
            return FoundScript.None;
        if (named.Count > 1)
            return new FoundScript(null, null,
                $"{named.Count} remediations are named '{name}' and the journal cannot tell which one IntuneBanSync created; delete or rename the others, then sweep again");
        var id = IdOf(named[0]);
        await context.Resources.RecordAsync(new CreatedResource(Script, id, Id, context.Time.GetUtcNow(), name), ct);
        return new FoundScript(id, await policies.GetAsync(Collection, id, ct) ?? named[0]);
    }

    private async Task<string> CreateAsync(Ban ban, RemediationScriptPair scripts, MechanismContext context, CancellationToken ct)
    {
        var name = ScriptName(ban);
        var body = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceHealthScript",
            ["displayName"] = name,
            ["description"] = Description(ban, scripts),
            ["publisher"] = "IntuneBanSync",
            ["detectionScriptContent"] = scripts.DetectionBase64,
            ["remediationScriptContent"] = scripts.RemediationBase64,
            ["runAsAccount"] = "system",
            ["enforceSignatureCheck"] = false,
            ["runAs32Bit"] = false,
        };
        var intent = context.Log.Plan(Id, ban.Id, null, CreateScript, name);
        var id = await context.Log.SendAsync(intent, () => policies.CreateAsync(Collection, body, ct), created => (WriteResult.Done, created), ct);
        await context.Resources.RecordAsync(new CreatedResource(Script, id, Id, context.Time.GetUtcNow(), name), ct);
        return id;
    }

    /// <summary>Writes only what differs from what the ban list wants: the scripts (when an identifier or display name changed), the name, the settings.</summary>
    private async Task<string> UpdateAsync(Ban ban, FoundScript found, RemediationScriptPair scripts, MechanismContext context, CancellationToken ct)
    {
        var (id, body) = (found.Id!, found.Body!.Value);
        var patch = new JsonObject();
        void Want(string property, JsonNode value, bool differs)
        {
            if (differs)
                patch[property] = value;
        }

        var description = Description(ban, scripts);
        var contentKnown = Text(body, "detectionScriptContent") is not null && Text(body, "remediationScriptContent") is not null;
        var contentDiffers = contentKnown
            ? Decoded(Text(body, "detectionScriptContent")) != scripts.Detection || Decoded(Text(body, "remediationScriptContent")) != scripts.Remediation
            // Graph did not answer the content: the digest in the description tells what was deployed.
            : Text(body, "description") != description;
        Want("displayName", ScriptName(ban), Text(body, "displayName") != ScriptName(ban));
        Want("description", description, Text(body, "description") != description);
        Want("detectionScriptContent", scripts.DetectionBase64, contentDiffers);
        Want("remediationScriptContent", scripts.RemediationBase64, contentDiffers);
        Want("runAsAccount", "system", Text(body, "runAsAccount") != "system");
        Want("enforceSignatureCheck", false, !Is(body, "enforceSignatureCheck", false));
        Want("runAs32Bit", false, !Is(body, "runAs32Bit", false));
        if (patch.Count == 0)
            return id;

        var changed = string.Join(", ", patch.Select(p => p.Key));
        patch["@odata.type"] = "#microsoft.graph.deviceHealthScript";
        var intent = context.Log.Plan(Id, ban.Id, null, UpdateScript, ScriptTarget(id));
        await context.Log.SendAsync(intent, async () => { await policies.UpdateAsync(Collection, id, patch, ct); return true; }, _ => (WriteResult.Done, changed), ct);
        return id;
    }

    /// <summary>
    /// The ban's targets, narrowed to company-owned devices: <see cref="PolicyScope"/> adds an ownership filter only when the ban names
    /// one ownership, so a ban for company and personal devices is scoped as if it named company alone — the same filter, shared
    /// with any other Windows policy of the ban that is for company devices.
    /// </summary>
    private Task<IReadOnlyList<PolicyTarget>> CompanyTargetsAsync(MechanismContext context, CancellationToken ct)
    {
        var ban = context.Ban!;
        var companyOnly = ban.Scope.Ownership.Count == 1
            ? context
            : context with { Ban = ban with { Scope = ban.Scope with { Ownership = new HashSet<DeviceOwnership> { DeviceOwnership.Company } } } };
        return scope.TargetsAsync(this, companyOnly, FilterPlatform, ct);
    }

    /// <summary>POST …/assign replaces every assignment: sent only when what Graph holds differs, and only for a remediation we created.</summary>
    private async Task AssignAsync(Ban? ban, string scriptId, IReadOnlyList<PolicyTarget> wanted, MechanismContext context, CancellationToken ct)
    {
        var current = new List<(PolicyTarget? Target, bool Hourly)>();
        await foreach (var assignment in policies.Json.ListAsync($"the assignments of remediation {scriptId}", $"{policies.Collection(Collection)}/{Uri.EscapeDataString(scriptId)}/assignments", ct))
        {
            var target = assignment.TryGetProperty("target", out var t) ? PolicyTarget.FromJson(t) : null;
            current.Add((target, target?.Kind == TargetKind.ExcludedGroup || RunsHourly(assignment)));
        }

        if (PolicyTarget.SameSet(current.Select(c => c.Target), wanted) && current.All(c => c.Hourly))
            return;
        var intent = context.Log.Plan(Id, ban?.Id ?? context.BanId, null, AssignScript, $"{ScriptTarget(scriptId)}/assign");
        await context.Log.SendAsync(
            intent,
            async () => { await policies.AssignOurAsync(Collection, scriptId, "deviceHealthScriptAssignments", [.. wanted.Select(Assignment)], ct); return true; },
            _ => (WriteResult.Done, wanted.Count == 0 ? "unassigned" : $"{wanted.Count} targets, hourly"),
            ct);
    }

    private static JsonObject Assignment(PolicyTarget target)
    {
        var assignment = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceHealthScriptAssignment",
            ["target"] = target.ToJson(),
            ["runRemediationScript"] = target.Kind != TargetKind.ExcludedGroup,
        };
        if (target.Kind != TargetKind.ExcludedGroup)
            assignment["runSchedule"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.deviceHealthScriptHourlySchedule", ["interval"] = 1 };
        return assignment;
    }

    private static bool RunsHourly(JsonElement assignment) =>
        assignment.TryGetProperty("runRemediationScript", out var runs) && runs.ValueKind == JsonValueKind.True
        && assignment.TryGetProperty("runSchedule", out var schedule) && schedule.ValueKind == JsonValueKind.Object
        && Text(schedule, "@odata.type")?.TrimStart('#') == "microsoft.graph.deviceHealthScriptHourlySchedule"
        && schedule.TryGetProperty("interval", out var interval) && interval.ValueKind == JsonValueKind.Number && interval.GetInt32() == 1;

    /// <summary>
    /// One on-demand run per device and offence: never again once asked (the action leaves nothing to read back), unless the device
    /// was resolved since and offends anew. A refused request is journaled as failed and asked again next sweep.
    /// </summary>
    private async Task<Dictionary<string, string>> RunOnDemandAsync(
        Ban ban, string scriptId, IReadOnlyList<BanObservation> offending, MechanismContext context, CancellationToken ct)
    {
        var intents = new List<WriteIntent>();
        foreach (var observation in offending)
        {
            var deviceId = observation.Device.Id;
            var since = context.Sweep!.EarlierStateOf(deviceId)?.ResolvedAt;
            if (context.Audit.OfDevice(deviceId).Any(e => e.Intent.Action == RunOnDemand
                && e.Outcome?.Result is not (WriteResult.Failed or WriteResult.NotApplied) && (since is null || e.Intent.At > since)))
                continue;
            intents.Add(context.Log.Plan(Id, ban.Id, deviceId, RunOnDemand, $"managedDevices/{deviceId}/initiateOnDemandProactiveRemediation/{scriptId}"));
        }

        var body = new JsonObject { ["scriptPolicyId"] = scriptId };
        var answers = await context.Log.SendEachAsync(
            intents,
            step => policies.ActEachAsync(
                $"run remediation {scriptId} on {step.Count} devices",
                [.. step.Select(i => new GraphAction(i.WriteId, $"/deviceManagement/managedDevices/{Uri.EscapeDataString(i.DeviceId!)}/initiateOnDemandProactiveRemediation", body))],
                ct),
            _ => null,
            ct);
        return intents.Where(i => !answers[i.WriteId].Done)
            .ToDictionary(i => i.DeviceId!, i => $"Could not run remediation {scriptId} on device {i.DeviceId}: {answers[i.WriteId].Detail}", StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every device's last run, in one paged read (not one read per device).</summary>
    private async Task<Dictionary<string, RemediationRunState>> RunStatesAsync(string scriptId, CancellationToken ct)
    {
        var runs = new Dictionary<string, RemediationRunState>(StringComparer.OrdinalIgnoreCase);
        var url = $"{policies.Collection(Collection)}/{Uri.EscapeDataString(scriptId)}/deviceRunStates?$expand=managedDevice($select=id)";
        await foreach (var item in policies.Json.ListAsync($"the run states of remediation {scriptId}", url, ct))
        {
            if (RemediationRunState.FromJson(item) is { } run)
                runs[run.DeviceId] = run;
        }

        return runs;
    }

    /// <summary>Our last create of a remediation, when no delete of ours came after it: a remediation of ours may stand in the tenant.</summary>
    private static WriteIntent? LastCreate(AuditView audit)
    {
        var created = audit.Entries.LastOrDefault(e => e.Intent.Action == CreateScript && e.Outcome?.Result is not (WriteResult.Failed or WriteResult.NotApplied));
        var deleted = audit.Entries.LastOrDefault(e => e.Intent.Action == DeleteScript && e.Outcome?.Result is WriteResult.Done or WriteResult.AlreadyDone);
        return created is not null && (deleted is null || string.CompareOrdinal(created.Intent.WriteId, deleted.Intent.WriteId) > 0) ? created.Intent : null;
    }

    /// <summary>Graph stamps createdDateTime when it creates: a remediation older than our create request (minus clock skew) is someone else's.</summary>
    private static bool MadeBy(JsonElement script, WriteIntent create) =>
        Text(script, "createdDateTime") is not { } at
        || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
        || created >= create.At - ClockSkew;

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static bool NewlyOffending(DeviceBanState? earlier) =>
        earlier is null || earlier.State == LifecycleState.Resolved
        || earlier.Reaches?.Any(r => r.Mechanism == Id && r.Reach is Reach.Removed or Reach.Pending) != true;

    private static bool WasReached(DeviceBanState? earlier) =>
        earlier?.Reaches?.Any(r => r.Mechanism == Id && r.Reach is Reach.Removed or Reach.Pending) == true;

    private static DeviceReach Reached(Reach reach, string reason, bool newly = false) => new(Id, reach, RouteLabel, newly, reason);

    public static string ScriptTarget(string scriptId) => $"{Collection}/{scriptId}";

    private static string? ScriptOf(string target) => target.Split('/') is [Collection, var id] ? id : null;

    private static string IdOf(JsonElement script) => Text(script, "id") ?? throw new GraphReadException("a remediation's id", new InvalidOperationException("Graph answered a remediation without an id."));

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Is(JsonElement item, string name, bool expected) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == (expected ? JsonValueKind.True : JsonValueKind.False);

    private static string? Decoded(string? base64)
    {
        try
        {
            return base64 is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed record FoundScript(string? Id, JsonElement? Body, string? Stop = null)
    {
        public static FoundScript None { get; } = new(null, null);

        public FoundScript? Script => Id is null ? null : this;
    }

    private sealed record RemediationPlan(
        IReadOnlySet<string> Targets,
        IReadOnlySet<string> NewlyReached,
        IReadOnlyList<BanObservation> Offending,
        IReadOnlyList<BanObservation> Released,
        IReadOnlyList<BanObservation> Followed) : MechanismPlan(Id, Targets, NewlyReached);
}
