using IntuneBanSync.Enforcement;
using IntuneBanSync.Enforcement.Notifications;

namespace IntuneBanSync.Reports;

/// <summary>Adds to a sweep's report what enforcement did and where each ban's devices stand in their lifecycle.</summary>
public static class EnforcementReport
{
    /// <param name="changed">The states this sweep wrote; the others stand as the journal had them.</param>
    public static SweepReport Add(
        SweepReport report, IReadOnlyList<BanSweep> bans, IReadOnlyDictionary<string, BanEnforcementResult> enforced,
        IReadOnlyList<DeviceBanState> changed, DateTimeOffset asOf)
    {
        var perBan = report.Bans.Select(b =>
        {
            var sweep = bans.First(s => s.Ban.Id == b.BanId);
            var result = enforced.GetValueOrDefault(b.BanId);
            var mine = Current(sweep, changed);
            return b with
            {
                ByClass = WithReaches(b.ByClass, mine),
                Enforcement = new BanEnforcementReport(
                    result?.Held?.Detail,
                    result is not null && result.IsStopped ? string.Join("; ", result.Stops.Select(s => s.Detail)) : null,
                    result?.WoundDown ?? false,
                    DaysPastDeadline: Math.Max(0, (int)Math.Floor((asOf - sweep.Ban.UninstallBy).TotalDays)),
                    NewlyEnforced: result?.NewlyReachedDevices ?? 0,
                    Removed: result?.ReleasedDevices ?? 0,
                    Enforcing: mine.Count(s => s.State == LifecycleState.Enforcing),
                    Resolved: mine.Count(s => s.State == LifecycleState.Resolved),
                    Failed: mine.Count(s => s.State == LifecycleState.Failed),
                    NotRemovableByUninstall: mine.Count(s => s.State == LifecycleState.Enforcing && s.StateReason == DeviceLifecycle.UserInstalled),
                    UnenforceableReasons: Tally(mine.Where(s => s.State == LifecycleState.Unenforceable).Select(s => s.StateReason ?? "unknown")),
                    Routes: Tally(mine.Where(s => s.State is LifecycleState.Enforcing or LifecycleState.Unenforceable or LifecycleState.Failed).Select(s => s.Route ?? "none")))
                {
                    Notes = [.. result?.Mechanisms.SelectMany(m => m.Notes ?? []) ?? []],
                    Notifications = NotificationCounts.Of(sweep, result, report.Writes),
                },
            };
        }).ToList();

        var all = perBan.Select(b => b.Enforcement!).ToList();
        return report with
        {
            Bans = perBan,
            Enforcement = new EnforcementTotals(
                all.Sum(e => e.NewlyEnforced), all.Sum(e => e.Removed), all.Sum(e => e.Enforcing), all.Sum(e => e.Resolved),
                all.Sum(e => e.UnenforceableReasons.Values.Sum()), all.Sum(e => e.Failed), all.Sum(e => e.NotRemovableByUninstall)),
        };
    }

    private static readonly HashSet<LifecycleState> Tracked =
        [LifecycleState.Detected, LifecycleState.Enforcing, LifecycleState.Unenforceable, LifecycleState.Failed, LifecycleState.Resolved];

    /// <summary>Each class's row with what the routes reached on its devices, from their lifecycle states.</summary>
    private static IReadOnlyList<ClassReach> WithReaches(IReadOnlyList<ClassReach> rows, IReadOnlyList<DeviceBanState> states)
    {
        var byClass = states.Where(s => s.State is { } state && Tracked.Contains(state) && s.DeviceClass is not null).GroupBy(s => s.DeviceClass!).ToDictionary(g => g.Key, g => g.ToList());
        var classes = rows.Select(r => r.Class).Concat(byClass.Keys).Distinct().Order(StringComparer.Ordinal);
        return [.. classes.Select(c =>
        {
            var row = rows.FirstOrDefault(r => r.Class == c) ?? new ClassReach(c, 0, 0);
            var mine = byClass.GetValueOrDefault(c) ?? [];
            int Reached(Reach reach) => mine.Count(s => s.State != LifecycleState.Resolved && s.Reaches?.Any(r => r.Reach == reach) == true);
            return row with
            {
                Routes = Tally(mine.SelectMany(s => (s.Reaches ?? new ValueList<RouteReach>([])).Select(r => r.Route).Distinct())),
                Removed = mine.Count(s => s.State == LifecycleState.Resolved || s.Reaches?.Any(r => r.Reach == Reach.Removed) == true),
                Assigned = Reached(Reach.Assigned),
                LaunchBlocked = Reached(Reach.LaunchBlocked),
                InstallBlocked = Reached(Reach.InstallBlocked),
                Noncompliant = Reached(Reach.Noncompliant),
                Pending = Reached(Reach.Pending),
                Unreachable = Tally(mine.Where(s => s.State is LifecycleState.Unenforceable or LifecycleState.Failed && s.Reaches?.Any(r => r.Reached) != true)
                    .Select(s => s.State == LifecycleState.Failed ? $"failed: {s.StateReason}" : s.StateReason ?? "no route reaches it")),
            };
        })];
    }

    private static List<DeviceBanState> Current(BanSweep sweep, IReadOnlyList<DeviceBanState> changed)
    {
        var mine = changed.Where(s => s.BanId == sweep.Ban.Id).ToDictionary(s => s.DeviceId, StringComparer.OrdinalIgnoreCase);
        return [.. mine.Values, .. sweep.Earlier.Values.Where(s => !mine.ContainsKey(s.DeviceId))];
    }

    private static SortedDictionary<string, int> Tally(IEnumerable<string> keys) =>
        new(keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
}
