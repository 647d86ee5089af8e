using IntuneBanSync.Enforcement.Policies;

namespace IntuneBanSync.Enforcement.LaunchBlock;

/// <summary>
/// Supervised iOS: one settings catalog policy per ban carrying the Blocked Apps restriction with the ban's bundle ids, assigned to the
/// ban's scope like its other policies. The app stays installed but can no longer be shown or launched; a device is launch-blocked
/// once it checked in after the policy last changed. When another policy in the tenant already manages the restriction, the ban's
/// devices are reported unreachable with that policy's name and IntuneBanSync keeps out of it (two policies setting one restriction
/// conflict in Intune). From the uninstall deadline on only; before it, and when the ban expires or leaves the list, the policy is
/// unassigned and deleted.
/// </summary>
public sealed class IosLaunchBlock(OwnedPolicy policy) : IEnforcementMechanism
{
    public static readonly MechanismName Id = new("launch-block");

    public static readonly ResourceKind Policy = new("launch-block-policy");

    public static readonly OwnedPolicyKind Kind = new(
        "configurationPolicies", "name", Policy, "iOS", FilterByName: false,
        new("create-launch-block-policy"), new("update-launch-block-policy"), new("assign-launch-block-policy"),
        new("unassign-launch-block-policy"), new("delete-launch-block-policy"));

    public const string RouteLabel = "launch block (ios)";

    private const string Prefix = "IntuneBanSync – ";
    private const string Suffix = " – launch block";

    public static IReadOnlyList<PermissionUse> Required { get; } =
    [
        new(GraphPermissions.ConfigurationReadWrite,
            "create, update, assign and delete the ban's settings catalog launch-block policy and its ownership filter; read other iOS settings catalog policies for a Blocked Apps restriction", Id.Name),
        .. PolicyScope.ExemptionGroupPermissions(Id),
    ];

    public MechanismName Name => Id;

    public IReadOnlyList<PermissionUse> Permissions => Required;

    public static IosLaunchBlock Over(GraphServiceClient client, GraphOptions options) => new(OwnedPolicy.Over(client, options, Kind));

    public static string PolicyName(Ban ban) => $"{Prefix}{PlainText.Strip(ban.Name)}{Suffix}";

    public static string ConflictReason(string policyName) =>
        $"blocked apps are managed by policy '{PlainText.Strip(policyName)}'; IntuneBanSync does not fight it";

    public MechanismPlan Plan(BanSweep ban) => PlanFor(ban);

    /// <summary>Offending supervised iOS devices are targeted; those targeted before and now exempt or out of scope are released.</summary>
    public static MechanismPlan PlanFor(BanSweep ban)
    {
        var offending = ban.WithDecision(DecisionKind.Offending).Where(o => o.Routes.Takes(Route.LaunchBlock)).ToList();
        var released = OwnedPolicy.Released(ban, Id);
        var targets = offending.Concat(released).Select(o => o.Device.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var newly = offending.Where(o => !OwnedPolicy.WasTargeted(ban, o.Device.Id, Id)).Select(o => o.Device.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new LaunchBlockPlan(targets, newly, offending, released);
    }

    public async Task<MechanismResult> ApplyAsync(MechanismPlan plan, MechanismContext context, CancellationToken ct)
    {
        var (ban, sweep, launch) = (context.Ban!, context.Sweep!, (LaunchBlockPlan)plan);
        var devices = new Dictionary<string, DeviceReach>(StringComparer.OrdinalIgnoreCase);
        foreach (var observation in launch.Released)
            devices[observation.Device.Id] = new DeviceReach(Id, Reach.Released, RouteLabel, Newly: true, observation.Decision.Text);

        var now = context.Time.GetUtcNow();
        var bundleIds = ban.Apps.Ios.Distinct(StringComparer.Ordinal).ToList();
        var recorded = OwnedPolicy.Recorded(this, context, Kind);
        if (now < ban.UninstallBy || bundleIds.Count == 0)
        {
            if (recorded is not null && await policy.WindDownAsync(this, context, ct))
                OwnedPolicy.ReleaseTheTargeted(sweep, devices, Id, RouteLabel, "the ban's uninstall deadline has not come yet, or it lists no identifier for the platform");
            // Before the deadline no device offends; past it, an empty list of bundle ids leaves nothing to block.
            foreach (var observation in launch.Offending)
                devices[observation.Device.Id] = Reached(Reach.Unreachable, "the ban lists no iOS bundle id, and the Blocked Apps restriction needs one");
            return new MechanismResult(Id, devices);
        }

        if (launch.Offending.Count == 0 && recorded is null && !context.Audit.Entries.Any(e => e.Intent.Action == Kind.Create))
            return new MechanismResult(Id, devices);

        var ios = await IosPoliciesAsync(ct);
        if (recorded is not null && !ios.Any(p => string.Equals(p.Id, recorded.GraphId, StringComparison.OrdinalIgnoreCase)))
            await context.Resources.RetireAsync(recorded, now, ct);
        var ours = await policy.OursAsync(this, context, PolicyName(ban), [.. ios.Select(p => (p.Id, p.Name))], ct);
        if (await ConflictAsync(ios, ours?.GraphId, ban, ct) is { } conflict)
        {
            var reason = ConflictReason(conflict.Name);
            foreach (var observation in launch.Offending)
                devices[observation.Device.Id] = Reached(Reach.Unreachable, reason);
            var removed = ours is not null && await policy.WindDownAsync(this, context, ct);
            return new MechanismResult(Id, devices, Notes: [removed ? $"{reason}; the launch-block policy IntuneBanSync had created was removed" : reason]);
        }

        var body = () => BlockedAppsSetting.Policy(PolicyName(ban), Description(ban), bundleIds);
        var upkeep = new PolicyUpkeep(
            ours, PolicyName(ban), body,
            async mine => BlockedAppsSetting.AreExactly(await SettingsAsync(mine.GraphId, ct), bundleIds),
            // Settings are a navigation property: PATCH refuses them, so the whole policy is PUT.
            mine => policy.Graph.Json.WriteAsync(
                $"replace configurationPolicies {mine.GraphId}", Method.PUT, $"{policy.Graph.Collection(Kind.Collection)}/{Uri.EscapeDataString(mine.GraphId)}", body(), ct));
        await policy.KeepAsync(this, context, upkeep, CheckIn, launch.Offending, devices, ct);

        return new MechanismResult(Id, devices);
    }

    public Task<IReadOnlyList<ReconciledWrite>> ReconcileAsync(IReadOnlyList<WriteIntent> open, MechanismContext context, CancellationToken ct) =>
        policy.ReconcileAsync(this, open, context, ct);

    public Task<MechanismResult> WindDownAsync(MechanismContext context, CancellationToken ct) => policy.WindDownReleasingAsync(this, context, ct);

    private static string Description(Ban ban) =>
        $"Blocks showing and launching {PlainText.Strip(ban.Name)} on supervised iOS devices (ban '{ban.Id}'). Managed by IntuneBanSync.";

    private static readonly CheckInReach CheckIn = new(
        RouteLabel, Reach.LaunchBlocked, "the device checked in under the launch-block policy: the app can no longer be shown or launched",
        "the launch-block policy is assigned; waiting for the device to check in");

    private static DeviceReach Reached(Reach reach, string reason, bool newly = false) => new(Id, reach, RouteLabel, newly, reason);

    /// <summary>The tenant's settings catalog policies for iOS (one paged listing).</summary>
    private async Task<List<(string Id, string Name)>> IosPoliciesAsync(CancellationToken ct)
    {
        var found = new List<(string, string)>();
        await foreach (var item in policy.Graph.ListAsync(Kind.Collection, ct, "$select=id,name,platforms"))
        {
            var platforms = OwnedPolicy.Text(item, "platforms") ?? "";
            if (OwnedPolicy.Text(item, "id") is { } id && platforms.Split(',', StringSplitOptions.TrimEntries).Contains("iOS", StringComparer.OrdinalIgnoreCase))
                found.Add((id, OwnedPolicy.Text(item, "name") ?? ""));
        }

        return found;
    }

    /// <summary>
    /// The first iOS policy that is not ours and configures the Blocked Apps restriction: its settings are read once each (the launch
    /// blocks of the tenant's other bans, named as IntuneBanSync names them, are not read). Null when there is none.
    /// </summary>
    private async Task<(string Id, string Name)?> ConflictAsync(List<(string Id, string Name)> ios, string? ours, Ban ban, CancellationToken ct)
    {
        foreach (var candidate in ios)
        {
            if (string.Equals(candidate.Id, ours, StringComparison.OrdinalIgnoreCase) || IsAnotherBansLaunchBlock(candidate.Name, ban))
                continue;
            if (BlockedAppsSetting.ManagesBlockedApps(await SettingsAsync(candidate.Id, ct)))
                return candidate;
        }

        return null;
    }

    private static bool IsAnotherBansLaunchBlock(string name, Ban ban) =>
        name != PolicyName(ban) && name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(Suffix, StringComparison.Ordinal);

    private async Task<List<JsonElement>> SettingsAsync(string policyId, CancellationToken ct)
    {
        var settings = new List<JsonElement>();
        await foreach (var setting in policy.Graph.Json.ListAsync(
            $"the settings of configuration policy {policyId}", $"{policy.Graph.Collection(Kind.Collection)}/{Uri.EscapeDataString(policyId)}/settings", ct))
            settings.Add(setting);
        return settings;
    }

    private sealed record LaunchBlockPlan(
        IReadOnlySet<string> Targets, IReadOnlySet<string> NewlyReached, IReadOnlyList<BanObservation> Offending, IReadOnlyList<BanObservation> Released)
        : MechanismPlan(Id, Targets, NewlyReached);
}
