using IntuneBanSync.Enforcement.Policies;

namespace IntuneBanSync.Enforcement.PersonalProfile;

/// <summary>
/// Company-owned Android with a work profile (COPE): one Android Enterprise device restrictions profile per ban that blocks the ban's
/// package ids in the personal profile, assigned to the ban's scope. Intune never sees the personal profile's apps, so the route
/// applies by class: every in-scope COPE device the sweep saw is targeted, and is install-blocked once it checked in after the
/// profile last changed (Android then removes a blocked app already installed there and refuses to install it again). Only offending
/// devices count as newly reached: a block list on an app a device does not have changes nothing visible. From the uninstall
/// deadline on only; before it, and when the ban expires or leaves the list, the profile is unassigned and deleted.
/// </summary>
public sealed class PersonalProfileBlock(OwnedPolicy policy) : IEnforcementMechanism
{
    public static readonly MechanismName Id = new("personal-profile");

    public static readonly ResourceKind Configuration = new("personal-profile-configuration");

    // Android Enterprise filters carry the platform androidForWork; Intune's filters support Android Enterprise device restrictions
    // (memdocs/intune/fundamentals/filters-supported-workloads.md, "Android Enterprise": Device restrictions ✔️).
    public static readonly OwnedPolicyKind Kind = new(
        "deviceConfigurations", "displayName", Configuration, "androidForWork", FilterByName: true,
        new("create-personal-profile-configuration"), new("update-personal-profile-configuration"), new("assign-personal-profile-configuration"),
        new("unassign-personal-profile-configuration"), new("delete-personal-profile-configuration"));

    public const string RouteLabel = "personal profile block list (android)";

    public static IReadOnlyList<PermissionUse> Required { get; } =
    [
        new(GraphPermissions.ConfigurationReadWrite, "create, update, assign and delete the ban's personal-profile device configuration and its ownership filter", Id.Name),
        .. PolicyScope.ExemptionGroupPermissions(Id),
    ];

    public MechanismName Name => Id;

    public IReadOnlyList<PermissionUse> Permissions => Required;

    public static PersonalProfileBlock Over(GraphServiceClient client, GraphOptions options) => new(OwnedPolicy.Over(client, options, Kind));

    public static string ConfigurationName(Ban ban) => $"IntuneBanSync – {PlainText.Strip(ban.Name)} – personal profile";

    public MechanismPlan Plan(BanSweep ban) => PlanFor(ban);

    /// <summary>Every in-scope company-owned work profile device the sweep saw is targeted; only the offending ones count as newly reached.</summary>
    public static MechanismPlan PlanFor(BanSweep ban)
    {
        var covered = ban.Devices.Values.Where(o => o.Decision.Kind.IsCovered() && o.Routes.Takes(Route.PersonalProfileBlock)).ToList();
        var released = OwnedPolicy.Released(ban, Id);
        var targets = covered.Concat(released).Select(o => o.Device.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var newly = covered.Where(o => o.Decision.Kind == DecisionKind.Offending && !OwnedPolicy.WasTargeted(ban, o.Device.Id, Id))
            .Select(o => o.Device.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new PersonalProfilePlan(targets, newly, covered, released);
    }

    public async Task<MechanismResult> ApplyAsync(MechanismPlan plan, MechanismContext context, CancellationToken ct)
    {
        var (ban, sweep, personal) = (context.Ban!, context.Sweep!, (PersonalProfilePlan)plan);
        var devices = new Dictionary<string, DeviceReach>(StringComparer.OrdinalIgnoreCase);
        foreach (var observation in personal.Released)
            devices[observation.Device.Id] = new DeviceReach(Id, Reach.Released, RouteLabel, Newly: true, observation.Decision.Text);

        var now = context.Time.GetUtcNow();
        // The ban list allows 100 identifiers per platform, well under the profile's 500 entries.
        var packageIds = ban.Apps.Android.Distinct(StringComparer.Ordinal).ToList();
        var recorded = OwnedPolicy.Recorded(this, context, Kind);
        if (now < ban.UninstallBy || packageIds.Count == 0)
        {
            if (recorded is not null && await policy.WindDownAsync(this, context, ct))
                OwnedPolicy.ReleaseTheTargeted(sweep, devices, Id, RouteLabel, "the ban's uninstall deadline has not come yet, or it lists no identifier for the platform");
            if (now >= ban.UninstallBy)
            {
                foreach (var observation in personal.Covered)
                    devices[observation.Device.Id] = Reached(Reach.Unreachable, "the ban lists no Android package id, and the personal-profile block list needs one");
            }

            return new MechanismResult(Id, devices);
        }

        if (personal.Covered.Count == 0 && recorded is null && !context.Audit.Entries.Any(e => e.Intent.Action == Kind.Create))
            return new MechanismResult(Id, devices);

        var name = ConfigurationName(ban);
        var ours = await policy.OursAsync(this, context, name, null, ct);
        var current = ours is null ? null : await policy.Graph.GetAsync(Kind.Collection, ours.GraphId, ct);
        if (ours is not null && current is null)
        {
            // Deleted by someone else: it is made again.
            await context.Resources.RetireAsync(ours, now, ct);
            ours = null;
        }

        var appName = PlainText.Strip(ban.Name);
        var upkeep = new PolicyUpkeep(
            ours, name, () => PersonalProfileConfiguration.Create(name, Description(ban), appName, packageIds),
            _ => Task.FromResult(PersonalProfileConfiguration.Blocks(current!.Value, packageIds)),
            mine => policy.Graph.UpdateAsync(Kind.Collection, mine.GraphId, PersonalProfileConfiguration.Patch(appName, packageIds), ct));
        await policy.KeepAsync(this, context, upkeep, CheckIn, personal.Covered, devices, ct);

        return new MechanismResult(Id, devices);
    }

    public Task<IReadOnlyList<ReconciledWrite>> ReconcileAsync(IReadOnlyList<WriteIntent> open, MechanismContext context, CancellationToken ct) =>
        policy.ReconcileAsync(this, open, context, ct);

    public Task<MechanismResult> WindDownAsync(MechanismContext context, CancellationToken ct) => policy.WindDownReleasingAsync(this, context, ct);

    private static string Description(Ban ban) =>
        $"Blocks {PlainText.Strip(ban.Name)} in the personal profile of company-owned work profile devices (ban '{ban.Id}'). Managed by IntuneBanSync.";

    private static readonly CheckInReach CheckIn = new(
        RouteLabel, Reach.InstallBlocked,
        "the device checked in under the personal-profile block list: the app is removed from its personal profile and cannot be installed there",
        "the personal-profile block list is assigned; waiting for the device to check in");

    private static DeviceReach Reached(Reach reach, string reason, bool newly = false) => new(Id, reach, RouteLabel, newly, reason);

    private sealed record PersonalProfilePlan(
        IReadOnlySet<string> Targets, IReadOnlySet<string> NewlyReached, IReadOnlyList<BanObservation> Covered, IReadOnlyList<BanObservation> Released)
        : MechanismPlan(Id, Targets, NewlyReached);
}
