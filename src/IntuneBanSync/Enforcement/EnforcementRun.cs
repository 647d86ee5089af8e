using IntuneBanSync.Sweeps;

namespace IntuneBanSync.Enforcement;

/// <summary>Why a ban enforced nothing this sweep although everything was read.</summary>
public enum HoldReason
{
    /// <summary>Its new reaches exceed its own cap (maxDevices or maxPercent of its in-scope devices).</summary>
    BlastRadius,

    /// <summary>Its new reaches exceed what is left of the sweep-wide cap.</summary>
    SweepBudget,
}

public sealed record EnforcementHold(HoldReason Reason, int NewlyReached, int Cap, string Detail);

/// <summary>One ban's enforcement in one sweep: held as a whole, or each mechanism's result.</summary>
/// <param name="Unknown">Devices a mechanism that stopped without knowing the tenant (a failed read, a foreign object) planned for: their state stays as it was.</param>
/// <param name="Planned">Per mechanism, the devices its plan newly reached (what the blast radius counted).</param>
public sealed record BanEnforcementResult(
    string BanId, EnforcementHold? Held, IReadOnlyList<MechanismResult> Mechanisms, bool WoundDown = false, IReadOnlySet<string>? Unknown = null,
    IReadOnlyDictionary<MechanismName, IReadOnlySet<string>>? Planned = null)
{
    public static BanEnforcementResult Nothing(string banId) => new(banId, null, []);

    public bool Knows(string deviceId) => Unknown?.Contains(deviceId) != true;

    public IEnumerable<MechanismStop> Stops => Mechanisms.Select(m => m.Stop).OfType<MechanismStop>();

    public bool IsStopped => Stops.Any();

    public bool ReadFailed => Stops.Any(s => s.Reason == StopReason.ReadFailed);

    public IReadOnlyList<DeviceReach> ReachesOf(string deviceId) =>
        [.. Mechanisms.Select(m => m.Devices.GetValueOrDefault(deviceId)).OfType<DeviceReach>()];

    public IEnumerable<DeviceReach> AllReaches => Mechanisms.SelectMany(m => m.Devices.Values);

    /// <summary>
    /// Every device some mechanism's plan newly reached and its writes did reach this sweep (assigned, blocked, pending check-in…),
    /// as the blast radius counted them: a device found reached at check-in was enforced when its write was sent, not now.
    /// </summary>
    public int NewlyReachedDevices => Mechanisms
        .Where(m => m.Stop is null)
        .SelectMany(m => (Planned?.GetValueOrDefault(m.Mechanism) ?? new HashSet<string>())
            .Where(id => m.Devices.GetValueOrDefault(id)?.Reach is Reach.Assigned or Reach.LaunchBlocked or Reach.InstallBlocked or Reach.Noncompliant
                or Reach.Removed or Reach.Notified or Reach.Pending))
        .Distinct(StringComparer.OrdinalIgnoreCase).Count();

    /// <summary>Every device some mechanism took out of what it applied this sweep.</summary>
    public int ReleasedDevices => Mechanisms.SelectMany(m => m.Devices.Where(d => d.Value.Reach == Reach.Released))
        .Select(d => d.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count();
}

/// <summary>Options of one sweep's enforcement.</summary>
public sealed record EnforcementPolicy(bool OverrideBlastRadius, int MaxNewEnforcementsPerSweep);

/// <summary>What is left of the sweep-wide cap on devices newly reached.</summary>
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

/// <summary>
/// The enforcement step of one sweep, for every registered mechanism alike: plan (pure), the blast radius over the devices any
/// mechanism would newly reach, reconcile what a crash left open, apply (a mechanism that runs beside the others in a lane of its
/// own); and the wind-down of bans that expired or left the list, one mechanism after another.
/// A read that fails stops that mechanism for the ban, changes nothing, and makes the run incomplete.
/// </summary>
public sealed class EnforcementRun(
    IReadOnlyList<IEnforcementMechanism> mechanisms, JournalStore journal, WriteLog log, string tenant, EnforcementPolicy policy, SweepTrace trace, TimeProvider time,
    PermissionCheck? permissions = null, AuditReads? audits = null)
{
    private readonly AuditReads _audits = audits ?? new AuditReads(journal, tenant);

    private readonly PermissionCheck _permissions = permissions ?? PermissionCheck.Unknown;

    private readonly EnforcementBudget _budget = new(policy.MaxNewEnforcementsPerSweep);

    public async Task<BanEnforcementResult> EnforceAsync(BanSweep ban, BanResources? created, CancellationToken ct)
    {
        var plans = mechanisms.Select(m => (Mechanism: m, Plan: m.Plan(ban))).ToList();
        if (Hold(ban, plans.SelectMany(p => p.Plan.NewlyReached).ToHashSet(StringComparer.OrdinalIgnoreCase).Count) is { } held)
            return new BanEnforcementResult(ban.Ban.Id, held, []);

        AuditView audit;
        using (trace.Step($"audit of ban {ban.Ban.Id}"))
            audit = new AuditView(await _audits.OfAsync(ban.Ban.Id, ct));
        var ledger = new ResourceLedger(journal, tenant, created ?? BanResources.None(ban.Ban.Id));
        var results = new MechanismResult[plans.Count];
        var unknown = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        async Task LaneAsync(IEnumerable<int> lane)
        {
            foreach (var i in lane)
            {
                var (mechanism, plan) = plans[i];
                var context = new MechanismContext(ban.Ban.Id, ban.Ban, ban, audit.Of(mechanism), log, ledger, trace, time);
                using (trace.Step($"{mechanism.Name} for ban {ban.Ban.Id}"))
                {
                    results[i] = await GuardedAsync(mechanism, context, async () =>
                    {
                        await ReconcileAsync(mechanism, context, ct);
                        return await mechanism.ApplyAsync(plan, context, ct);
                    });
                }
            }
        }

        // A mechanism whose tenant objects are its own runs in a lane of its own, beside the others, which share theirs (the exemption
        // group, the assignment filters) and keep their order. A lane that fails lets the others finish and journal their writes.
        var beside = Enumerable.Range(0, plans.Count).Where(i => plans[i].Mechanism.RunsBesideOthers).ToList();
        await Task.WhenAll([.. beside.Select(i => LaneAsync([i])), LaneAsync(Enumerable.Range(0, plans.Count).Except(beside))]);
        for (var i = 0; i < plans.Count; i++)
        {
            if (results[i].Stop?.Reason is StopReason.ReadFailed or StopReason.ForeignObject)
                unknown.UnionWith(plans[i].Plan.Targets.Where(id => !results[i].Devices.ContainsKey(id)));
        }

        await ledger.MarkWoundDownAsync(false, ct);
        return new BanEnforcementResult(
            ban.Ban.Id, null, results, Unknown: unknown, Planned: plans.ToDictionary(p => p.Mechanism.Name, p => p.Plan.NewlyReached));
    }

    /// <summary>Every mechanism undoes what it applied; the ban is wound down once all of them did so without a stop.</summary>
    public async Task<BanEnforcementResult> WindDownAsync(string banId, BanSweep? ban, BanResources created, CancellationToken ct)
    {
        var audit = new AuditView(await journal.GetAuditAsync(tenant, banId, ct));
        var ledger = new ResourceLedger(journal, tenant, created);
        var results = new List<MechanismResult>();
        foreach (var mechanism in mechanisms)
        {
            var context = new MechanismContext(banId, ban?.Ban, ban, audit.Of(mechanism), log, ledger, trace, time);
            results.Add(await GuardedAsync(mechanism, context, async () =>
            {
                await ReconcileAsync(mechanism, context, ct);
                return await mechanism.WindDownAsync(context, ct);
            }));
        }

        var woundDown = results.All(r => r.Stop is null && r.WoundDown);
        await ledger.MarkWoundDownAsync(woundDown, ct);
        return new BanEnforcementResult(banId, null, results, woundDown);
    }

    private static string NeedsMessage(IEnforcementMechanism mechanism, IReadOnlyList<GraphPermission> permissions, bool refused = false) =>
        refused
            ? $"{mechanism.Name} was refused by Graph (403): it needs the application permissions {string.Join(", ", permissions)}; grant the missing ones (`ibs permissions`) and sweep again"
            : $"{mechanism.Name} did not run: the app's token lacks {string.Join(", ", permissions)}; grant {(permissions.Count == 1 ? "it" : "them")} (`ibs permissions`) and sweep again";

    private EnforcementHold? Hold(BanSweep ban, int newlyReached)
    {
        if (policy.OverrideBlastRadius)
            return null;
        var limits = ban.Ban.Limits;
        var cap = limits.CapFor(ban.InScopeDevices);
        if (newlyReached > cap)
            return new(HoldReason.BlastRadius, newlyReached, cap,
                $"held: blast radius — {newlyReached} new enforcements exceed the cap of {cap} " +
                $"({limits.MaxDevices} devices or {limits.MaxPercent}% of {ban.InScopeDevices} in-scope devices); nothing was enforced");
        if (!_budget.TryTake(newlyReached))
            return new(HoldReason.SweepBudget, newlyReached, policy.MaxNewEnforcementsPerSweep,
                $"held: blast radius — {newlyReached} new enforcements exceed what is left of the sweep's cap of {policy.MaxNewEnforcementsPerSweep}");
        return null;
    }

    private static async Task ReconcileAsync(IEnforcementMechanism mechanism, MechanismContext context, CancellationToken ct)
    {
        var open = context.Audit.Open.Select(e => e.Intent).ToList();
        if (open.Count > 0)
            await context.Log.ReconcileAsync(await mechanism.ReconcileAsync(open, context, ct), ct);
    }

    /// <summary>
    /// A mechanism the app's token lacks a permission for does not start; one that meets a 403 stops, naming the permissions; a read
    /// that fails stops it for this ban and changes nothing. The other mechanisms and the sweep go on.
    /// </summary>
    private async Task<MechanismResult> GuardedAsync(IEnforcementMechanism mechanism, MechanismContext context, Func<Task<MechanismResult>> act)
    {
        MechanismResult result;
        if (_permissions.MissingOf(mechanism.Permissions) is { Count: > 0 } missing)
        {
            result = MechanismResult.Stopped(mechanism.Name, StopReason.PermissionMissing, NeedsMessage(mechanism, missing));
        }
        else
        {
            try
            {
                result = await act();
            }
            catch (Exception e) when (e is PermissionDeniedException or GraphReadException { Forbidden: true })
            {
                result = MechanismResult.Stopped(mechanism.Name, StopReason.PermissionMissing, NeedsMessage(mechanism, [.. mechanism.Permissions.Select(p => p.Permission)], refused: true));
            }
            catch (GraphReadException e)
            {
                trace.ReadFailed(e);
                result = MechanismResult.Stopped(mechanism.Name, StopReason.ReadFailed, $"could not read {e.What}; nothing changed for this ban");
            }
        }

        if (result.Stop is { } stop)
            trace.MechanismStopped(context.BanId, mechanism.Name.Name, stop.Detail);
        return result;
    }
}
