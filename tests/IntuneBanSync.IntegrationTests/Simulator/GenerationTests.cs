using System.Text.Json;

namespace IntuneBanSync.IntegrationTests.Simulator;

public sealed class GenerationTests
{
    [Fact]
    public async Task Same_seed_generates_the_same_tenant()
    {
        await using var first = await SimulatedTenant.StartAsync(TenantSeed.Sized(200, seed: 9));
        await using var second = await SimulatedTenant.StartAsync(TenantSeed.Sized(200, seed: 9));
        await using var other = await SimulatedTenant.StartAsync(TenantSeed.Sized(200, seed: 10));

        Assert.Equal(Fingerprint(first.State), Fingerprint(second.State));
        Assert.NotEqual(Fingerprint(first.State), Fingerprint(other.State));
    }

    [Fact]
    public async Task Demo_tenant_holds_every_kind_of_device_and_app_the_product_must_handle()
    {
        await using var tenant = await SimulatedTenant.StartAsync(TenantSeed.Demo);
        var devices = tenant.State.ManagedDevices;
        var apps = devices.SelectMany(d => d.InstalledApps).ToList();

        Assert.Equal(2000, devices.Count);
        Assert.Contains(devices, d => d.Ownership == "personal");
        Assert.Contains(devices, d => d.Ownership == "unknown");
        Assert.Contains(devices, d => d.UserId is null && d.UserPrincipalName is null);
        Assert.Contains(devices, d => d.OperatingSystem is "Linux" or "ChromeOS");
        Assert.Contains(devices, d => d.LastSyncDateTime < TenantSeed.Demo.Now.AddDays(-7));
        Assert.Contains(apps, a => a.DisplayName == "TikTok Lite" && a.Identifier == "com.zhiliaoapp.musically.go");
        Assert.Contains(apps, a => a.Identifier == "com.ss.android.ugc.trill");
        Assert.Contains(apps, a => a.Identifier == "9NH2GPH4JZS4");
        Assert.Contains(apps, a => a.DisplayName != "TikTok" && a.DisplayName.Trim().Equals("TikTok", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(apps, a => a.DisplayName == "TikTak Timer");
        Assert.Contains(apps, a => a.DisplayName == "TikTok Shop Seller Center");
        Assert.Contains(apps, a => a.DisplayName == "Tik Tok Downloader");
    }

    [Fact]
    public async Task Generator_creates_the_well_known_groups_and_a_catalog_without_android_TikTok()
    {
        await using var tenant = await SimulatedTenant.StartAsync(TenantSeed.Small);
        var state = tenant.State;
        var police = state.GroupByName("IBS Police");
        var allStaff = state.GroupByName("IBS All Staff");
        var entraIds = state.EntraDevices.Select(d => d.Id).ToHashSet();
        var userIds = state.Users.Select(u => u.Id).ToHashSet();

        Assert.Contains(state.GroupByName("IBS Police Zone Brussels").Id, police.MemberIds);
        Assert.Contains(police.MemberIds, entraIds.Contains);
        Assert.Contains(police.MemberIds, userIds.Contains);
        Assert.All(state.GroupByName("IBS Pilot Devices").MemberIds, id => Assert.Contains(id, entraIds));
        Assert.NotEmpty(state.GroupByName("IBS TikTok Exemptions").MemberIds);
        Assert.True(state.TransitiveMemberIds(allStaff.Id).Count(userIds.Contains) > userIds.Count * 3 / 4);
        Assert.DoesNotContain(state.MobileApps, a => a.ODataType.StartsWith("android", StringComparison.Ordinal) && a.PackageId == "com.zhiliaoapp.musically");
    }

    private static string Fingerprint(TenantState state) => JsonSerializer.Serialize(new
    {
        state.Users,
        state.Groups,
        state.EntraDevices,
        state.ManagedDevices,
        Apps = state.MobileApps.Select(a => new { a.Id, a.ODataType, a.DisplayName, a.Identifier, a.Assignments }),
    });
}
