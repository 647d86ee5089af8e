namespace IntuneBanSync.Tests.Enforcement.Compliance;

public sealed class CompliancePolicyJsonTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static readonly Ban Ban = Fleet.Ban() with
    {
        Apps = new BanApps(["TikTok"], ["com.zhiliaoapp.musically", "COM.ZHILIAOAPP.MUSICALLY"], ["com.zhiliaoapp.musically", "com.zhiliaoapp.musically.go"], [], []),
    };

    [Theory]
    [InlineData(120.0, 120)]
    [InlineData(119.4, 119)]
    [InlineData(119.5, 120)]
    [InlineData(0.2, 0)]
    [InlineData(-240.0, 0)]
    [InlineData(9000.0, 8760)]
    public void The_grace_is_the_hours_left_to_the_deadline_none_after_it_and_at_most_what_Graph_accepts(double hoursLeft, int grace)
    {
        var deadline = Now.AddHours(hoursLeft);

        var hours = CompliancePolicyJson.GraceHours(deadline, Now);

        Assert.Equal(grace, hours);
    }

    [Theory]
    [InlineData(120, 120.0, false)]
    [InlineData(120, 119.5, false)]
    [InlineData(120, 119.01, false)]
    [InlineData(120, 119.0, true)]
    [InlineData(120, 121.2, true)]
    [InlineData(0, -50.0, false)]
    [InlineData(8760, 9500.0, false)]
    public void The_grace_counts_as_drifted_only_when_off_by_a_whole_hour(int shown, double hoursLeft, bool drifted)
    {
        var deadline = Now.AddHours(hoursLeft);

        var result = CompliancePolicyJson.GraceDrifted(shown, deadline, Now);

        Assert.Equal(drifted, result);
    }

    [Fact]
    public void A_new_policy_restricts_each_identifier_once_and_carries_one_notification_and_one_block()
    {
        var body = CompliancePolicyJson.Create(Ban, CompliancePlatform.Ios, "template-1", 48);

        var shown = CompliancePolicyJson.Read(JsonDocument.Parse(body.ToJsonString()).RootElement);

        Assert.Equal("#microsoft.graph.iosCompliancePolicy", shown.ODataType);
        Assert.Equal(["com.zhiliaoapp.musically"], shown.RestrictedApps.Select(a => a.AppId));
        Assert.Equal([("notification", 0, "template-1"), ("block", 48, (string?)null)], shown.Actions.Select(a => (a.ActionType, a.GracePeriodHours, a.NotificationTemplateId)));
        Assert.True(shown.SettingsMatch(Ban, CompliancePlatform.Ios));
    }

    [Fact]
    public void A_policy_with_other_restricted_apps_does_not_match_the_ban()
    {
        var body = CompliancePolicyJson.Create(Ban, CompliancePlatform.AndroidDeviceAdministrator, "template-1", 0);
        var changed = Ban with { Apps = Ban.Apps with { Android = ["com.zhiliaoapp.musically"] } };

        var shown = CompliancePolicyJson.Read(JsonDocument.Parse(body.ToJsonString()).RootElement);

        Assert.True(shown.SettingsMatch(Ban, CompliancePlatform.AndroidDeviceAdministrator));
        Assert.False(shown.SettingsMatch(changed, CompliancePlatform.AndroidDeviceAdministrator));
    }

    [Fact]
    public void The_actions_match_only_with_our_template_and_a_grace_that_has_not_drifted()
    {
        var deadline = Now.AddHours(48);
        var body = CompliancePolicyJson.Create(Ban, CompliancePlatform.Ios, "template-1", 48);

        var shown = CompliancePolicyJson.Read(JsonDocument.Parse(body.ToJsonString()).RootElement);

        Assert.True(shown.ActionsMatch("template-1", deadline, Now.AddMinutes(50)));
        Assert.False(shown.ActionsMatch("template-1", deadline, Now.AddMinutes(61)));
        Assert.False(shown.ActionsMatch("template-2", deadline, Now));
    }

    [Fact]
    public void A_policy_shown_without_its_actions_does_not_match()
    {
        var body = CompliancePolicyJson.Settings(Ban, CompliancePlatform.Ios);

        var shown = CompliancePolicyJson.Read(JsonDocument.Parse(body.ToJsonString()).RootElement);

        Assert.False(shown.ActionsMatch("template-1", Now, Now));
    }
}
