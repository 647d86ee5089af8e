namespace IntuneBanSync.IntegrationTests.Enforcement.Compliance;

/// <summary>What the compliance route reaches per device, Conditional Access, and its permissions.</summary>
public sealed class ComplianceReachTests(AzuriteFixture azurite) : ComplianceRouteTests(azurite)
{
    [Fact]
    public async Task An_ios_company_device_with_a_user_installed_copy_is_pending_then_noncompliant_after_it_checks_in()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var device = ExpectedReport.OffendingDevices(harness.Tenant.State)
            .Where(d => d.OperatingSystem == "iOS" && d.Ownership == "company" && d.ComplianceState == "compliant")
            .OrderBy(d => d.IsSupervised)
            .First(d => d.InstalledApps.Any(a => IsTikTok(a) && a.Source == AppSource.User));

        await harness.EnforceAsync(harness.EnforceBan());
        var enforced = await StateAsync(harness, device.Id);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.CheckInAll();
        harness.Clock.Advance(TimeSpan.FromHours(1));
        await harness.EnforceAsync(harness.EnforceBan());
        var after = await StateAsync(harness, device.Id);

        Assert.Equal((Reach.Pending, "compliance (ios)"), ComplianceReach(enforced));
        Assert.Equal((Reach.Noncompliant, "compliance (ios)"), ComplianceReach(after));
        Assert.Equal(LifecycleState.Enforcing, after.State);
        Assert.Equal(ComplianceMechanism.NoncompliantReason, after.StateReason);
        Assert.Equal("noncompliant", harness.Tenant.State.ManagedDeviceById(device.Id).ComplianceState);
        Assert.Contains(harness.Tenant.State.ManagedDeviceById(device.Id).InstalledApps, IsTikTok);
    }

    [Fact]
    public async Task A_device_in_grace_is_notified_and_not_counted_as_newly_reached()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var ios = ExpectedReport.OffendingDevices(harness.Tenant.State).First(d => d.OperatingSystem is "iOS" or "iPadOS");

        var report = await EnforceAsync(harness, Ban(harness, b => b["uninstallBy"] = Iso(harness.Seed.Now.AddDays(5))));

        Assert.Equal(Reach.Notified, ComplianceReach(await StateAsync(harness, ios.Id)).Reach);
        Assert.Equal(0, report.Enforcement.NewlyEnforced);
    }

    [Fact]
    public async Task Devices_of_classes_compliance_cannot_reach_get_no_compliance_reach()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var windows = ExpectedReport.OffendingDevices(harness.Tenant.State).Where(d => d.OperatingSystem == "Windows").Select(d => d.Id).ToList();

        await harness.EnforceAsync(harness.EnforceBan());

        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.NotEmpty(windows);
        Assert.All(windows, id => Assert.DoesNotContain(states[id].Reaches!, r => r.Mechanism == ComplianceMechanism.Id));
    }

    [Fact]
    public async Task The_conditional_access_note_appears_when_no_enabled_policy_requires_a_compliant_device()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await RemoveConditionalAccessAsync(harness.Tenant);

        var result = await ApplyAsync(harness, Ban(harness));

        Assert.Null(result.Stop);
        Assert.Equal([ConditionalAccessCheck.NothingBlocked], result.Notes);
    }

    [Fact]
    public async Task No_conditional_access_note_while_an_enabled_policy_requires_a_compliant_device_for_all_users()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);

        var result = await ApplyAsync(harness, Ban(harness));

        Assert.Null(result.Stop);
        Assert.Empty(result.Notes!);
        Assert.Single(Named(harness, IosPolicy));
    }

    [Fact]
    public async Task A_policy_that_also_lets_mfa_in_does_not_count_as_requiring_a_compliant_device()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await RemoveConditionalAccessAsync(harness.Tenant);
        await AddConditionalAccessAsync(harness.Tenant, new JsonObject
        {
            ["displayName"] = "Compliant or MFA",
            ["state"] = "enabled",
            ["conditions"] = new JsonObject { ["users"] = new JsonObject { ["includeUsers"] = new JsonArray("All") } },
            ["grantControls"] = new JsonObject { ["operator"] = "OR", ["builtInControls"] = new JsonArray("mfa", "compliantDevice") },
        });

        var result = await ApplyAsync(harness, Ban(harness));

        Assert.Equal([ConditionalAccessCheck.NothingBlocked], result.Notes);
    }

    [Fact]
    public async Task Without_policy_read_all_the_route_still_runs_and_notes_that_conditional_access_was_not_checked()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var token = SimulatorGraph.AllPermissionsBut(GraphPermissions.PolicyRead);

        var report = await EnforceAsync(harness, Ban(harness), token);
        var result = await ApplyAsync(harness, Ban(harness), token);

        Assert.Null(report.Bans.Single().Enforcement!.Stopped);
        Assert.Single(Named(harness, IosPolicy));
        Assert.Null(result.Stop);
        Assert.Contains("Policy.Read.All", Assert.Single(result.Notes!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_403_stops_the_compliance_route_naming_its_permissions_and_the_uninstall_still_runs()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);

        var report = await harness.EnforceRefusedAsync(GraphPermissions.ConfigurationReadWrite);

        Assert.Equal(SweepStatus.Incomplete, report.Status);
        SweepHarness.AssertStopped(report, "compliance was refused by Graph (403)", GraphPermissions.ConfigurationReadWrite);
        Assert.Empty(Policies(harness));
        Assert.NotEmpty(harness.Tenant.State.GroupByName("IntuneBanSync – TikTok – uninstall").MemberIds);
    }

    [Fact]
    public async Task A_token_without_the_configuration_permission_keeps_the_compliance_route_from_starting()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);

        var report = await EnforceAsync(harness, Ban(harness), SimulatorGraph.AllPermissionsBut(GraphPermissions.ConfigurationReadWrite));

        SweepHarness.AssertStopped(report, "compliance did not run", GraphPermissions.ConfigurationReadWrite);
        Assert.Empty(Templates(harness));
        Assert.DoesNotContain(report.Writes, w => w.Action.Contains("compliance", StringComparison.Ordinal) || (w.Action.Contains("notification", StringComparison.Ordinal) && w.Action != CompanyPortalNotifications.SendNotification.Name));
    }

    private static bool IsTikTok(InstalledApp app) => app.DisplayName.Trim().ToLowerInvariant() is "tiktok" or "tiktok lite";

    private static async Task<DeviceBanState> StateAsync(SweepHarness harness, string deviceId) =>
        (await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None))[deviceId];

    private static (Reach Reach, string Route) ComplianceReach(DeviceBanState state) =>
        state.Reaches!.Where(r => r.Mechanism == ComplianceMechanism.Id).Select(r => (r.Reach, r.Route)).Single();
}
