namespace IntuneBanSync.Tests.Enforcement.Notifications;

public sealed class NotificationScheduleTests
{
    private static readonly Ban Ban = Fleet.Ban();

    private static DateTimeOffset DaysBefore(double days) => Fleet.UninstallBy.AddDays(-days);

    [Theory]
    [InlineData(14, 14)]
    [InlineData(13.5, 14)]
    [InlineData(7, 7)]
    [InlineData(3, 7)]
    [InlineData(1, 1)]
    [InlineData(0.01, 1)]
    public void A_device_in_grace_is_due_the_reminder_of_the_latest_offset_reached(double daysBefore, int step)
    {
        var due = NotificationSchedule.Due(Ban, DecisionKind.Grace, appSeen: true, DaysBefore(daysBefore));

        Assert.Equal(NotificationStep.Reminder(step), due);
    }

    [Fact]
    public void Nothing_is_due_before_the_first_offset()
    {
        var due = NotificationSchedule.Due(Ban, DecisionKind.Grace, appSeen: true, DaysBefore(14.01));

        Assert.Null(due);
    }

    [Fact]
    public void A_step_a_sweep_missed_is_not_sent_late_the_latest_one_is()
    {
        var due = NotificationSchedule.Due(Ban, DecisionKind.Grace, appSeen: true, DaysBefore(0.5));

        Assert.Equal(NotificationStep.Reminder(1), due);
    }

    [Fact]
    public void The_ban_s_own_offsets_replace_the_defaults()
    {
        var ban = Ban with { Notifications = BanNotifications.Default with { ReminderDaysBefore = [30, 2] } };

        Assert.Equal(NotificationStep.Reminder(30), NotificationSchedule.Due(ban, DecisionKind.Grace, true, DaysBefore(20)));
        Assert.Null(NotificationSchedule.Due(Ban, DecisionKind.Grace, true, DaysBefore(20)));
    }

    [Fact]
    public void An_advised_device_with_the_app_is_due_the_advisory_text_at_the_reminder_steps_and_never_the_notice()
    {
        var before = NotificationSchedule.Due(Ban, DecisionKind.Advised, appSeen: true, DaysBefore(7));
        var after = NotificationSchedule.Due(Ban, DecisionKind.Advised, appSeen: true, Fleet.TenDaysLate);

        Assert.Equal(NotificationStep.Advisory(7), before);
        Assert.Null(after);
    }

    [Fact]
    public void An_offending_device_is_due_the_enforcement_notice_from_the_deadline_on()
    {
        var atDeadline = NotificationSchedule.Due(Ban, DecisionKind.Offending, appSeen: true, Fleet.UninstallBy);
        var later = NotificationSchedule.Due(Ban, DecisionKind.Offending, appSeen: true, Fleet.TenDaysLate);

        Assert.Equal(NotificationStep.Notice, atDeadline);
        Assert.Equal(NotificationStep.Notice, later);
    }

    [Theory]
    [InlineData(DecisionKind.Exempt)]
    [InlineData(DecisionKind.OutOfScope)]
    [InlineData(DecisionKind.Clean)]
    [InlineData(DecisionKind.Unverified)]
    [InlineData(DecisionKind.Attested)]
    [InlineData(DecisionKind.BanNotActive)]
    public void Exempt_excluded_and_devices_without_the_app_are_never_due(DecisionKind decision)
    {
        Assert.Null(NotificationSchedule.Due(Ban, decision, appSeen: true, DaysBefore(7)));
        Assert.Null(NotificationSchedule.Due(Ban, decision, appSeen: true, Fleet.TenDaysLate));
    }

    [Fact]
    public void A_device_without_the_app_is_not_reminded()
    {
        var due = NotificationSchedule.Due(Ban, DecisionKind.Grace, appSeen: false, DaysBefore(7));

        Assert.Null(due);
    }

    [Fact]
    public void Nothing_is_due_once_the_ban_expired()
    {
        var due = NotificationSchedule.Due(Ban, DecisionKind.Offending, appSeen: true, Fleet.ExpiresOn);

        Assert.Null(due);
    }

    [Theory]
    [InlineData("reminder-14")]
    [InlineData("advisory-7")]
    [InlineData("enforcement-notice")]
    public void A_step_reads_back_from_its_journal_target(string target)
    {
        var step = NotificationStep.Parse(target);

        Assert.Equal(target, step?.Target);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("reminder-")]
    [InlineData("reminder-0")]
    [InlineData("reminder--3")]
    [InlineData("reminder-+3")]
    [InlineData("group")]
    [InlineData("notice-14")]
    public void A_target_that_is_not_a_step_reads_as_none(string? target)
    {
        Assert.Null(NotificationStep.Parse(target));
    }

    [Fact]
    public void A_reminder_and_an_advisory_of_the_same_offset_are_one_step()
    {
        Assert.True(NotificationStep.Reminder(7).IsSameStepAs(NotificationStep.Advisory(7)));
        Assert.False(NotificationStep.Reminder(7).IsSameStepAs(NotificationStep.Reminder(14)));
        Assert.False(NotificationStep.Reminder(7).IsSameStepAs(NotificationStep.Notice));
        Assert.True(NotificationStep.Notice.IsSameStepAs(NotificationStep.Notice));
    }

    [Fact]
    public void The_hourly_limit_counts_only_the_sends_of_the_last_hour()
    {
        var now = Fleet.InGrace;
        DateTimeOffset[] sent = [.. Enumerable.Range(0, 9).Select(i => now.AddMinutes(-5 - i)), now.AddMinutes(-61)];

        Assert.Equal(1, HourlyLimit.Left(sent, now));
        Assert.Equal(0, HourlyLimit.Left([.. sent, now.AddMinutes(-1)], now));
    }

    [Fact]
    public void The_next_send_is_allowed_once_the_oldest_send_of_the_hour_leaves_it()
    {
        var now = Fleet.InGrace;
        DateTimeOffset[] sent = [.. Enumerable.Range(1, 10).Select(i => now.AddMinutes(-i))];

        Assert.Equal(now.AddMinutes(-10).AddHours(1), HourlyLimit.NextAt(sent, now));
        Assert.Equal(now, HourlyLimit.NextAt(sent[..9], now));
    }

    [Theory]
    [InlineData(DeviceClass.IosSupervised, true)]
    [InlineData(DeviceClass.IosCompany, true)]
    [InlineData(DeviceClass.IosPersonal, true)]
    [InlineData(DeviceClass.IosUserEnrollment, true)]
    [InlineData(DeviceClass.AndroidPersonalWorkProfile, true)]
    [InlineData(DeviceClass.AndroidCorporateWorkProfile, false)]
    [InlineData(DeviceClass.AndroidFullyManaged, false)]
    [InlineData(DeviceClass.AndroidDeviceAdministrator, false)]
    [InlineData(DeviceClass.AndroidPersonalUnknownMode, false)]
    [InlineData(DeviceClass.WindowsCompany, false)]
    [InlineData(DeviceClass.MacosPersonal, false)]
    [InlineData(DeviceClass.Unknown, false)]
    public void Only_ios_and_android_personal_work_profiles_take_the_notification_route(DeviceClass deviceClass, bool notified)
    {
        Assert.Equal(notified, RoutePlanner.For(deviceClass).Takes(Route.Notification));
    }
}
