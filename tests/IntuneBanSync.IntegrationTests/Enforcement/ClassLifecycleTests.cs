using static IntuneBanSync.IntegrationTests.Enforcement.TenantDevices;

namespace IntuneBanSync.IntegrationTests.Enforcement;

/// <summary>
/// One device of each class with a copy of TikTok, through enforce → check-in → sweep: what it ends as, and by which route.
/// A copy the user installed is the hard case wherever the class reports it; personal devices report only managed copies, and
/// a COPE device's personal-profile copy, invisible to inventory, is PersonalProfileTests' case.
/// </summary>
public sealed class ClassLifecycleTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    public enum Arranged { IosSupervised, IosCompany, IosPersonal, AndroidFullyManaged, AndroidCope, AndroidPersonalWorkProfile, AndroidAdmin, WindowsCompany, WindowsPersonal, Mac }

    [Theory]
    [InlineData(Arranged.IosSupervised, AppSource.User, LifecycleState.Enforcing, Reach.LaunchBlocked, true)]
    [InlineData(Arranged.IosCompany, AppSource.User, LifecycleState.Enforcing, Reach.Noncompliant, true)]
    [InlineData(Arranged.IosCompany, AppSource.Managed, LifecycleState.Resolved, Reach.Assigned, false)]
    [InlineData(Arranged.IosPersonal, AppSource.Managed, LifecycleState.Resolved, Reach.Assigned, false)]
    [InlineData(Arranged.AndroidFullyManaged, AppSource.User, LifecycleState.Resolved, Reach.Assigned, false)]
    [InlineData(Arranged.AndroidCope, AppSource.Managed, LifecycleState.Resolved, Reach.Assigned, false)]
    [InlineData(Arranged.AndroidPersonalWorkProfile, AppSource.Managed, LifecycleState.Resolved, Reach.Assigned, false)]
    [InlineData(Arranged.AndroidAdmin, AppSource.User, LifecycleState.Enforcing, Reach.Noncompliant, true)]
    [InlineData(Arranged.WindowsCompany, AppSource.User, LifecycleState.Resolved, Reach.Removed, false)]
    [InlineData(Arranged.WindowsPersonal, AppSource.Managed, LifecycleState.Resolved, Reach.Assigned, false)]
    [InlineData(Arranged.Mac, AppSource.User, LifecycleState.Unenforceable, Reach.Unreachable, true)]
    public async Task A_device_of_each_class_ends_as_its_strongest_route_leaves_it(
        Arranged arranged, AppSource source, LifecycleState expectedState, Reach expectedReach, bool copyRemains)
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var (device, identifier) = Pick(harness, arranged);
        Install(harness, device, TikTok(source, identifier));
        await harness.EnforceAsync(harness.EnforceBan());
        harness.Clock.Advance(TimeSpan.FromHours(1));
        harness.Tenant.CheckIn(device.Id);
        harness.Clock.Advance(TimeSpan.FromHours(1));

        await harness.EnforceAsync(harness.EnforceBan());

        var state = (await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None))[device.Id];
        Assert.Equal(expectedState, state.State);
        Assert.Contains(state.Reaches!, r => r.Reach == expectedReach);
        Assert.Equal(copyRemains, harness.Tenant.State.ManagedDeviceById(device.Id).InstalledApps.Any(IsTikTok));
        if (arranged == Arranged.Mac)
            Assert.Equal(RoutePlanner.MacosUnreachable, state.StateReason);
    }

    private static (ManagedDevice Device, string Identifier) Pick(SweepHarness harness, Arranged arranged)
    {
        const string android = "com.zhiliaoapp.musically";
        bool Free(ManagedDevice d) => !d.InstalledApps.Any(IsTikTok);
        return arranged switch
        {
            Arranged.IosSupervised => (InScope(harness, d => d is { OperatingSystem: "iOS", IsSupervised: true, Ownership: "company" } && Free(d)), TikTokIos),
            Arranged.IosCompany => (InScope(harness, d => d is { OperatingSystem: "iOS", IsSupervised: false, Ownership: "company" } && Free(d)), TikTokIos),
            Arranged.IosPersonal => (InScope(harness, d => d is { OperatingSystem: "iOS", Ownership: "personal" } && d.EnrollmentType != "appleUserEnrollment" && Free(d)), TikTokIos),
            Arranged.AndroidFullyManaged => (InScope(harness, d => d is { OperatingSystem: "Android", AndroidMode: AndroidMode.FullyManaged } && Free(d)), android),
            Arranged.AndroidCope => (InScope(harness, d => d is { OperatingSystem: "Android", AndroidMode: AndroidMode.CorporateWorkProfile } && Free(d)), android),
            Arranged.AndroidPersonalWorkProfile => (InScope(harness, d => d is { OperatingSystem: "Android", AndroidMode: AndroidMode.PersonalWorkProfile } && Free(d)), android),
            // The seed's device administrator devices are personal, whose user copies Intune never reports: made company-owned here.
            Arranged.AndroidAdmin => (InScope(harness, d => d is { OperatingSystem: "Android", AndroidMode: AndroidMode.DeviceAdministrator } && Free(d)) with { Ownership = "company" }, android),
            Arranged.WindowsCompany => (InScope(harness, d => d is { OperatingSystem: "Windows", Ownership: "company" } && Free(d)), "9NH2GPH4JZS4"),
            Arranged.WindowsPersonal => (InScope(harness, d => d is { OperatingSystem: "Windows", Ownership: "personal" } && Free(d)), "9NH2GPH4JZS4"),
            _ => (InScope(harness, d => d is { OperatingSystem: "macOS", Ownership: "company" } && Free(d)), "com.zhiliaoapp.musically.mac"),
        };
    }
}
