using static IntuneBanSync.IntegrationTests.Enforcement.TenantDevices;

namespace IntuneBanSync.IntegrationTests.Enforcement.Uninstall;

/// <summary>
/// A real tenant takes its time: a new WinGet app processes before it takes an assignment, a new group answers 404 until Entra has
/// replicated it. The sweep waits a bounded while (on its clock), and what has not settled by then the next sweep finishes; a device
/// is never lost, nor reported without an Entra object, because of it.
/// </summary>
public sealed class GraphLagTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    private const string WinGetTikTok = "9NH2GPH4JZS4";

    [Fact]
    public async Task A_WinGet_app_published_while_the_sweep_waits_is_assigned_in_the_same_sweep()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, simulator: o => o with { WinGetPublishing = TimeSpan.FromHours(1) });
        var clock = new SkippingClock(harness.Clock);

        await EnforceAsync(harness, clock);

        var state = harness.Tenant.State;
        Assert.InRange(clock.Waited, TimeSpan.FromSeconds(36), UninstallAssignment.DefaultPatience);
        Assert.Contains(WinGetApp(state).Assignments, a => a.Intent == "uninstall" && a.GroupId == state.GroupByName(UninstallGroup).Id);
        Assert.All(WindowsOffenders(state), d => Assert.Contains(d.Id, UninstallMembers(state)));
    }

    [Fact]
    public async Task A_WinGet_app_still_processing_after_the_wait_leaves_Windows_devices_pending_and_the_next_sweep_assigns_it()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, simulator: o => o with { WinGetPublishing = TimeSpan.FromHours(10) });
        var windows = WindowsOffenders(harness.Tenant.State);
        var clock = new SkippingClock(harness.Clock);
        var first = await EnforceAsync(harness, clock);
        var pending = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        var assignedWhileProcessing = WinGetApp(harness.Tenant.State).Assignments.Count;
        var membersWhileProcessing = UninstallMembers(harness.Tenant.State);
        harness.Clock.Advance(TimeSpan.FromHours(1));

        await EnforceAsync(harness, clock);

        var state = harness.Tenant.State;
        Assert.NotEmpty(windows);
        Assert.Equal(SweepStatus.Completed, first.Status);
        Assert.Equal(0, assignedWhileProcessing);
        Assert.All(windows, d =>
        {
            var reach = Assert.Single(pending[d.Id].Reaches!, r => r.Mechanism == UninstallAssignment.Id);
            Assert.Equal((Reach.Pending, "the WinGet app is still processing in Intune; the assignment follows when it is published"), (reach.Reach, reach.Reason));
            Assert.DoesNotContain(d.Id, membersWhileProcessing);
            Assert.Contains(d.Id, UninstallMembers(state));
        });
        Assert.Contains(WinGetApp(state).Assignments, a => a.Intent == "uninstall" && a.GroupId == state.GroupByName(UninstallGroup).Id);
    }

    [Fact]
    public async Task A_group_still_replicating_is_waited_for_and_its_members_added_in_the_same_sweep()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, simulator: o => o with { GroupReplication = TimeSpan.FromMinutes(10) });
        var expected = EnforceableOffenders(harness.Tenant.State);
        var clock = new SkippingClock(harness.Clock);

        await EnforceAsync(harness, clock);

        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.NotEmpty(clock.Waits);
        Assert.Equal(expected.Order(), UninstallMembers(harness.Tenant.State).Order());
        Assert.DoesNotContain(states.Values, s => s.Reaches?.Any(r => r.Reason?.Contains("Entra", StringComparison.Ordinal) == true) == true);
    }

    [Fact]
    public async Task A_group_replicating_beyond_the_wait_leaves_devices_failed_as_not_replicated_never_as_without_an_Entra_object()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, simulator: o => o with { GroupReplication = TimeSpan.FromHours(2) });
        var expected = EnforceableOffenders(harness.Tenant.State);
        var clock = new SkippingClock(harness.Clock);
        await EnforceAsync(harness, clock);
        var failed = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromHours(1));

        await EnforceAsync(harness, clock);

        Assert.All(expected, id =>
        {
            Assert.Equal((LifecycleState.Failed, UninstallAssignment.NotReplicated), (failed[id].State, failed[id].StateReason));
            Assert.DoesNotContain(failed[id].Reaches!, r => r.Reason?.Contains("Entra", StringComparison.Ordinal) == true);
        });
        Assert.Equal(expected.Order(), UninstallMembers(harness.Tenant.State).Order());
    }

    [Fact]
    public async Task A_user_is_checked_against_more_than_20_groups_in_requests_of_20()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var graph = new GraphIntune(GraphClientBuilder.Create(harness.GraphOptions), harness.GraphOptions);
        var police = harness.Tenant.State.GroupByName("IBS Police");
        var officer = harness.Tenant.State.TransitiveMemberIds(police.Id).First(id => harness.Tenant.State.Users.Any(u => u.Id == id));
        var groups = Enumerable.Range(0, 44).Select(_ => Guid.NewGuid().ToString()).Append(police.Id).ToList();
        harness.Tenant.Requests.Reset();

        var found = await graph.GroupsOfUserAsync(officer, groups, CancellationToken.None);

        Assert.Equal(police.Id, Assert.Single(found));
        Assert.Equal(3, harness.Tenant.Requests.ByKind["POST users/{id}/checkMemberGroups"]);
    }

    // The uninstall assignment alone: the remediation would remove the Windows copies these tests watch the assignment reach.
    private static Task<Reports.SweepReport> EnforceAsync(SweepHarness harness, TimeProvider clock) =>
        SweepEngine.Over(
                harness.GraphOptions, harness.Journal, clock,
                mechanisms: [.. Mechanisms.Over(GraphClientBuilder.Create(harness.GraphOptions), harness.GraphOptions).Where(m => m.Name == UninstallAssignment.Id)])
            .RunAsync(harness.EnforceRequest(), null, CancellationToken.None);

    private static MobileApp WinGetApp(TenantState state) => state.MobileApps.Single(a => a.ODataType == "winGetApp" && a.PackageIdentifier == WinGetTikTok);

    private static List<ManagedDevice> WindowsOffenders(TenantState state) => [.. ExpectedReport.OffendingDevices(state).Where(d => d.OperatingSystem == "Windows")];

    private static HashSet<string> EnforceableOffenders(TenantState state) =>
        [.. ExpectedReport.OffendingDevices(state).Where(d => d.OperatingSystem is not "macOS").Select(d => d.Id)];

}
