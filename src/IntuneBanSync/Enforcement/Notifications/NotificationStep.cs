namespace IntuneBanSync.Enforcement.Notifications;

/// <summary>
/// One step of a ban's notifications to one device: a reminder (or, to an advised device, the advisory text) a whole number of
/// days before <see cref="Ban.UninstallBy"/>, or the notice that enforcement started. At most one notification per device per step.
/// </summary>
public sealed record NotificationStep(NotificationKind Kind, int? DaysBefore)
{
    private const string NoticeTarget = "enforcement-notice";

    public static NotificationStep Notice { get; } = new(NotificationKind.Enforcement, null);

    public static NotificationStep Reminder(int daysBefore) => new(NotificationKind.Reminder, daysBefore);

    public static NotificationStep Advisory(int daysBefore) => new(NotificationKind.Advisory, daysBefore);

    /// <summary>
    /// The step as the journal's write target writes it ("reminder-14", "advisory-7", "enforcement-notice"): the audit tells
    /// the steps a device was sent apart by it.
    /// </summary>
    public string Target => Kind switch
    {
        NotificationKind.Enforcement => NoticeTarget,
        NotificationKind.Advisory => $"advisory-{DaysBefore!.Value.ToString(CultureInfo.InvariantCulture)}",
        _ => $"reminder-{DaysBefore!.Value.ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>A reminder and an advisory sent the same number of days before are one step: a device changing groups is not told twice.</summary>
    public bool IsSameStepAs(NotificationStep other) => Kind == NotificationKind.Enforcement ? other.Kind == NotificationKind.Enforcement : other.DaysBefore == DaysBefore;

    /// <summary>What administrators read ("reminder 14 days before the deadline", "enforcement notice").</summary>
    public string Describe() => Kind switch
    {
        NotificationKind.Enforcement => "enforcement notice",
        NotificationKind.Advisory => $"advisory reminder {Days()} before the deadline",
        _ => $"reminder {Days()} before the deadline",
    };

    /// <summary>The step a journaled write target names; null for a target that is not one of ours.</summary>
    public static NotificationStep? Parse(string? target)
    {
        if (target == NoticeTarget)
            return Notice;
        if (target is null)
            return null;
        var dash = target.LastIndexOf('-');
        if (dash <= 0 || !int.TryParse(target.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days <= 0)
            return null;
        return target[..dash] switch
        {
            "reminder" => Reminder(days),
            "advisory" => Advisory(days),
            _ => null,
        };
    }

    private string Days() => DaysBefore == 1 ? "1 day" : $"{DaysBefore} days";
}

/// <summary>When a ban's steps fall due: pure, so the schedule is tested without a tenant.</summary>
public static class NotificationSchedule
{
    /// <summary>
    /// The step due for a device at <paramref name="now"/>, or null. Before the deadline, the reminder of the latest offset reached
    /// (a sweep at or after uninstallBy − d and before uninstallBy; an earlier step a sweep missed is not sent late): the reminder
    /// text to a device in grace, the advisory text to an advised device with the app. At or after the deadline, the enforcement
    /// notice to an offending device (advised devices are never enforced, so never get one). Nothing to any other decision.
    /// </summary>
    public static NotificationStep? Due(Ban ban, DecisionKind decision, bool appSeen, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ban);
        if (!ban.IsActiveAt(now) || !appSeen)
            return null;
        if (now >= ban.UninstallBy)
            return decision == DecisionKind.Offending ? NotificationStep.Notice : null;
        if (decision is not (DecisionKind.Grace or DecisionKind.Advised))
            return null;
        var reached = ban.Notifications.ReminderDaysBefore.Where(d => now >= ban.UninstallBy.AddDays(-d)).ToList();
        if (reached.Count == 0)
            return null;
        var days = reached.Min();
        return decision == DecisionKind.Advised ? NotificationStep.Advisory(days) : NotificationStep.Reminder(days);
    }
}

/// <summary>Graph's limit on custom notifications to one device, counted over our own sends (every ban's) in the hour before now.</summary>
public static class HourlyLimit
{
    /// <summary>
    /// "When sending messages to individual devices, you can only send up to 10 messages per hour to the same device"
    /// (learn.microsoft.com/intune/intune-service/remote-actions/custom-notifications, "Considerations").
    /// </summary>
    public const int PerDevicePerHour = 10;

    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>How many more notifications a device may be sent now, given when it was sent the ones we know of.</summary>
    public static int Left(IEnumerable<DateTimeOffset> sentAt, DateTimeOffset now, int limit = PerDevicePerHour) =>
        Math.Max(0, limit - sentAt.Count(at => at > now - Window && at <= now));

    /// <summary>When the next one may be sent: once the oldest send within the hour has left it.</summary>
    public static DateTimeOffset NextAt(IEnumerable<DateTimeOffset> sentAt, DateTimeOffset now, int limit = PerDevicePerHour)
    {
        var recent = sentAt.Where(at => at > now - Window && at <= now).Order().ToList();
        return recent.Count < limit ? now : recent[recent.Count - limit] + Window;
    }
}
