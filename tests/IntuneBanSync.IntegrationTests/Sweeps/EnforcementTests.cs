using static IntuneBanSync.IntegrationTests.Enforcement.TenantDevices;

namespace IntuneBanSync.IntegrationTests.Sweeps;

public sealed class EnforcementTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{

    [Fact]
    public async Task Every_enforceable_offending_device_ends_in_the_uninstall_group_and_no_other_device_does()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var expected = EnforceableOffenders(harness.Tenant.State);

        var report = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(SweepStatus.Completed, report.Status);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(x => x), UninstallMembers(harness.Tenant.State).OrderBy(x => x));
        Assert.Equal(expected.Count, report.Writes.Count(w => w.Action == UninstallAssignment.AddMember.Name));
        Assert.Equal(expected.Count, report.Enforcement.NewlyEnforced);
    }

    [Fact]
    public async Task Member_PATCHes_go_a_few_at_once_and_every_enforceable_offender_lands_in_the_group_once()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, TenantSeed.Sized(3000, seed: 12), latency: TimeSpan.FromMilliseconds(5));
        var expected = EnforceableOffenders(harness.Tenant.State);
        var patches = new InFlightCounter(r => r.Method == HttpMethod.Patch);

        var report = await harness.EnforceAsync(harness.EnforceBan(), patches, overrideBlastRadius: true);

        Assert.Equal(SweepStatus.Completed, report.Status);
        Assert.True(expected.Count > 4 * 20, $"the seed must need more PATCHes than go at once ({expected.Count} members)");
        Assert.InRange(patches.Max, 2, 4);
        Assert.Equal((expected.Count + 19) / 20, harness.Tenant.Requests.ByKind["PATCH groups/{id}"]);
        Assert.Equal(expected.OrderBy(x => x), UninstallMembers(harness.Tenant.State).OrderBy(x => x));
        Assert.Equal(expected.Count, report.Writes.Count(w => w.Action == UninstallAssignment.AddMember.Name && w.Result == "done"));
    }

    [Fact]
    public async Task A_sweep_after_check_in_that_writes_nothing_newly_enforces_nothing()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.CheckInAll();
        harness.Clock.Advance(TimeSpan.FromHours(1));

        var after = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Empty(after.Writes);
        Assert.Equal(0, after.Enforcement.NewlyEnforced);
        Assert.True(after.Enforcement.Resolved > 0, "check-in must have resolved devices");
    }

    [Fact]
    public async Task The_group_carries_an_uninstall_assignment_of_the_app_of_each_enforced_platform()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);

        await harness.EnforceAsync(harness.EnforceBan());

        var state = harness.Tenant.State;
        var group = state.GroupByName(UninstallGroup).Id;
        var ios = state.MobileApps.Single(a => a.ODataType == "iosStoreApp" && a.BundleId == "com.zhiliaoapp.musically");
        var windows = state.MobileApps.Single(a => a.ODataType == "winGetApp" && a.PackageIdentifier == "9NH2GPH4JZS4");
        Assert.Contains(ios.Assignments, a => a.GroupId == group && a.Intent == "uninstall");
        Assert.Contains(windows.Assignments, a => a.GroupId == group && a.Intent == "uninstall");
    }

    [Fact]
    public async Task A_pre_existing_available_assignment_of_the_same_app_survives()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var ios = harness.Tenant.State.MobileApps.Single(a => a.ODataType == "iosStoreApp" && a.BundleId == "com.zhiliaoapp.musically");
        var before = ios.Assignments.Where(a => a.Intent == "available").ToList();

        await harness.EnforceAsync(harness.EnforceBan());

        Assert.NotEmpty(before);
        var after = harness.Tenant.State.MobileApps.Single(a => a.Id == ios.Id).Assignments;
        Assert.All(before, b => Assert.Contains(b, after));
    }

    // Until issue #8, Android Enterprise devices were unenforceable ("managed Google Play apps must be approved in the admin center"):
    // the sweep now approves the ban's packages itself and assigns the uninstall of the synced app.
    [Fact]
    public async Task Android_enterprise_devices_are_enforced_through_the_managed_Google_Play_app_the_sweep_approves()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var enterprise = ExpectedReport.OffendingDevices(harness.Tenant.State).Where(d => d.AndroidMode is not (null or AndroidMode.DeviceAdministrator)).ToList();

        var report = await harness.EnforceAsync(harness.EnforceBan());

        var state = harness.Tenant.State;
        var group = state.GroupByName(UninstallGroup).Id;
        Assert.NotEmpty(enterprise);
        Assert.All(enterprise, d => Assert.Contains(d.Id, UninstallMembers(state)));
        Assert.Contains(state.MobileApps, a => a.ODataType == "androidManagedStoreApp" && a.PackageId == "com.zhiliaoapp.musically"
            && a.Assignments.Any(x => x.GroupId == group && x.Intent == "uninstall"));
        Assert.DoesNotContain(report.Bans.Single().Enforcement!.UnenforceableReasons, r => r.Key.Contains("managed Google Play", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_sweep_with_nothing_changed_sends_no_write()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await harness.EnforceAsync(harness.EnforceBan());
        harness.Tenant.Requests.Reset();

        var second = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Writes);
        Assert.Empty(second.Writes);
        Assert.Equal(SweepStatus.Completed, second.Status);
    }

    [Fact]
    public async Task After_check_in_managed_installs_are_resolved_and_user_installed_ones_stay_offending_as_not_removable()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await harness.EnforceAsync(harness.EnforceBan());
        var enforced = EnforcedDevices(harness.Tenant.State);
        // The managed Google Play uninstall removes every copy on a fully managed or dedicated device, whoever installed it.
        bool UserCopy(ManagedDevice d) => d.InstalledApps.Any(a => IsTikTok(a) && a.Source == AppSource.User)
            && d.AndroidMode is not (AndroidMode.FullyManaged or AndroidMode.Dedicated);
        var userCopies = enforced.Count(UserCopy);
        // A supervised iPhone's user copy is launch-blocked after check-in: not removable, but blocked.
        var launchBlocked = enforced.Count(d => d.IsSupervised && UserCopy(d));
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.CheckInAll();
        harness.Clock.Advance(TimeSpan.FromHours(1));

        var after = await harness.EnforceAsync(harness.EnforceBan());

        var ban = after.Bans.Single().Enforcement!;
        Assert.True(userCopies > 0 && userCopies < enforced.Count, "the seed must hold both kinds of install");
        Assert.Equal(enforced.Count - userCopies, ban.Resolved);
        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        // A user-installed copy another route reached (noncompliant, or launch-blocked on a supervised iPhone) is not merely "not removable by uninstall".
        var reachedOtherwise = enforced.Where(UserCopy).Select(d => states[d.Id])
            .Count(s => s.Reaches?.Any(r => r.Reach is Reach.Noncompliant or Reach.LaunchBlocked) == true);
        Assert.True(launchBlocked > 0, "the seed must hold a supervised iPhone with a user copy");
        Assert.Equal(userCopies, ban.NotRemovableByUninstall + reachedOtherwise);
        Assert.All(
            states.Values.Where(s => s.StateReason == DeviceLifecycle.UserInstalled),
            s => Assert.Contains("user-installed", s.Route, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public async Task A_crash_after_the_kth_uninstall_write_converges_to_the_clean_end_state_without_repeating_a_write(int k)
    {
        await using var clean = await SweepHarness.StartAsync(Azurite);
        await clean.EnforceAsync(clean.EnforceBan());
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var recorder = new WriteRecorder(crashAfter: k, WriteRecorder.UninstallWrite);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.EnforceAsync(harness.EnforceBan(), recorder));
        recorder.CrashAfter = null;
        var recovered = await harness.EnforceAsync(harness.EnforceBan(), recorder);

        Assert.Equal(SweepStatus.Completed, recovered.Status);
        Assert.Equal(UninstallEndState(clean.Tenant.State), UninstallEndState(harness.Tenant.State));
        Assert.Equal(recorder.Writes.Count, recorder.Writes.Distinct().Count());
        var audit = await harness.Journal.GetAuditAsync("contoso", "tiktok", CancellationToken.None);
        Assert.True(audit.Count >= recorder.Writes.Count);
        Assert.All(audit, entry => Assert.NotNull(entry.Outcome));
    }

    [Fact]
    public async Task Throttling_and_unavailability_give_the_same_end_state()
    {
        await using var clean = await SweepHarness.StartAsync(Azurite);
        await clean.EnforceAsync(clean.EnforceBan());
        await using var harness = await SweepHarness.StartAsync(Azurite);
        harness.Tenant.Faults.RetryAfterSeconds = 0;
        harness.Tenant.Faults.ThrottleRate = 0.2;
        harness.Tenant.Faults.ThrottleWithoutRetryAfterShare = 0.5;
        harness.Tenant.Faults.ServiceUnavailableRate = 0.03;

        var report = await harness.EnforceAsync(harness.EnforceBan());

        Assert.True(harness.Tenant.Requests.Snapshot().Throttled > 0);
        Assert.Equal(SweepStatus.Completed, report.Status);
        Assert.Equal(UninstallEndState(clean.Tenant.State, afterCrash: false), UninstallEndState(harness.Tenant.State, afterCrash: false));
    }

    [Fact]
    public async Task After_expiry_the_members_and_the_assignment_we_created_are_removed_and_nothing_else_is_touched()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var before = Snapshot(harness.Tenant.State);
        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromDays(151));

        var report = await harness.EnforceAsync(harness.EnforceBan());

        var state = harness.Tenant.State;
        Assert.True(report.Bans.Single().Enforcement!.WoundDown);
        Assert.Empty(UninstallMembers(state));
        Assert.DoesNotContain(state.MobileApps.SelectMany(a => a.Assignments), a => a.GroupId == state.GroupByName(UninstallGroup).Id);
        var after = Snapshot(state);
        Assert.Equal(before.Groups, after.Groups.Where(g => g.Key != UninstallGroup).ToDictionary());
        Assert.All(before.Assignments, a => Assert.Contains(a, after.Assignments));
    }

    [Fact]
    public async Task The_blast_radius_cap_holds_a_ban_that_would_exceed_it_and_the_override_lifts_it()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var capped = harness.EnforceBan(blastRadius: """{"maxDevices": 2}""");

        var held = await harness.EnforceAsync(capped);

        Assert.Equal(SweepStatus.Held, held.Status);
        Assert.Contains("held: blast radius", held.Bans.Single().Enforcement!.Held);
        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Writes);
        Assert.Empty(UninstallMembers(harness.Tenant.State));

        var offenders = EnforceableOffenders(harness.Tenant.State);
        var lifted = await harness.EnforceAsync(capped, overrideBlastRadius: true);

        Assert.Equal(SweepStatus.Completed, lifted.Status);
        Assert.Equal(offenders.Count, UninstallMembers(harness.Tenant.State).Count);
    }

    [Fact]
    public async Task Devices_in_grace_are_not_enforced_and_nothing_is_written_but_the_compliance_notice()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var json = System.Text.Json.Nodes.JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        json["bans"]![0]!["uninstallBy"] = harness.Seed.Now.AddDays(5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        var report = await harness.EnforceAsync(BanListParser.Parse(json.ToJsonString()).Document!);

        Assert.True(report.GraceDevices > 0);
        // In grace the compliance policy notifies at once (and blocks from the deadline) and the Company Portal reminds; the uninstall writes nothing.
        string[] expected = [.. ComplianceActions, CompanyPortalNotifications.SendNotification.Name];
        Assert.All(report.Writes, w => Assert.Contains(w.Action, expected));
        Assert.Empty(UninstallMembers(harness.Tenant.State));
    }

    private static readonly string[] ComplianceActions =
    [
        .. new[]
        {
            ComplianceMechanism.CreatePolicy, ComplianceMechanism.AssignPolicy, ComplianceMechanism.CreateTemplate, ComplianceMechanism.CreateMessage,
        }.Select(a => a.Name),
    ];

    [Fact]
    public async Task A_device_that_becomes_exempt_leaves_the_uninstall_group()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await harness.EnforceAsync(harness.EnforceBan());
        var device = UninstallMembers(harness.Tenant.State).Order().First();
        var json = System.Text.Json.Nodes.JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        json["exemptions"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse(
            $$"""{"id":"case-42","ban":"tiktok","device":"{{device}}","justification":"Press office handset","approvedBy":"CISO"}"""));

        var report = await harness.EnforceAsync(BanListParser.Parse(json.ToJsonString()).Document!);

        Assert.DoesNotContain(device, UninstallMembers(harness.Tenant.State));
        Assert.Single(report.Writes, w => w.Action == UninstallAssignment.RemoveMember.Name);
        Assert.Equal(1, report.Bans.Single().Enforcement!.Removed);
        var state = (await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None))[device];
        Assert.Equal(LifecycleState.Exempt, state.State);
    }

    [Fact]
    public async Task A_ban_stops_when_our_group_already_carries_another_intent_for_the_app()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var (graph, group, ios) = await ForeignUninstallGroupAsync(harness);
        await graph.AddGroupAssignmentAsync(ios.Id, group, "required", CancellationToken.None);
        harness.Tenant.Requests.Reset();

        var report = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Contains("does not change it", report.Bans.Single().Enforcement!.Stopped);
        Assert.Contains(harness.Tenant.State.MobileApps.Single(a => a.Id == ios.Id).Assignments, a => a.GroupId == group && a.Intent == "required");
        Assert.Empty(UninstallMembers(harness.Tenant.State));
    }

    [Fact]
    public async Task A_ban_whose_group_is_excluded_from_an_assignment_of_the_app_stops_saying_so()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var (_, group, ios) = await ForeignUninstallGroupAsync(harness);
        await IntuneBanSync.Graph.GraphClientBuilder.Create(harness.GraphOptions).DeviceAppManagement.MobileApps[ios.Id].Assignments.PostAsync(new Microsoft.Graph.Models.MobileAppAssignment
        {
            Intent = Microsoft.Graph.Models.InstallIntent.Available,
            Target = new Microsoft.Graph.Models.ExclusionGroupAssignmentTarget { GroupId = group },
        });

        var report = await harness.EnforceAsync(harness.EnforceBan());

        Assert.Contains("is excluded from the 'available' assignment", report.Bans.Single().Enforcement!.Stopped);
        Assert.Empty(UninstallMembers(harness.Tenant.State));
    }

    [Fact]
    public async Task A_what_if_sweep_never_writes_even_when_the_ban_list_enforces()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var whatIf = new IntuneBanSync.Sweeps.SweepRequest(harness.EnforceBan(), "contoso", "test", IntuneBanSync.Sweeps.SweepTarget.WholeTenant, AsOf: harness.Seed.Now.AddDays(20));

        var report = await harness.Engine().RunAsync(whatIf, null, CancellationToken.None);

        Assert.True(report.OffendingDevices > 0);
        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Writes);
        Assert.Equal(EnforcementMode.Report, report.Mode);
        Assert.DoesNotContain(harness.Tenant.State.Groups, g => g.DisplayName == UninstallGroup);
    }

    [Fact]
    public async Task A_what_if_sweep_past_expiry_does_not_wind_an_enforced_ban_down()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        await harness.EnforceAsync(harness.EnforceBan());
        var members = UninstallMembers(harness.Tenant.State).ToList();
        harness.Tenant.Requests.Reset();
        var whatIf = new IntuneBanSync.Sweeps.SweepRequest(harness.EnforceBan(), "contoso", "test", IntuneBanSync.Sweeps.SweepTarget.WholeTenant, AsOf: harness.Seed.Now.AddDays(200));

        var report = await harness.Engine().RunAsync(whatIf, null, CancellationToken.None);

        Assert.False(report.Bans.Single().Enforcement?.WoundDown ?? false);
        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Writes);
        Assert.Equal(members.Order(), UninstallMembers(harness.Tenant.State).Order());
    }

    private static bool IsTikTok(InstalledApp app) => app.DisplayName.Trim().ToLowerInvariant() is "tiktok" or "tiktok lite";

    /// <summary>
    /// Offending devices the uninstall can reach: iOS (the catalog has the app), Windows (WinGet, created on beta), Android device
    /// administrator (an Android store app we create) and Android Enterprise (the managed Google Play app the sweep approves). Not macOS.
    /// </summary>
    private static HashSet<string> EnforceableOffenders(TenantState state) =>
        ExpectedReport.OffendingDevices(state).Where(d => d.OperatingSystem is "iOS" or "iPadOS" or "Windows" or "Android").Select(d => d.Id).ToHashSet();

    private static List<ManagedDevice> EnforcedDevices(TenantState state)
    {
        var members = UninstallMembers(state);
        return state.ManagedDevices.Where(d => members.Contains(d.Id)).ToList();
    }


    private static (Dictionary<string, string> Groups, List<string> Assignments) Snapshot(TenantState state) =>
        (state.Groups.ToDictionary(g => g.DisplayName, g => string.Join(",", g.MemberIds.Order())),
         state.MobileApps.SelectMany(a => a.Assignments.Select(x => $"{a.Id}:{x.Id}:{x.Intent}:{x.GroupId}")).ToList());

    /// <summary>A group with the name of the TikTok ban's uninstall group that someone else made, and the tenant's iOS TikTok.</summary>
    private static async Task<(GraphUninstall Graph, string Group, MobileApp Ios)> ForeignUninstallGroupAsync(SweepHarness harness)
    {
        var graph = new GraphUninstall(IntuneBanSync.Graph.GraphClientBuilder.Create(harness.GraphOptions), harness.GraphOptions);
        var group = await graph.CreateSecurityGroupAsync(UninstallGroup, "made by someone else", CancellationToken.None);
        var ios = harness.Tenant.State.MobileApps.Single(a => a.ODataType == "iosStoreApp" && a.BundleId == "com.zhiliaoapp.musically");
        return (graph, group, ios);
    }
}
