using static IntuneBanSync.IntegrationTests.Enforcement.TenantDevices;

namespace IntuneBanSync.IntegrationTests.Planning;

/// <summary>Advisory groups are reported and never enforced; users' attestations are counted apart from unverified devices.</summary>
public sealed class AdvisoryAndAttestationTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    private static readonly string[] PolicyCollections = ["deviceCompliancePolicies", "configurationPolicies", "deviceConfigurations", "deviceHealthScripts"];

    [Fact]
    public async Task Advised_devices_are_reported_never_added_to_the_group_and_excluded_from_every_policy()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var pilot = harness.Tenant.State.GroupByName("IBS Pilot Devices").Id;
        var advised = PilotDevices(harness);
        foreach (var device in advised.Where(d => d.OperatingSystem is "iOS" or "Windows" or "Android").Take(3))
            Install(harness, device, TikTok(AppSource.User));

        var report = await harness.EnforceAsync(Ban(harness, ban => ban["scope"]!["advisoryGroups"] = new JsonArray(pilot)));

        var ban = report.Bans.Single();
        Assert.Equal(advised.Count, ban.Advisory.Devices);
        Assert.InRange(ban.Advisory.WithApp, 1, advised.Count);
        Assert.InRange(ban.Advisory.People, 1, ban.Advisory.WithApp);
        Assert.Empty(UninstallMembers(harness.Tenant.State).Intersect(advised.Select(d => d.Id)));
        var policies = PolicyCollections.SelectMany(harness.Tenant.State.Policies.Of).Where(p => p.Text("displayName")?.StartsWith("IntuneBanSync – TikTok", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(policies);
        Assert.All(policies, p => Assert.Contains(p.Targets, t => t["@odata.type"]!.GetValue<string>().EndsWith("exclusionGroupAssignmentTarget", StringComparison.Ordinal)
            && t["groupId"]!.GetValue<string>() == pilot));
        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.All(advised.Where(d => states.ContainsKey(d.Id)), d => Assert.Equal(LifecycleState.Advised, states[d.Id].State));
    }

    [Fact]
    public async Task An_enforced_device_whose_group_becomes_advisory_is_taken_out_of_the_uninstall_group()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var pilot = harness.Tenant.State.GroupByName("IBS Pilot Devices").Id;
        var device = Install(harness, PilotDevices(harness).First(d => d.OperatingSystem == "iOS"), TikTok(AppSource.Managed));
        await harness.EnforceAsync(harness.EnforceBan());
        var memberBefore = UninstallMembers(harness.Tenant.State).Contains(device.Id);

        var report = await harness.EnforceAsync(Ban(harness, ban => ban["scope"]!["advisoryGroups"] = new JsonArray(pilot)));

        Assert.True(memberBefore, "the device must have been enforced before its group became advisory");
        Assert.DoesNotContain(device.Id, UninstallMembers(harness.Tenant.State));
        var state = (await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None))[device.Id];
        Assert.Equal(LifecycleState.Released, state.State);
        Assert.Equal(DecisionKind.Advised, state.LastDecision);
        Assert.Contains(report.Writes, w => w.Action == "remove-member");
    }

    [Fact]
    public async Task A_personal_device_whose_user_attested_is_counted_attested_in_the_next_report_and_offending_once_detected()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var device = InScope(harness, d => d is { OperatingSystem: "iOS", Ownership: "personal" } && !d.InstalledApps.Any(IsTikTok));
        var before = await harness.SweepAsync(harness.TikTokBan());
        await harness.Journal.EnsureCreatedAsync(CancellationToken.None);
        await harness.Journal.Attestations.RecordAsync(
            "contoso", new Attestation("tiktok", device.Id, device.UserId!, "user@contoso.example", harness.Seed.Now.AddHours(-2)), CancellationToken.None);

        var attested = await harness.SweepAsync(harness.TikTokBan());
        Install(harness, device, TikTok(AppSource.Managed));
        var detected = await harness.SweepAsync(harness.TikTokBan());

        Assert.Equal(before.Bans.Single().Attested.Devices + 1, attested.Bans.Single().Attested.Devices);
        Assert.Equal(before.UnverifiedDevices - 1, attested.UnverifiedDevices);
        Assert.Equal(attested.OffendingDevices + 1, detected.OffendingDevices);
        var finding = (await harness.Journal.GetFindingsAsync("contoso", detected.RunId, CancellationToken.None).ToListAsync()).Single(f => f.DeviceId == device.Id);
        Assert.Contains("then detected", finding.Reason, StringComparison.Ordinal);
    }

    private static List<ManagedDevice> PilotDevices(SweepHarness harness)
    {
        var state = harness.Tenant.State;
        var pilot = state.TransitiveMemberIds(state.GroupByName("IBS Pilot Devices").Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Exclusion beats advisory and exemption beats both: the police and the exempted are not advised.
        var police = state.TransitiveMemberIds(state.GroupByName("IBS Police").Id)
            .Concat(state.TransitiveMemberIds(state.GroupByName("IBS TikTok Exemptions").Id)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var entra = state.EntraDevices.ToDictionary(e => e.DeviceId, e => e.Id, StringComparer.OrdinalIgnoreCase);
        return [.. state.ManagedDevices.Where(d => entra.TryGetValue(d.AzureAdDeviceId, out var id) && pilot.Contains(id) && !police.Contains(id)
            && (d.UserId is null || !police.Contains(d.UserId)) && d.Ownership is "company" or "personal")];
    }

}
