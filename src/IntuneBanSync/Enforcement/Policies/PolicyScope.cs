using IntuneBanSync.Enforcement.Groups;

namespace IntuneBanSync.Enforcement.Policies;

/// <summary>
/// Where a ban's policies are assigned: its include groups, or all users and all devices when it names none; excluded for its
/// exclude groups, its exemption groups in force, and a group IntuneBanSync keeps of the users and devices exempted one by one
/// (an exclusion target names a group, never a user or a device). A ban for company devices only (or personal only) narrows every
/// include target with an assignment filter on ownership, so no policy reaches a device outside the ban's scope.
/// </summary>
public sealed class PolicyScope(IGroupGraph groups, GraphPolicies policies)
{
    /// <summary>The scope over the SDK, with the policies client a mechanism keeps its own policies through.</summary>
    public static PolicyScope Over(GraphServiceClient client, GraphOptions options) =>
        new(new GraphGroups(client, options), new GraphPolicies(new GraphJson(client, options)));

    public GraphPolicies Policies => policies;

    /// <summary>What keeping the ban's exemption group (users and devices exempted one by one, excluded from every policy) needs.</summary>
    public static IReadOnlyList<PermissionUse> ExemptionGroupPermissions(MechanismName mechanism) =>
    [
        new(GraphPermissions.GroupCreate, "create the ban's exemption group (users and devices exempted one by one), excluded from its policies", mechanism.Name),
        new(GraphPermissions.GroupMemberReadWrite, "keep the exemption group's members", mechanism.Name),
        new(GraphPermissions.DeviceReadWrite, "add exempted Entra device objects to the exemption group (Graph asks for it beside GroupMember.ReadWrite.All)", mechanism.Name),
    ];

    public static readonly ResourceKind ExemptionGroup = new("exemption-group");
    public static readonly ResourceKind OwnershipFilter = new("assignment-filter");
    public static readonly WriteAction CreateExemptionGroup = new("create-exemption-group");
    public static readonly WriteAction AddExempt = new("add-exempt-member");
    public static readonly WriteAction RemoveExempt = new("remove-exempt-member");
    public static readonly WriteAction CreateFilter = new("create-assignment-filter");

    private const string Filters = "assignmentFilters";

    public static string ExemptionGroupName(Ban ban) => $"IntuneBanSync – {PlainText.Strip(ban.Name)} – exempt";

    public static string FilterName(Ban ban, string platform) => $"IntuneBanSync – {PlainText.Strip(ban.Name)} – {platform} – {OwnershipWord(ban)}";

    /// <summary>The targets of the ban's policy for one filter platform ("iOS", "android", "androidForWork", "windows10AndLater", …).</summary>
    public async Task<IReadOnlyList<PolicyTarget>> TargetsAsync(IEnforcementMechanism mechanism, MechanismContext context, string filterPlatform, CancellationToken ct)
    {
        var ban = context.Ban!;
        var filter = ban.Scope.Ownership.Count == 1 ? await FilterAsync(mechanism, context, filterPlatform, ct) : null;
        var targets = new List<PolicyTarget>();
        if (ban.Scope.IncludeGroups.Count > 0)
            targets.AddRange(ban.Scope.IncludeGroups.Select(g => new PolicyTarget(TargetKind.Group, g, filter)));
        else
            targets.AddRange([new PolicyTarget(TargetKind.AllDevices, null, filter), new PolicyTarget(TargetKind.AllLicensedUsers, null, filter)]);

        // Advisory groups are advised, never enforced: excluded from every policy, as exclude groups are.
        var excluded = ban.Scope.ExcludeGroups.Concat(ban.Scope.AdvisoryGroups)
            .Concat(context.Sweep!.Exemptions.Where(e => e.Subject.Kind == ExemptionSubjectKind.Group).Select(e => e.Subject.Id))
            .ToList();
        if (await ExemptionGroupAsync(mechanism, context, ct) is { } exemptions)
            excluded.Add(exemptions);
        targets.AddRange(excluded.Distinct(StringComparer.OrdinalIgnoreCase).Select(g => new PolicyTarget(TargetKind.ExcludedGroup, g)));
        return targets;
    }

    /// <summary>The exemption group, created when the ban first exempts a user or device one by one, and kept to the exemptions in force.</summary>
    private async Task<string?> ExemptionGroupAsync(IEnforcementMechanism mechanism, MechanismContext context, CancellationToken ct)
    {
        var ban = context.Ban!;
        var wanted = await ExemptMembersAsync(context, ct);
        var existing = context.Resources.Current.Resources.FirstOrDefault(r => r.Kind == ExemptionGroup && r.RetiredAt is null);
        if (existing is null && wanted.Count == 0)
            return null;

        var groupId = existing?.GraphId;
        if (groupId is null)
        {
            var name = ExemptionGroupName(ban);
            groupId = await groups.FindGroupByNameAsync(name, ct);
            if (groupId is null)
            {
                var intent = context.Log.Plan(mechanism.Name, ban.Id, null, CreateExemptionGroup, name);
                groupId = await context.Log.SendAsync(
                    intent,
                    () => groups.CreateSecurityGroupAsync(name, $"Users and devices exempted from ban '{ban.Id}' one by one; excluded from its policies. Managed by IntuneBanSync.", ct),
                    id => (WriteResult.Done, id),
                    ct);
            }

            await context.Resources.RecordAsync(new CreatedResource(ExemptionGroup, groupId, mechanism.Name, context.Time.GetUtcNow(), name), ct);
        }

        var members = await groups.DirectMemberIdsAsync(groupId, ct);
        foreach (var member in wanted.Where(m => !members.Contains(m)))
        {
            var intent = context.Log.Plan(mechanism.Name, ban.Id, null, AddExempt, $"groups/{groupId}/members/{member}");
            await context.Log.SendManyAsync(
                [intent],
                () => groups.AddMembersAsync(groupId, [member], ct),
                (answer, _) => answer.GetValueOrDefault(member)?.Outcome switch
                {
                    MemberOutcome.Done => (WriteResult.Done, null),
                    MemberOutcome.AlreadyDone => (WriteResult.AlreadyDone, null),
                    var other => (WriteResult.Failed, other?.ToString() ?? "no answer"),
                },
                ct);
        }

        foreach (var member in members.Where(m => !wanted.Contains(m)))
        {
            var intent = context.Log.Plan(mechanism.Name, ban.Id, null, RemoveExempt, $"groups/{groupId}/members/{member}");
            await context.Log.SendAsync(intent, () => groups.RemoveMemberAsync(groupId, member, ct), _ => (WriteResult.Done, null), ct);
        }

        return groupId;
    }

    /// <summary>Users exempted by id, and the Entra objects of devices exempted by id that this sweep saw.</summary>
    private async Task<HashSet<string>> ExemptMembersAsync(MechanismContext context, CancellationToken ct)
    {
        var sweep = context.Sweep!;
        var wanted = sweep.Exemptions.Where(e => e.Subject.Kind == ExemptionSubjectKind.User).Select(e => e.Subject.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var byDevice = sweep.Exemptions.Where(e => e.Subject.Kind == ExemptionSubjectKind.Device).Select(e => e.Subject.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var exempted = sweep.WithDecision(DecisionKind.Exempt).Where(o => byDevice.Contains(o.Device.Id)).ToList();
        if (exempted.Count > 0)
            wanted.UnionWith((await EntraObjects.OfAsync(exempted, sweep, groups, ct)).Values);

        return wanted;
    }

    /// <summary>An assignment filter on ownership for one platform, created once per ban and platform.</summary>
    private async Task<string> FilterAsync(IEnforcementMechanism mechanism, MechanismContext context, string platform, CancellationToken ct)
    {
        var ban = context.Ban!;
        var name = FilterName(ban, platform);
        if (context.Resources.Current.Resources.FirstOrDefault(r => r.Kind == OwnershipFilter && r.Label == name && r.RetiredAt is null) is { } recorded)
            return recorded.GraphId;

        var id = (await policies.FindByNameAsync(Filters, "displayName", name, ct)).Select(f => f.GetProperty("id").GetString()).FirstOrDefault();
        if (id is null)
        {
            var body = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.deviceAndAppManagementAssignmentFilter",
                ["displayName"] = name,
                ["description"] = $"Devices of ban '{ban.Id}' by ownership. Managed by IntuneBanSync.",
                ["platform"] = platform,
                ["rule"] = $"(device.deviceOwnership -eq \"{(ban.Scope.Ownership.Single() == DeviceOwnership.Company ? "Corporate" : "Personal")}\")",
            };
            var intent = context.Log.Plan(mechanism.Name, ban.Id, null, CreateFilter, name);
            id = await context.Log.SendAsync(intent, () => policies.CreateAsync(Filters, body, ct), created => (WriteResult.Done, created), ct);
        }

        await context.Resources.RecordAsync(new CreatedResource(OwnershipFilter, id, mechanism.Name, context.Time.GetUtcNow(), name), ct);
        return id;
    }

    private static string OwnershipWord(Ban ban) => ban.Scope.Ownership.Count == 1 ? WireName.Of(ban.Scope.Ownership.Single()) : "all";
}
