using IntuneBanSync.Enforcement.Compliance;

namespace IntuneBanSync.Enforcement.Notifications;

/// <summary>
/// One ban's Company Portal notifications in one sweep: reminders sent by step ("reminder-14", "advisory-7"), enforcement notices
/// sent, notifications deferred by Graph's hourly limit, and the offending devices on other platforms whose users the compliance
/// policy's e-mail tells instead (noncompliant this sweep, on a class no Company Portal notification reaches).
/// </summary>
public sealed record NotificationCounts(IReadOnlyDictionary<string, int> RemindersByStep, int Notices, int Deferred, int ByComplianceEmail)
{
    public static NotificationCounts None { get; } = new(new SortedDictionary<string, int>(StringComparer.Ordinal), 0, 0, 0);

    public static NotificationCounts Of(BanSweep sweep, BanEnforcementResult? result, IReadOnlyList<WriteRecord> writes)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var done = WireName.Of(WriteResult.Done);
        var steps = writes
            .Where(w => w.BanId == sweep.Ban.Id && w.Action == CompanyPortalNotifications.SendNotification.Name && w.Result == done)
            .Select(w => NotificationStep.Parse(w.Target))
            .OfType<NotificationStep>()
            .ToList();
        var mine = result?.Mechanisms.FirstOrDefault(m => m.Mechanism == CompanyPortalNotifications.Id);
        var emailed = result?.Mechanisms.FirstOrDefault(m => m.Mechanism == ComplianceMechanism.Id)?.Devices
            .Count(d => d.Value.Reach == Reach.Noncompliant && sweep.Devices.TryGetValue(d.Key, out var o) && !o.Routes.Takes(Route.Notification)) ?? 0;
        return new NotificationCounts(
            new SortedDictionary<string, int>(
                steps.Where(s => s.Kind != BanList.NotificationKind.Enforcement).GroupBy(s => s.Target).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal),
            steps.Count(s => s.Kind == BanList.NotificationKind.Enforcement),
            mine?.Devices.Values.Count(d => d.Reach == Reach.Pending) ?? 0,
            emailed);
    }
}
