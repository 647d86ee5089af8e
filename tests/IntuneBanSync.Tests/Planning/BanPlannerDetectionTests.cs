using static IntuneBanSync.Tests.Planning.Fleet;

namespace IntuneBanSync.Tests.Planning;

public sealed class BanPlannerDetectionTests
{
    [Fact]
    public void Device_before_uninstallBy_with_the_app_seen_is_in_grace()
    {
        var ban = Ban();
        var planner = Planner(ban, InGrace);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Grace, decision.Kind);
        Assert.Equal("detected", decision.ReasonCode);
        Assert.Contains("2023-03-15", decision.Text);
    }

    [Fact]
    public void Device_past_uninstallBy_with_the_app_seen_is_offending()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
        Assert.Equal("detected", decision.ReasonCode);
        Assert.Contains("'TikTok' 32.1.0", decision.Text);
        Assert.Contains("the uninstall deadline was 2023-03-15", decision.Text);
    }

    [Fact]
    public void Device_at_the_instant_of_uninstallBy_with_the_app_seen_is_offending()
    {
        var ban = Ban();
        var planner = Planner(ban, UninstallBy);

        var decision = planner.Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
        Assert.Contains("the uninstall deadline was 2023-03-15", decision.Text);
    }

    [Fact]
    public void Personal_device_with_the_app_seen_is_offending_not_unverified()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate);

        var decision = planner.Decide(ban, Seen(Device(ownerType: "personal"), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
    }

    [Fact]
    public void Stale_device_with_the_app_seen_is_offending()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate);

        var decision = planner.Decide(ban, Seen(Device(lastSync: TenDaysLate.AddDays(-60)), TikTok));

        Assert.Equal(DecisionKind.Offending, decision.Kind);
    }

    [Fact]
    public void Company_device_recently_synced_without_the_app_is_clean()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate);

        var decision = planner.Decide(ban, NotSeen(Device()));

        Assert.Equal(DecisionKind.Clean, decision.Kind);
        Assert.Equal("not-detected", decision.ReasonCode);
    }

    [Fact]
    public void Device_without_the_app_is_unverified_when_the_listing_for_its_ban_and_platform_failed()
    {
        var ban = Ban();
        var coverage = new InventoryCoverage();
        coverage.AppListingFailed("tiktok", DevicePlatform.Ios, "devices with 'TikTok' could not be read");
        var planner = Planner(ban, TenDaysLate, coverage: coverage);

        var decision = planner.Decide(ban, NotSeen(Device()));

        Assert.Equal(DecisionKind.Unverified, decision.Kind);
        Assert.Equal("inventory-unread", decision.ReasonCode);
    }

    [Fact]
    public void Device_on_another_platform_stays_clean_when_one_platform_listing_failed()
    {
        var ban = Ban();
        var coverage = new InventoryCoverage();
        coverage.AppListingFailed("tiktok", DevicePlatform.Ios, "devices with 'TikTok' could not be read");
        var planner = Planner(ban, TenDaysLate, coverage: coverage);

        var decision = planner.Decide(ban, NotSeen(Device(operatingSystem: "Android")));

        Assert.Equal(DecisionKind.Clean, decision.Kind);
    }

    [Fact]
    public void Device_stays_clean_for_a_ban_whose_listing_was_read_when_another_ban_listing_failed()
    {
        var ban = Ban();
        var coverage = new InventoryCoverage();
        coverage.AppListingFailed("wechat", DevicePlatform.Ios, "devices with 'WeChat' could not be read");
        var planner = Planner(ban, TenDaysLate, coverage: coverage);

        var decision = planner.Decide(ban, NotSeen(Device()));

        Assert.Equal(DecisionKind.Clean, decision.Kind);
    }

    [Fact]
    public void Device_without_the_app_is_unverified_when_the_detected_apps_list_failed()
    {
        var ban = Ban();
        var coverage = new InventoryCoverage();
        coverage.DetectedAppsListFailed("detected apps could not be read");
        var planner = Planner(ban, TenDaysLate, coverage: coverage);

        var decision = planner.Decide(ban, NotSeen(Device()));

        Assert.Equal(DecisionKind.Unverified, decision.Kind);
        Assert.Equal("inventory-unread", decision.ReasonCode);
    }

    [Fact]
    public void Personal_device_without_the_app_is_unverified()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate);

        var decision = planner.Decide(ban, NotSeen(Device(ownerType: "personal")));

        Assert.Equal(DecisionKind.Unverified, decision.Kind);
        Assert.Equal("personal", decision.ReasonCode);
    }

    [Fact]
    public void Device_whose_last_sync_is_older_than_the_max_age_is_unverified()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate);

        var decision = planner.Decide(ban, NotSeen(Device(lastSync: TenDaysLate - InventoryMaxAge - TimeSpan.FromMinutes(1))));

        Assert.Equal(DecisionKind.Unverified, decision.Kind);
        Assert.Equal("stale-inventory", decision.ReasonCode);
    }

    [Fact]
    public void Device_synced_exactly_the_max_age_ago_is_clean()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate);

        var decision = planner.Decide(ban, NotSeen(Device(lastSync: TenDaysLate - InventoryMaxAge)));

        Assert.Equal(DecisionKind.Clean, decision.Kind);
    }

    [Fact]
    public void Device_that_never_synced_is_unverified()
    {
        var ban = Ban();
        var planner = Planner(ban, TenDaysLate);
        var neverSynced = Device() with { LastSyncDateTime = null };

        var decision = planner.Decide(ban, NotSeen(neverSynced));

        Assert.Equal(DecisionKind.Unverified, decision.Kind);
        Assert.Equal("stale-inventory", decision.ReasonCode);
    }

    [Fact]
    public void Device_without_the_app_whose_exemption_group_is_unreadable_is_still_judged_by_its_inventory()
    {
        var ban = Ban();
        var planner = Planner(
            ban, TenDaysLate, GroupsWithUnreadable(ExemptGroup),
            exemptions: [Exemption("police-comms", ExemptionSubjectKind.Group, ExemptGroup)]);

        var decision = planner.Decide(ban, NotSeen(Device()));

        Assert.Equal(DecisionKind.Clean, decision.Kind);
    }

    [Fact]
    public void An_offending_device_s_reason_is_the_same_a_day_later_so_its_state_is_not_rewritten_daily()
    {
        var ban = Ban();

        var today = Planner(ban, TenDaysLate).Decide(ban, Seen(Device(), TikTok));
        var tomorrow = Planner(ban, TenDaysLate.AddDays(1)).Decide(ban, Seen(Device(), TikTok));

        Assert.Equal(today.Text, tomorrow.Text);
    }
}
