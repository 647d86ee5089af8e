using static IntuneBanSync.IntegrationTests.Enforcement.TenantDevices;

namespace IntuneBanSync.IntegrationTests.Enforcement.Uninstall;

/// <summary>
/// Android Enterprise through managed Google Play: the sweep checks the binding, approves the ban's packages, has Intune sync them,
/// waits (bounded) for the androidManagedStoreApp to appear, and assigns its uninstall to the ban's group, as for any other route.
/// </summary>
public sealed class ManagedGooglePlayTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    private const string Approve = "POST deviceManagement/androidManagedStoreAccountEnterpriseSettings/approveApps";
    private const string Sync = "POST deviceManagement/androidManagedStoreAccountEnterpriseSettings/syncApps";
    private static readonly string[] TikTokPackages = ["com.zhiliaoapp.musically", "com.zhiliaoapp.musically.go", "com.ss.android.ugc.trill"];

    [Fact]
    public async Task Managed_profile_copies_are_removed_at_check_in_whoever_installed_them_and_the_devices_resolve()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var offenders = ExpectedReport.OffendingDevices(harness.Tenant.State);
        var fullyManagedUserCopies = offenders.Where(d => d.AndroidMode is AndroidMode.FullyManaged or AndroidMode.Dedicated && HasTikTok(d, AppSource.User)).ToList();
        var workProfiles = offenders.Where(d => d.AndroidMode is AndroidMode.CorporateWorkProfile or AndroidMode.PersonalWorkProfile).ToList();
        var enforced = await harness.EnforceAsync(harness.EnforceBan());
        var afterEnforce = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.CheckInAll();
        harness.Clock.Advance(TimeSpan.FromHours(1));

        await harness.EnforceAsync(harness.EnforceBan());

        Assert.NotEmpty(fullyManagedUserCopies);
        Assert.NotEmpty(workProfiles);
        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.All(fullyManagedUserCopies.Concat(workProfiles), device =>
        {
            Assert.Contains(afterEnforce[device.Id].Reaches!, r => r is { Reach: Reach.Assigned, Route: "uninstall (android-enterprise)" });
            Assert.DoesNotContain(harness.Tenant.State.ManagedDeviceById(device.Id).InstalledApps, a => IsTikTok(a));
            Assert.Equal(LifecycleState.Resolved, states[device.Id].State);
        });
        Assert.Equal(SweepStatus.Completed, enforced.Status);
    }

    [Fact]
    public async Task A_tenant_without_managed_Google_Play_leaves_Android_Enterprise_devices_unreachable_with_the_reason_and_approves_nothing()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, simulator: o => o with { ManagedPlayBinding = TenantSimulator.ManagedPlayBinding.NotBound });
        var enterprise = EnterpriseOffenders(harness.Tenant.State);

        var report = await harness.EnforceAsync(harness.EnforceBan());

        Assert.NotEmpty(enterprise);
        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.All(enterprise, d =>
        {
            Assert.Equal(LifecycleState.Unenforceable, states[d.Id].State);
            Assert.Contains("managed Google Play is not bound to this tenant (bindStatus notBound)", states[d.Id].StateReason, StringComparison.Ordinal);
            Assert.DoesNotContain(d.Id, UninstallMembers(harness.Tenant.State));
        });
        Assert.False(harness.Tenant.Requests.ByKind.ContainsKey(Approve));
        Assert.Empty(harness.Tenant.State.ManagedGooglePlay.Approved);
        Assert.Contains(harness.Tenant.State.ManagedDevices, d => d.OperatingSystem == "iOS" && UninstallMembers(harness.Tenant.State).Contains(d.Id));
        Assert.Equal(SweepStatus.Completed, report.Status);
    }

    [Fact]
    public async Task Without_the_configuration_permission_the_uninstall_runs_and_Android_Enterprise_devices_are_unreachable_naming_it()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var enterprise = EnterpriseOffenders(harness.Tenant.State);

        var report = await harness.EnforceWithoutAsync(GraphPermissions.ConfigurationReadWrite);

        Assert.NotEmpty(enterprise);
        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.All(enterprise, d =>
        {
            Assert.Equal(LifecycleState.Unenforceable, states[d.Id].State);
            Assert.Contains(GraphPermissions.ConfigurationReadWrite.Name, states[d.Id].StateReason, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("uninstall-assignment", report.Bans.Single().Enforcement!.Stopped ?? "", StringComparison.Ordinal);
        Assert.Contains(harness.Tenant.State.ManagedDevices, d => d.OperatingSystem == "iOS" && UninstallMembers(harness.Tenant.State).Contains(d.Id));
    }

    [Fact]
    public async Task Approval_never_comes_with_an_available_or_required_assignment()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);

        await harness.EnforceAsync(harness.EnforceBan());

        var state = harness.Tenant.State;
        var group = state.GroupByName(UninstallGroup).Id;
        Assert.Equal(TikTokPackages.Order(), state.ManagedGooglePlay.Approved.Order());
        var approved = state.MobileApps.Where(a => a.ODataType == "androidManagedStoreApp" && TikTokPackages.Contains(a.PackageId)).ToList();
        Assert.Equal(TikTokPackages.Length, approved.Count);
        Assert.All(approved, app => Assert.Equal([("uninstall", group)], app.Assignments.Select(a => (a.Intent, a.GroupId))));
    }

    [Fact]
    public async Task Approvals_and_the_sync_are_journaled_once_and_not_repeated_on_a_second_sweep()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await harness.EnforceAsync(harness.EnforceBan());
        var first = harness.Tenant.Requests.ByKind;
        harness.Tenant.Requests.Reset();

        var second = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(TikTokPackages.Length, first[Approve]);
        Assert.Equal(1, first[Sync]);
        var audit = await harness.Journal.GetAuditAsync("contoso", "tiktok", CancellationToken.None);
        Assert.Equal(
            TikTokPackages.Select(UninstallAudit.ApprovalTarget).Order(),
            audit.Where(e => e.Intent.Action == UninstallAssignment.ApproveApp).Select(e => e.Intent.Target).Order());
        Assert.Single(audit, e => e.Intent.Action == UninstallAssignment.SyncManagedPlay);
        Assert.All(audit.Where(e => e.Intent.Action == UninstallAssignment.ApproveApp || e.Intent.Action == UninstallAssignment.SyncManagedPlay),
            e => Assert.Equal(WriteResult.Done, e.Outcome?.Result));
        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Writes);
        Assert.Empty(second.Writes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task A_crash_between_the_approval_and_the_assignment_converges_without_approving_again(int crashAfter)
    {
        await using var clean = await SweepHarness.StartAsync(Azurite);
        await clean.EnforceAsync(clean.EnforceBan());
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var recorder = new WriteRecorder(crashAfter, WriteRecorder.UninstallWrite);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.EnforceAsync(harness.EnforceBan(), recorder));
        var beforeRecovery = recorder.Writes.Where(WriteRecorder.UninstallWrite).ToList();
        recorder.CrashAfter = null;
        var recovered = await harness.EnforceAsync(harness.EnforceBan(), recorder);

        Assert.Equal(crashAfter, beforeRecovery.Count);
        Assert.All(beforeRecovery, w => Assert.Contains("androidManagedStoreAccountEnterpriseSettings", w, StringComparison.Ordinal));
        Assert.Equal(SweepStatus.Completed, recovered.Status);
        Assert.Equal(EndState(clean.Tenant.State), EndState(harness.Tenant.State));
        Assert.Equal(recorder.Writes.Count, recorder.Writes.Distinct().Count());
        Assert.Equal(TikTokPackages.Length, recorder.Writes.Count(w => w.Contains("/approveApps", StringComparison.Ordinal)));
        var audit = await harness.Journal.GetAuditAsync("contoso", "tiktok", CancellationToken.None);
        Assert.All(audit, entry => Assert.NotNull(entry.Outcome));
    }

    [Fact]
    public async Task Apps_synced_while_the_sweep_waits_are_assigned_in_the_same_sweep()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, simulator: o => o with { ManagedPlaySync = TimeSpan.FromHours(1) });
        var clock = new SkippingClock(harness.Clock);

        await EnforceAsync(harness, clock);

        Assert.InRange(clock.Waited, TimeSpan.FromSeconds(36), UninstallAssignment.DefaultPatience);
        Assert.All(EnterpriseOffenders(harness.Tenant.State), d => Assert.Contains(d.Id, UninstallMembers(harness.Tenant.State)));
    }

    [Fact]
    public async Task Apps_managed_Google_Play_syncs_after_the_wait_leave_the_devices_pending_and_a_later_sweep_assigns_them_without_asking_again()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, simulator: o => o with { ManagedPlaySync = TimeSpan.FromHours(10) });
        var enterprise = EnterpriseOffenders(harness.Tenant.State);
        var clock = new SkippingClock(harness.Clock);
        await EnforceAsync(harness, clock);
        var pending = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        var waited = clock.Waited;
        harness.Tenant.Requests.Reset();
        var stillSyncing = await EnforceAsync(harness, clock);
        var waitedAgain = clock.Waited - waited;
        harness.Clock.Advance(TimeSpan.FromHours(1));

        await EnforceAsync(harness, clock);

        Assert.Equal(UninstallAssignment.DefaultPatience, waited);
        Assert.Equal(TimeSpan.Zero, waitedAgain);
        Assert.Empty(stillSyncing.Writes);
        Assert.NotEmpty(enterprise);
        Assert.All(enterprise, d =>
        {
            var reach = Assert.Single(pending[d.Id].Reaches!, r => r.Mechanism == UninstallAssignment.Id);
            Assert.Equal(Reach.Pending, reach.Reach);
            Assert.Contains("managed Google Play has not yet synced", reach.Reason, StringComparison.Ordinal);
            Assert.NotEqual(LifecycleState.Unenforceable, pending[d.Id].State);
            Assert.Contains(d.Id, UninstallMembers(harness.Tenant.State));
        });
        Assert.False(harness.Tenant.Requests.ByKind.ContainsKey(Approve));
        Assert.False(harness.Tenant.Requests.ByKind.ContainsKey(Sync));
    }

    [Fact]
    public async Task Without_DeviceManagementConfiguration_the_uninstall_stops_naming_it_and_approves_nothing()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var token = new IntuneBanSync.Graph.LoopbackCredential(IntuneBanSync.Enforcement.Mechanisms.Permissions
            .Select(p => p.Permission.Name).Where(p => p != IntuneBanSync.Graph.GraphPermissions.ConfigurationReadWrite.Name));
        var engine = SweepEngine.Over(harness.GraphOptions, harness.Journal, harness.Clock, credential: token);

        var report = await engine.RunAsync(harness.EnforceRequest(), null, CancellationToken.None);

        Assert.Contains("DeviceManagementConfiguration.ReadWrite.All", report.Bans.Single().Enforcement!.Stopped);
        Assert.Empty(harness.Tenant.State.ManagedGooglePlay.Approved);
    }

    private static Task<Reports.SweepReport> EnforceAsync(SweepHarness harness, TimeProvider clock) =>
        SweepEngine.Over(harness.GraphOptions, harness.Journal, clock)
            .RunAsync(harness.EnforceRequest(), null, CancellationToken.None);

    private static bool IsTikTok(InstalledApp app) => app.DisplayName.Trim().ToLowerInvariant() is "tiktok" or "tiktok lite";

    private static bool HasTikTok(ManagedDevice device, AppSource source) => device.InstalledApps.Any(a => IsTikTok(a) && a.Source == source);

    private static List<ManagedDevice> EnterpriseOffenders(TenantState state) =>
        [.. ExpectedReport.OffendingDevices(state).Where(d => d.AndroidMode is not (null or AndroidMode.DeviceAdministrator))];

    private static string EndState(TenantState state) =>
        UninstallEndState(state) + "|" + string.Join(";", state.ManagedGooglePlay.Approved.Order());
}
