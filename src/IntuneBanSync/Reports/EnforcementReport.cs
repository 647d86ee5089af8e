using IntuneBanSync.Enforcement;
using IntuneBanSync.Journal;

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
            var reaches = result?.AllReaches.ToList() ?? [];
            return b with
            {
                Enforcement = new BanEnforcementReport(
                    result?.Held?.Detail,
                    result?.Stops.FirstOrDefault()?.Detail,
                    result?.WoundDown ?? false,
                    DaysPastDeadline: Math.Max(0, (int)Math.Floor((asOf - sweep.Ban.UninstallBy).TotalDays)),
                    NewlyEnforced: reaches.Count(r => r.Newly && r.Reach is Reach.Assigned or Reach.LaunchBlocked or Reach.Noncompliant or Reach.Removed),
                    Removed: reaches.Count(r => r.Reach == Reach.Released),
                    Enforcing: mine.Count(s => s.State == LifecycleState.Enforcing),
                    Resolved: mine.Count(s => s.State == LifecycleState.Resolved),
                    Failed: mine.Count(s => s.State == LifecycleState.Failed),
                    NotRemovableByUninstall: mine.Count(s => s.State == LifecycleState.Enforcing && s.StateReason == DeviceLifecycle.UserInstalled),
                    UnenforceableReasons: Tally(mine.Where(s => s.State == LifecycleState.Unenforceable).Select(s => s.StateReason ?? "unknown")),
                    Routes: Tally(mine.Where(s => s.State is LifecycleState.Enforcing or LifecycleState.Unenforceable or LifecycleState.Failed).Select(s => s.Route ?? "none"))),
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

    private static List<DeviceBanState> Current(BanSweep sweep, IReadOnlyList<DeviceBanState> changed)
    {
        var mine = changed.Where(s => s.BanId == sweep.Ban.Id).ToDictionary(s => s.DeviceId, StringComparer.OrdinalIgnoreCase);
        return [.. mine.Values, .. sweep.Earlier.Values.Where(s => !mine.ContainsKey(s.DeviceId))];
    }

    private static SortedDictionary<string, int> Tally(IEnumerable<string> keys) =>
        new(keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
}
