namespace IntuneBanSync.Tests.Reports;

public sealed class ReportBuilderTests
{
    private static readonly Ban TikTok = Fleet.Ban("tiktok");
    private static readonly Ban WeChat = Fleet.Ban("wechat");

    [Theory]
    [InlineData(DecisionKind.Grace, DecisionKind.Offending, DecisionKind.Offending)]
    [InlineData(DecisionKind.Offending, DecisionKind.Grace, DecisionKind.Offending)]
    [InlineData(DecisionKind.Exempt, DecisionKind.Grace, DecisionKind.Grace)]
    [InlineData(DecisionKind.Unverified, DecisionKind.Exempt, DecisionKind.Exempt)]
    [InlineData(DecisionKind.Clean, DecisionKind.Unverified, DecisionKind.Unverified)]
    [InlineData(DecisionKind.OutOfScope, DecisionKind.Clean, DecisionKind.Clean)]
    [InlineData(DecisionKind.BanNotActive, DecisionKind.OutOfScope, DecisionKind.OutOfScope)]
    [InlineData(DecisionKind.OutOfScope, DecisionKind.BanNotActive, DecisionKind.OutOfScope)]
    [InlineData(DecisionKind.Advised, DecisionKind.Unverified, DecisionKind.Advised)]
    [InlineData(DecisionKind.Exempt, DecisionKind.Advised, DecisionKind.Exempt)]
    [InlineData(DecisionKind.Attested, DecisionKind.Unverified, DecisionKind.Unverified)]
    [InlineData(DecisionKind.Clean, DecisionKind.Attested, DecisionKind.Attested)]
    public void Device_is_counted_once_overall_under_its_most_pressing_decision(DecisionKind tiktok, DecisionKind wechat, DecisionKind expected)
    {
        var builder = Builder();
        var device = Fleet.Device();
        builder.Add(device, [Decide(TikTok, device, tiktok), Decide(WeChat, device, wechat)]);

        var report = Build(builder);

        Assert.Equal(1, report.DevicesEvaluated);
        Assert.Equal(1, OverallCount(report, expected));
        Assert.Equal(1, Enum.GetValues<DecisionKind>().Sum(kind => OverallCount(report, kind)));
    }

    [Fact]
    public void Overall_counts_partition_the_devices_evaluated()
    {
        var builder = Builder();
        var kinds = Enum.GetValues<DecisionKind>();
        foreach (var kind in kinds)
        {
            var device = Fleet.Device(id: $"device-{kind}");
            builder.Add(device, [Decide(TikTok, device, kind), Decide(WeChat, device, DecisionKind.BanNotActive)]);
        }

        var report = Build(builder);

        Assert.Equal(kinds.Length, report.DevicesEvaluated);
        Assert.All(kinds, kind => Assert.Equal(1, OverallCount(report, kind)));
    }

    [Fact]
    public void Two_offending_devices_of_one_user_are_one_affected_person()
    {
        var builder = Builder();
        var phone = Fleet.Device(id: "phone");
        var tablet = Fleet.Device(id: "tablet", userId: Fleet.UserId.ToUpperInvariant());
        builder.Add(phone, [Decide(TikTok, phone, DecisionKind.Offending)]);
        builder.Add(tablet, [Decide(TikTok, tablet, DecisionKind.Offending)]);

        var report = Build(builder);

        Assert.Equal(2, report.OffendingDevices);
        Assert.Equal(1, report.AffectedPeople);
        Assert.Equal(1, BanOf(report, "tiktok").AffectedPeople);
    }

    [Fact]
    public void Offending_device_without_a_user_adds_no_affected_person()
    {
        var builder = Builder();
        var phone = Fleet.Device(id: "phone");
        var kiosk = Fleet.Device(id: "kiosk", userId: null);
        builder.Add(phone, [Decide(TikTok, phone, DecisionKind.Offending)]);
        builder.Add(kiosk, [Decide(TikTok, kiosk, DecisionKind.Offending)]);

        var report = Build(builder);

        Assert.Equal(2, report.OffendingDevices);
        Assert.Equal(1, report.AffectedPeople);
    }

    [Fact]
    public void Users_of_devices_in_grace_are_affected_people_before_the_deadline()
    {
        var builder = Builder();
        var phone = Fleet.Device(id: "phone");
        builder.Add(phone, [Decide(TikTok, phone, DecisionKind.Grace)]);

        var report = Build(builder);

        Assert.Equal(1, report.AffectedPeople);
        Assert.Equal((1, 1, 0), (report.People.Affected, report.People.BeforeDeadline, report.People.PastDeadline));
        Assert.Equal(1, report.GraceDevices);
    }

    [Fact]
    public void People_are_counted_once_however_many_devices_and_split_by_platform_ownership_and_department()
    {
        var builder = Builder();
        var phone = Fleet.Device(id: "phone");
        var tablet = Fleet.Device(id: "tablet", operatingSystem: "Android", ownerType: "personal");
        var other = Fleet.Device(id: "other", userId: "u0000000-0000-4000-8000-000000000002");
        builder.Add(phone, [Decide(TikTok, phone, DecisionKind.Offending)]);
        builder.Add(tablet, [Decide(TikTok, tablet, DecisionKind.Grace)]);
        builder.Add(other, [Decide(TikTok, other, DecisionKind.Exempt)]);
        var users = new Dictionary<string, UserRecord> { [Fleet.UserId] = new(Fleet.UserId, "Finance", "fr-BE") };

        var report = builder.Build("run-1", "contoso", "cli", EnforcementMode.Report, SweepStatus.Completed, Fleet.TenDaysLate, Fleet.TenDaysLate, Fleet.TenDaysLate, [], [], users);

        Assert.Equal(1, report.People.Affected);
        Assert.Equal((1, 1), (report.People.BeforeDeadline, report.People.PastDeadline));
        Assert.Equal(new Dictionary<string, int> { ["android"] = 1, ["ios"] = 1 }, report.People.ByPlatform);
        Assert.Equal(new Dictionary<string, int> { ["company"] = 1, ["personal"] = 1 }, report.People.ByOwnership);
        Assert.Equal(new Dictionary<string, int> { ["Finance"] = 1 }, report.People.ByDepartment);
        Assert.Equal(1, BanOf(report, "tiktok").People.Affected);
    }

    [Fact]
    public void Affected_people_of_a_ban_count_only_that_ban_offending_devices()
    {
        var builder = Builder();
        var phone = Fleet.Device(id: "phone");
        builder.Add(phone, [Decide(TikTok, phone, DecisionKind.Offending), Decide(WeChat, phone, DecisionKind.Clean)]);

        var report = Build(builder);

        Assert.Equal(1, BanOf(report, "tiktok").AffectedPeople);
        Assert.Equal(0, BanOf(report, "wechat").AffectedPeople);
    }

    [Fact]
    public void Breakdown_puts_an_unknown_operating_system_under_other_and_unknown_ownership_under_unknown()
    {
        var builder = Builder();
        var device = Fleet.Device(operatingSystem: "ChromeOS", ownerType: "unknown");
        builder.Add(device, [Decide(TikTok, device, DecisionKind.OutOfScope, DecisionReason.UnknownOs)]);

        var report = Build(builder);

        var row = Assert.Single(report.ByPlatformAndOwnership);
        Assert.Equal(("other", "unknown"), (row.Platform, row.Ownership));
        Assert.Equal(1, row.Devices);
        Assert.Equal(1, row.OutOfScope);
    }

    [Fact]
    public void Breakdown_has_one_row_per_platform_and_ownership_in_order()
    {
        var builder = Builder();
        var offending = Fleet.Device(id: "ios-1");
        var clean = Fleet.Device(id: "ios-2");
        var personal = Fleet.Device(id: "android-1", operatingSystem: "Android", ownerType: "personal");
        builder.Add(offending, [Decide(TikTok, offending, DecisionKind.Offending), Decide(WeChat, offending, DecisionKind.Clean)]);
        builder.Add(clean, [Decide(TikTok, clean, DecisionKind.Clean), Decide(WeChat, clean, DecisionKind.Clean)]);
        builder.Add(personal, [Decide(TikTok, personal, DecisionKind.Unverified, DecisionReason.Personal), Decide(WeChat, personal, DecisionKind.Clean)]);

        var report = Build(builder);

        Assert.Collection(
            report.ByPlatformAndOwnership,
            android => Assert.Equal(new BreakdownRow("android", "personal", 1, 0, 0, 0, 1, 0, 0, 0), android),
            ios => Assert.Equal(new BreakdownRow("ios", "company", 2, 1, 0, 0, 0, 1, 0, 0), ios));
    }

    [Fact]
    public void Ban_breakdown_counts_that_ban_decisions_only()
    {
        var builder = Builder();
        var device = Fleet.Device();
        builder.Add(device, [Decide(TikTok, device, DecisionKind.Offending), Decide(WeChat, device, DecisionKind.Clean)]);

        var report = Build(builder);

        var row = Assert.Single(BanOf(report, "wechat").ByPlatformAndOwnership);
        Assert.Equal(new BreakdownRow("ios", "company", 1, 0, 0, 0, 0, 1, 0, 0), row);
        Assert.Equal(1, BanOf(report, "wechat").Clean);
        Assert.Equal(0, BanOf(report, "wechat").Offending);
    }

    [Fact]
    public void Ban_report_counts_unverified_and_out_of_scope_reasons()
    {
        var builder = Builder();
        AddForTikTok(builder, "a", DecisionKind.Unverified, DecisionReason.Personal);
        AddForTikTok(builder, "b", DecisionKind.Unverified, DecisionReason.Personal);
        AddForTikTok(builder, "c", DecisionKind.Unverified, DecisionReason.StaleInventory);
        AddForTikTok(builder, "d", DecisionKind.OutOfScope, DecisionReason.Excluded);
        AddForTikTok(builder, "e", DecisionKind.OutOfScope, DecisionReason.UnknownOs);
        AddForTikTok(builder, "f", DecisionKind.Clean, DecisionReason.NotDetected);

        var report = Build(builder);

        var tiktok = BanOf(report, "tiktok");
        Assert.Equal(new Dictionary<string, int> { ["personal"] = 2, ["stale-inventory"] = 1 }, tiktok.UnverifiedReasons);
        Assert.Equal(new Dictionary<string, int> { ["excluded"] = 1, ["unknown-os"] = 1 }, tiktok.OutOfScopeReasons);
        Assert.Empty(BanOf(report, "wechat").UnverifiedReasons);
    }

    [Fact]
    public void Ban_report_takes_the_ban_mode_and_defaults_to_report()
    {
        var builder = Builder();

        var report = Build(builder);

        Assert.Equal(EnforcementMode.Enforce, BanOf(report, "tiktok").Mode);
        Assert.Equal(EnforcementMode.Report, BanOf(report, "wechat").Mode);
    }

    [Fact]
    public void Ban_report_is_inactive_when_the_sweep_is_evaluated_at_expiresOn()
    {
        var builder = Builder();

        var report = builder.Build("run-1", "contoso", "cli", EnforcementMode.Report, SweepStatus.Completed, Fleet.ExpiresOn, Fleet.ExpiresOn, Fleet.ExpiresOn, [], []);

        Assert.All(report.Bans, ban => Assert.False(ban.Active));
    }

    [Fact]
    public void Report_lists_every_ban_even_without_devices()
    {
        var builder = Builder();

        var report = Build(builder);

        Assert.Equal(["tiktok", "wechat"], report.Bans.Select(b => b.BanId));
        Assert.All(report.Bans, ban => Assert.True(ban.Active));
        Assert.Equal(0, report.DevicesEvaluated);
    }

    [Fact]
    public void Advised_devices_are_counted_under_their_own_heading_with_the_app_and_people_and_never_as_affected()
    {
        var builder = Builder();
        var phone = Fleet.Device(id: "phone");
        var tablet = Fleet.Device(id: "tablet");
        var other = Fleet.Device(id: "other", userId: "u-other");
        builder.Add(phone, [Decide(TikTok, phone, DecisionKind.Advised, DecisionReason.Detected)]);
        builder.Add(tablet, [Decide(TikTok, tablet, DecisionKind.Advised, DecisionReason.Detected)]);
        builder.Add(other, [Decide(TikTok, other, DecisionKind.Advised, DecisionReason.Advisory)]);

        var report = Build(builder);

        var ban = report.Bans.Single(b => b.BanId == "tiktok");
        Assert.Equal(new AdvisoryReport(3, 2, 1), ban.Advisory);
        Assert.Equal(3, report.AdvisedDevices);
        Assert.Equal(0, report.AffectedPeople);
        Assert.Equal(0, ban.Offending);
    }

    [Fact]
    public void Attested_devices_and_their_people_are_counted_apart_from_unverified_ones()
    {
        var builder = Builder();
        var attested = Fleet.Device(id: "attested");
        var unverified = Fleet.Device(id: "unverified", userId: "u-other");
        builder.Add(attested, [Decide(TikTok, attested, DecisionKind.Attested, DecisionReason.Attested)]);
        builder.Add(unverified, [Decide(TikTok, unverified, DecisionKind.Unverified, DecisionReason.Personal)]);

        var report = Build(builder);

        var ban = report.Bans.Single(b => b.BanId == "tiktok");
        Assert.Equal(new AttestedReport(1, 1), ban.Attested);
        Assert.Equal((1, 1), (report.AttestedDevices, report.UnverifiedDevices));
        Assert.Equal(0, report.CleanDevices);
    }

    private static ReportBuilder Builder() => new([TikTok, WeChat], new Dictionary<string, EnforcementMode> { ["tiktok"] = EnforcementMode.Enforce });

    private static SweepReport Build(ReportBuilder builder) =>
        builder.Build("run-1", "contoso", "cli", EnforcementMode.Report, SweepStatus.Completed, Fleet.TenDaysLate, Fleet.TenDaysLate, Fleet.TenDaysLate, [], []);

    private static Decision Decide(Ban ban, DeviceRecord device, DecisionKind kind, DecisionReason reason = DecisionReason.Detected) =>
        new(ban.Id, device.Id, kind, reason, $"{kind} for the test");

    private static void AddForTikTok(ReportBuilder builder, string deviceId, DecisionKind kind, DecisionReason reason)
    {
        var device = Fleet.Device(id: deviceId);
        builder.Add(device, [Decide(TikTok, device, kind, reason), Decide(WeChat, device, DecisionKind.Clean, DecisionReason.NotDetected)]);
    }

    private static BanReport BanOf(SweepReport report, string banId) => report.Bans.Single(b => b.BanId == banId);

    private static int OverallCount(SweepReport report, DecisionKind kind) => kind switch
    {
        DecisionKind.Offending => report.OffendingDevices,
        DecisionKind.Grace => report.GraceDevices,
        DecisionKind.Exempt => report.ExemptDevices,
        DecisionKind.Unverified => report.UnverifiedDevices,
        DecisionKind.Clean => report.CleanDevices,
        DecisionKind.OutOfScope => report.OutOfScopeDevices,
        DecisionKind.BanNotActive => report.BanNotActiveDevices,
        DecisionKind.Advised => report.AdvisedDevices,
        DecisionKind.Attested => report.AttestedDevices,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
