using IntuneBanSync.Enforcement.Policies;

namespace IntuneBanSync.Enforcement.Compliance;

/// <summary>
/// The compliance route: per ban, one compliance policy per platform with restricted apps (iOS, Android device administrator) listing
/// the ban's identifiers, assigned to the ban's scope, and one notification template. A device with the app is notified at once and
/// marked noncompliant from the uninstall deadline (the block action's grace, kept to the hours left on every sweep); Conditional
/// Access turns noncompliance into blocked access, and the report says when no policy does. Every write is planned from a fresh read
/// of what the ledger says we created: a second sweep with nothing changed sends none, and a look-alike someone else made is never read
/// as ours.
/// </summary>
public sealed class ComplianceMechanism(ComplianceGraph graph, PolicyScope scope) : IEnforcementMechanism
{
    public static readonly MechanismName Id = new("compliance");

    public static readonly ResourceKind Policy = new("compliance-policy");
    public static readonly ResourceKind Template = new("notification-template");

    public static readonly WriteAction CreatePolicy = new("create-compliance-policy");
    public static readonly WriteAction UpdatePolicy = new("update-compliance-policy");
    public static readonly WriteAction ScheduleActions = new("schedule-compliance-actions");
    public static readonly WriteAction AssignPolicy = new("assign-compliance-policy");
    public static readonly WriteAction UnassignPolicy = new("unassign-compliance-policy");
    public static readonly WriteAction DeletePolicy = new("delete-compliance-policy");
    public static readonly WriteAction CreateTemplate = new("create-notification-template");
    public static readonly WriteAction UpdateTemplate = new("update-notification-template");
    public static readonly WriteAction CreateMessage = new("create-notification-message");
    public static readonly WriteAction UpdateMessage = new("update-notification-message");
    public static readonly WriteAction DeleteTemplate = new("delete-notification-template");

    public const string PendingReason = "noncompliant once it checks in: its compliance policy restricts the app";
    public const string NoncompliantReason = "noncompliant while the app is installed; Conditional Access decides what that blocks";

    // An object found by name after a crash is ours only if Graph created it after we asked, give or take the clocks' difference.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The manifest's entries for this route.</summary>
    public static IReadOnlyList<PermissionUse> Required { get; } =
    [
        new(GraphPermissions.ConfigurationReadWrite, "create, update, assign and delete the ban's compliance policies and its ownership assignment filter", Id.Name),
        new(GraphPermissions.ServiceConfigReadWrite, "create the ban's notification message template and its localized messages", Id.Name),
        new(GraphPermissions.PolicyRead, "read Conditional Access policies to tell whether noncompliance blocks access (without it the report says the check was not made)", Id.Name),
        .. PolicyScope.ExemptionGroupPermissions(Id),
    ];

    // Policy.Read.All only informs the report: without it the mechanism runs and says the check was not made.
    private static readonly IReadOnlyList<PermissionUse> Needed = [.. Required.Where(p => p.Permission != GraphPermissions.PolicyRead)];

    private readonly Lock _gate = new();
    private (string RunId, ConditionalAccessView View)? _conditionalAccess;

    public MechanismName Name => Id;

    public IReadOnlyList<PermissionUse> Permissions => Needed;

    public static ComplianceMechanism Over(GraphServiceClient client, GraphOptions options)
    {
        var scope = PolicyScope.Over(client, options);
        return new ComplianceMechanism(new ComplianceGraph(scope.Policies), scope);
    }

    /// <summary>
    /// Targets: devices seen with the app, offending or in grace, of a class the compliance route takes. Newly reached: offending ones the
    /// last sweep did not leave under the policy (reached, or waiting for a check-in).
    /// </summary>
    public MechanismPlan Plan(BanSweep ban)
    {
        var targets = ban.WithDecision(DecisionKind.Offending, DecisionKind.Grace)
            .Where(o => o.Apps.Count > 0 && o.Routes.Takes(Route.Compliance) && CompliancePlatform.For(o.Class) is not null)
            .ToList();
        var newly = targets
            .Where(o => o.Decision.Kind == DecisionKind.Offending && CompliancePlatform.For(o.Class)!.Applies(ban.Ban) && !UnderPolicy(ban.EarlierStateOf(o.Device.Id)))
            .Select(o => o.Device.Id)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var released = ban.Unbound()
            .Where(o => UnderPolicy(ban.EarlierStateOf(o.Device.Id)))
            .ToList();
        return new CompliancePlan(targets.Select(o => o.Device.Id).ToHashSet(StringComparer.OrdinalIgnoreCase), newly, targets, released);
    }

    public async Task<MechanismResult> ApplyAsync(MechanismPlan plan, MechanismContext context, CancellationToken ct)
    {
        var ban = context.Ban!;
        var compliance = (CompliancePlan)plan;
        await AdoptFromAuditAsync(context, ct);

        var platforms = CompliancePlatform.All.Where(p => p.Applies(ban)).ToList();
        var problems = new Dictionary<CompliancePlatform, string>();
        await RemoveUnusedAsync(platforms, context, ct);
        if (platforms.Count > 0)
        {
            string? templateId = null;
            try
            {
                templateId = await EnsureTemplateAsync(ban, context, ct);
            }
            catch (GraphWriteException e)
            {
                platforms.ForEach(p => problems[p] = $"its notification template could not be kept: {e.Message}");
            }

            foreach (var platform in platforms.Where(_ => templateId is not null))
            {
                try
                {
                    await EnsurePolicyAsync(ban, platform, templateId!, context, ct);
                }
                catch (GraphWriteException e)
                {
                    problems[platform] = $"the {platform.Label} compliance policy could not be kept: {e.Message}";
                }
            }
        }

        var devices = new Dictionary<string, DeviceReach>(StringComparer.OrdinalIgnoreCase);
        foreach (var observation in compliance.Targeted)
            devices[observation.Device.Id] = await ReachAsync(ban, observation, context, problems, ct);
        // The assignment's exclusions (and filter) release them; a platform whose policy could not be kept has not released anyone.
        foreach (var observation in compliance.Released.Where(o => CompliancePlatform.For(o.Class) is { } p && !problems.ContainsKey(p)))
            devices[observation.Device.Id] = new DeviceReach(Id, Reach.Released, "released", Newly: true, $"excluded from the compliance policy: {observation.Decision.Text}");

        var notes = new List<string>();
        if (platforms.Count > problems.Count && await ConditionalAccessNoteAsync(ban, [.. platforms.Where(p => !problems.ContainsKey(p))], context, ct) is { } note)
            notes.Add(note);
        return new MechanismResult(Id, devices, Notes: notes);
    }

    public async Task<IReadOnlyList<ReconciledWrite>> ReconcileAsync(IReadOnlyList<WriteIntent> open, MechanismContext context, CancellationToken ct)
    {
        const string Detail = "reconciled: the sweep that sent this write was interrupted; the next apply re-reads the tenant and writes only what differs";
        var results = new List<ReconciledWrite>();
        foreach (var intent in open)
        {
            if (Created.Parse(intent) is { } created)
            {
                var id = await FindCreatedAsync(created, intent.At, ct);
                if (id is not null)
                    await context.Resources.RecordAsync(new CreatedResource(created.Kind, id, Id, context.Time.GetUtcNow(), created.Label), ct);
                results.Add(new ReconciledWrite(intent, id is null ? WriteResult.NotApplied : WriteResult.Done, id ?? Detail));
            }
            else if (Deleted.Parse(intent) is { } deleted)
            {
                var exists = deleted.Collection == ComplianceGraph.Policies
                    ? await graph.PolicyAsync(deleted.GraphId, ct) is not null
                    : await graph.TemplateAsync(deleted.GraphId, ct) is not null;
                results.Add(new ReconciledWrite(intent, exists ? WriteResult.NotApplied : WriteResult.Done, Detail));
            }
            else
            {
                results.Add(new ReconciledWrite(intent, WriteResult.Unknown, Detail));
            }
        }

        return results;
    }

    /// <summary>The ban expired or left the list: unassign and delete the policies and the template the ledger says we created, nothing else.</summary>
    public async Task<MechanismResult> WindDownAsync(MechanismContext context, CancellationToken ct)
    {
        await AdoptFromAuditAsync(context, ct);
        var done = await RemoveUnusedAsync([], context, ct);
        var devices = new Dictionary<string, DeviceReach>(StringComparer.OrdinalIgnoreCase);
        if (done && context.Sweep is { } sweep)
        {
            foreach (var state in sweep.Earlier.Values.Where(UnderPolicy))
                devices[state.DeviceId] = new DeviceReach(Id, Reach.Released, "wind-down", Newly: true, "the ban ended: its compliance policy was deleted");
        }

        return new MechanismResult(Id, devices, WoundDown: done);
    }

    public static string PolicyWriteTarget(CompliancePlatform platform, string name) => $"{ComplianceGraph.Policies}/{platform.Label}/{name}";

    public static string TemplateWriteTarget(string name) => $"{ComplianceGraph.Templates}/{name}";

    private static bool UnderPolicy(DeviceBanState? earlier) =>
        earlier?.Reaches?.Any(r => r.Mechanism == Id && (r.Reached || r.Reach == Reach.Pending)) == true;

    private async Task<DeviceReach> ReachAsync(
        Ban ban, BanObservation observation, MechanismContext context, Dictionary<CompliancePlatform, string> problems, CancellationToken ct)
    {
        var (sweep, platform) = (context.Sweep!, CompliancePlatform.For(observation.Class)!);
        var policySince = context.Resources.Live(Id, Policy).FirstOrDefault(r => r.Label == platform.Label)?.CreatedAt;
        var earlier = sweep.EarlierStateOf(observation.Device.Id)?.Reaches?.FirstOrDefault(r => r.Mechanism == Id)?.Reach;
        DeviceReach Reached(Reach reach, string reason) => new(Id, reach, platform.Route, Newly: earlier != reach, reason);

        if (!platform.Applies(ban))
            return new DeviceReach(Id, Reach.Unreachable, $"none (compliance {platform.Label})", Reason: $"the ban list gives no {platform.Label} identifier, so no compliance policy can restrict the app");
        if (problems.TryGetValue(platform, out var problem))
            return new DeviceReach(Id, Reach.Failed, platform.Route, Reason: problem);
        if (observation.Decision.Kind == DecisionKind.Grace)
            return Reached(Reach.Notified, $"notified; noncompliant from {ban.UninstallBy.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)} if the app is still installed");
        // Until the device checks in after our policy exists, its state says nothing of the policy (it may be noncompliant for another reason).
        if (policySince is null || observation.Device.LastSyncDateTime is not { } synced || synced <= policySince)
            return Reached(Reach.Pending, PendingReason);
        return await graph.ComplianceStateAsync(observation.Device.Id, ct) switch
        {
            "noncompliant" => Reached(Reach.Noncompliant, NoncompliantReason),
            "inGracePeriod" => Reached(Reach.Pending, "in Intune's compliance grace period: noncompliant when it ends"),
            _ => Reached(Reach.Pending, PendingReason),
        };
    }

    /// <summary>Finds the template on the ledger (or creates it), then its localized messages, each written only where it differs.</summary>
    private async Task<string> EnsureTemplateAsync(Ban ban, MechanismContext context, CancellationToken ct)
    {
        var name = NotificationMessages.TemplateName(ban);
        var recorded = context.Resources.Live(Id, Template).FirstOrDefault();
        var shown = recorded is null ? null : await graph.TemplateAsync(recorded.GraphId, ct);
        if (recorded is not null && shown is null)
            await context.Resources.RetireAsync(recorded, context.Time.GetUtcNow(), ct);

        string templateId;
        IReadOnlyList<JsonElement> messages;
        if (shown is { } template)
        {
            templateId = recorded!.GraphId;
            if (Text(template, "displayName") != name)
            {
                var rename = context.Log.Plan(Id, ban.Id, null, UpdateTemplate, $"{ComplianceGraph.Templates}/{templateId}");
                await context.Log.SendAsync(
                    rename,
                    async () => { await graph.UpdateTemplateAsync(templateId, new JsonObject { ["displayName"] = name }, ct); return true; },
                    _ => (WriteResult.Done, null),
                    ct);
            }

            messages = await graph.MessagesAsync(templateId, ct);
        }
        else
        {
            var body = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.notificationMessageTemplate",
                ["displayName"] = name,
                ["defaultLocale"] = NotificationMessages.DefaultLocale,
                ["brandingOptions"] = "none",
            };
            var intent = context.Log.Plan(Id, ban.Id, null, CreateTemplate, TemplateWriteTarget(name));
            templateId = await context.Log.SendAsync(intent, () => graph.CreateAsync(ComplianceGraph.Templates, body, ct), id => (WriteResult.Done, id), ct);
            await context.Resources.RecordAsync(new CreatedResource(Template, templateId, Id, context.Time.GetUtcNow(), name), ct);
            messages = [];
        }

        foreach (var wanted in NotificationMessages.For(ban))
        {
            var existing = messages.FirstOrDefault(m => string.Equals(Text(m, "locale"), wanted.Locale, StringComparison.OrdinalIgnoreCase));
            if (existing.ValueKind == JsonValueKind.Undefined)
            {
                var intent = context.Log.Plan(Id, ban.Id, null, CreateMessage, $"{ComplianceGraph.Templates}/{templateId}/localizedNotificationMessages/{wanted.Locale}");
                await context.Log.SendAsync(intent, async () => { await graph.CreateMessageAsync(templateId, wanted.ToJson(), ct); return true; }, _ => (WriteResult.Done, null), ct);
            }
            else if (Text(existing, "subject") != wanted.Subject || Text(existing, "messageTemplate") != wanted.Body
                || (wanted.IsDefault && !(existing.TryGetProperty("isDefault", out var isDefault) && isDefault.ValueKind == JsonValueKind.True)))
            {
                var messageId = Text(existing, "id") ?? "";
                var patch = new JsonObject { ["subject"] = wanted.Subject, ["messageTemplate"] = wanted.Body };
                if (wanted.IsDefault)
                    patch["isDefault"] = true;
                var intent = context.Log.Plan(Id, ban.Id, null, UpdateMessage, $"{ComplianceGraph.Templates}/{templateId}/localizedNotificationMessages/{messageId}");
                await context.Log.SendAsync(intent, async () => { await graph.UpdateMessageAsync(templateId, messageId, patch, ct); return true; }, _ => (WriteResult.Done, null), ct);
            }
        }

        return templateId;
    }

    /// <summary>Finds the platform's policy on the ledger (or creates it) and makes its settings, actions and assignments what the ban wants.</summary>
    private async Task EnsurePolicyAsync(Ban ban, CompliancePlatform platform, string templateId, MechanismContext context, CancellationToken ct)
    {
        var now = context.Time.GetUtcNow();
        var recorded = context.Resources.Live(Id, Policy).FirstOrDefault(r => r.Label == platform.Label);
        var json = recorded is null ? null : await graph.PolicyAsync(recorded.GraphId, ct);
        if (recorded is not null && json is null)
            await context.Resources.RetireAsync(recorded, now, ct);

        string policyId;
        IReadOnlyList<PolicyTarget?> assigned;
        if (json is { } found)
        {
            policyId = recorded!.GraphId;
            var shown = CompliancePolicyJson.Read(found);
            if (!shown.SettingsMatch(ban, platform))
                await SendAsync(context, UpdatePolicy, $"{ComplianceGraph.Policies}/{policyId}", () => graph.UpdatePolicyAsync(policyId, CompliancePolicyJson.Settings(ban, platform), ct), ct);
            if (!shown.ActionsMatch(templateId, ban.UninstallBy, now))
            {
                var schedule = CompliancePolicyJson.Schedule(templateId, CompliancePolicyJson.GraceHours(ban.UninstallBy, now));
                await SendAsync(context, ScheduleActions, $"{ComplianceGraph.Policies}/{policyId}/scheduleActionsForRules", () => graph.ScheduleActionsAsync(policyId, schedule, ct), ct);
            }

            assigned = await graph.AssignmentsAsync(policyId, ct);
        }
        else
        {
            var body = CompliancePolicyJson.Create(ban, platform, templateId, CompliancePolicyJson.GraceHours(ban.UninstallBy, now));
            var intent = context.Log.Plan(Id, ban.Id, null, CreatePolicy, PolicyWriteTarget(platform, CompliancePolicyJson.Name(ban, platform)));
            policyId = await context.Log.SendAsync(intent, () => graph.CreateAsync(ComplianceGraph.Policies, body, ct), id => (WriteResult.Done, id), ct);
            await context.Resources.RecordAsync(new CreatedResource(Policy, policyId, Id, now, platform.Label), ct);
            assigned = [];
        }

        var wanted = await scope.TargetsAsync(this, context, platform.FilterPlatform, ct);
        if (!PolicyTarget.SameSet(assigned, wanted))
            await SendAsync(context, AssignPolicy, $"{ComplianceGraph.Policies}/{policyId}/assign", () => graph.AssignAsync(policyId, wanted, ct), ct);
    }

    /// <summary>
    /// Policies of platforms the ban no longer has (all of them on a wind-down) are unassigned and deleted, and the template once no
    /// policy is left. True when nothing of ours is left in use.
    /// </summary>
    private async Task<bool> RemoveUnusedAsync(IReadOnlyList<CompliancePlatform> keep, MechanismContext context, CancellationToken ct)
    {
        var done = true;
        foreach (var policy in context.Resources.Live(Id, Policy).Where(r => !keep.Any(p => p.Label == r.Label)).ToList())
        {
            try
            {
                if (await graph.PolicyAsync(policy.GraphId, ct) is not null)
                {
                    if ((await graph.AssignmentsAsync(policy.GraphId, ct)).Count > 0)
                        await SendAsync(context, UnassignPolicy, $"{ComplianceGraph.Policies}/{policy.GraphId}/assign", () => graph.AssignAsync(policy.GraphId, [], ct), ct);
                    await DeleteAsync(context, DeletePolicy, ComplianceGraph.Policies, policy.GraphId, ct);
                }

                await context.Resources.RetireAsync(policy, context.Time.GetUtcNow(), ct);
            }
            catch (GraphWriteException)
            {
                // Journaled as failed; the next sweep tries again.
                done = false;
            }
        }

        if (keep.Count > 0 || !done)
            return done;
        foreach (var template in context.Resources.Live(Id, Template).ToList())
        {
            try
            {
                await DeleteAsync(context, DeleteTemplate, ComplianceGraph.Templates, template.GraphId, ct);
                await context.Resources.RetireAsync(template, context.Time.GetUtcNow(), ct);
            }
            catch (GraphWriteException)
            {
                done = false;
            }
        }

        return done;
    }

    /// <summary>
    /// An object whose create the audit shows done but the ledger lacks (a crash came between the two) is ours: it goes on the ledger if
    /// it still exists. Ids the ledger retired are not looked at again.
    /// </summary>
    private async Task AdoptFromAuditAsync(MechanismContext context, CancellationToken ct)
    {
        var known = context.Resources.Current.Resources.Select(r => r.GraphId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in context.Audit.Entries.Where(e => e.Outcome is { Result: WriteResult.Done, Detail: { Length: > 0 } }))
        {
            if (Created.Parse(entry.Intent) is not { } created || entry.Outcome!.Detail is not { } id || known.Contains(id))
                continue;
            var exists = created.Kind == Policy ? await graph.PolicyAsync(id, ct) is not null : await graph.TemplateAsync(id, ct) is not null;
            if (exists)
                await context.Resources.RecordAsync(new CreatedResource(created.Kind, id, Id, context.Time.GetUtcNow(), created.Label), ct);
            known.Add(id);
        }
    }

    /// <summary>The object a create whose answer a crash lost made: same name, created after the intent was journaled.</summary>
    private async Task<string?> FindCreatedAsync(Created created, DateTimeOffset intentAt, CancellationToken ct)
    {
        var collection = created.Kind == Policy ? ComplianceGraph.Policies : ComplianceGraph.Templates;
        foreach (var candidate in await graph.FindByNameAsync(collection, created.Name, ct))
        {
            var at = Text(candidate, "createdDateTime") ?? Text(candidate, "lastModifiedDateTime");
            if (at is not null && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) && when >= intentAt - ClockSkew
                && Text(candidate, "id") is { } id)
                return id;
        }

        return null;
    }

    private async Task<string?> ConditionalAccessNoteAsync(Ban ban, IReadOnlyList<CompliancePlatform> platforms, MechanismContext context, CancellationToken ct)
    {
        var view = await ConditionalAccessAsync(context.Trace.RunId, ct);
        return view.Unchecked ?? ConditionalAccessCheck.NoteFor(ban, platforms, view.Policies!);
    }

    /// <summary>The tenant's Conditional Access policies, read once per sweep for all bans; a refused or failed read is a note, never a stop.</summary>
    private async Task<ConditionalAccessView> ConditionalAccessAsync(string runId, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_conditionalAccess is { } cached && cached.RunId == runId)
                return cached.View;
        }

        ConditionalAccessView view;
        try
        {
            view = new ConditionalAccessView(await graph.ConditionalAccessPoliciesAsync(ct), null);
        }
        catch (GraphReadException e)
        {
            view = new ConditionalAccessView(null, ConditionalAccessCheck.Unchecked(e));
        }

        lock (_gate)
            _conditionalAccess = (runId, view);
        return view;
    }

    private static Task SendAsync(MechanismContext context, WriteAction action, string target, Func<Task> send, CancellationToken ct) =>
        context.Log.SendAsync(context.Log.Plan(Id, context.BanId, null, action, target), async () => { await send(); return true; }, _ => (WriteResult.Done, null), ct);

    private async Task DeleteAsync(MechanismContext context, WriteAction action, string collection, string graphId, CancellationToken ct)
    {
        var intent = context.Log.Plan(Id, context.BanId, null, action, $"{collection}/{graphId}");
        await context.Log.SendAsync(intent, () => graph.DeleteAsync(collection, graphId, ct), gone => (gone ? WriteResult.Done : WriteResult.AlreadyDone, null), ct);
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record ConditionalAccessView(IReadOnlyList<ConditionalAccessPolicy>? Policies, string? Unchecked);

    /// <summary>A create intent read back: which kind of object, its ledger label, its name.</summary>
    private sealed record Created(ResourceKind Kind, string Label, string Name)
    {
        public static Created? Parse(WriteIntent intent)
        {
            if (intent.Action == CreatePolicy && intent.Target.Split('/', 3) is [ComplianceGraph.Policies, var label, var name])
                return new Created(Policy, label, name);
            if (intent.Action == CreateTemplate && intent.Target.Split('/', 2) is [ComplianceGraph.Templates, var template])
                return new Created(Template, template, template);
            return null;
        }
    }

    private sealed record Deleted(string Collection, string GraphId)
    {
        public static Deleted? Parse(WriteIntent intent) =>
            (intent.Action == DeletePolicy || intent.Action == DeleteTemplate) && intent.Target.Split('/') is [var collection, var id] ? new Deleted(collection, id) : null;
    }

    private sealed record CompliancePlan(
        IReadOnlySet<string> Targets,
        IReadOnlySet<string> NewlyReached,
        IReadOnlyList<BanObservation> Targeted,
        IReadOnlyList<BanObservation> Released) : MechanismPlan(Id, Targets, NewlyReached);
}
