using IntuneBanSync.BanList;
using IntuneBanSync.Enforcement;
using IntuneBanSync.Journal;

namespace IntuneBanSync.Reports;

/// <summary>Adds to a sweep's report what enforcement did and where each ban's devices stand in their lifecycle.</summary>
public static class EnforcementReport
{
    public static SweepReport Add(
        SweepReport report, BanListDocument banList, IReadOnlyDictionary<string, BanEnforcementResult> enforced,
        IReadOnlyList<DeviceBanState> states, DateTimeOffset asOf)
    {
        var bans = report.Bans.Select(b =>
        {
            var ban = banList.FindBan(b.BanId)!;
            var result = enforced.GetValueOrDefault(b.BanId);
            var mine = states.Where(s => s.BanId == b.BanId).ToList();
            return b with
            {
                Enforcement = new BanEnforcementReport(
                    result?.Held,
                    result?.Stopped,
                    result?.WoundDown ?? false,
                    DaysPastDeadline: Math.Max(0, (int)Math.Floor((asOf - ban.UninstallBy).TotalDays)),
                    NewlyEnforced: result?.Devices.Values.Count(d => d.Outcome == EnforcementOutcome.Enforced) ?? 0,
                    Removed: result?.Devices.Values.Count(d => d.Outcome == EnforcementOutcome.Removed) ?? 0,
                    Enforcing: mine.Count(s => s.State == DeviceLifecycle.Enforcing),
                    Resolved: mine.Count(s => s.State == DeviceLifecycle.Resolved),
                    Failed: mine.Count(s => s.State == DeviceLifecycle.Failed),
                    NotRemovableByUninstall: mine.Count(s => s.State == DeviceLifecycle.Enforcing && s.StateReason == DeviceLifecycle.UserInstalled),
                    UnenforceableReasons: Tally(mine.Where(s => s.State == DeviceLifecycle.Unenforceable).Select(s => s.StateReason ?? "unknown")),
                    Routes: Tally(mine.Where(s => s.State is DeviceLifecycle.Enforcing or DeviceLifecycle.Unenforceable or DeviceLifecycle.Failed).Select(s => s.Route ?? "none"))),
            };
        }).ToList();

        var all = bans.Select(b => b.Enforcement!).ToList();
        return report with
        {
            Bans = bans,
            Enforcement = new EnforcementTotals(
                all.Sum(e => e.NewlyEnforced), all.Sum(e => e.Removed), all.Sum(e => e.Enforcing), all.Sum(e => e.Resolved),
                all.Sum(e => e.UnenforceableReasons.Values.Sum()), all.Sum(e => e.Failed), all.Sum(e => e.NotRemovableByUninstall)),
        };
    }

    private static SortedDictionary<string, int> Tally(IEnumerable<string> keys) =>
        new(keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
}
