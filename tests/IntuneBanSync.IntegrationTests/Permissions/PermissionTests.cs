namespace IntuneBanSync.IntegrationTests.Permissions;

public sealed class PermissionTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    [Fact]
    public async Task The_manifest_is_exactly_what_the_simulator_required_of_an_enforce_sweep_and_a_helpdesk_sweep()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        harness.Tenant.Requests.Reset();

        await harness.EnforceAsync(harness.EnforceBan());
        var user = harness.Tenant.State.ManagedDevices.First(d => d.UserId is not null && d.AzureAdDeviceId is not null).UserId!;
        await harness.SweepAsync(harness.TikTokBan(), new SweepTarget(User: user));

        var required = Normalized(harness.Tenant.Requests.PermissionsRequired);
        Assert.Equal(Normalized(Mechanisms.Permissions.Select(p => p.Permission.Name)), required);
    }

    [Fact]
    public async Task Without_a_token_the_simulator_answers_401_and_with_too_few_permissions_403()
    {
        await using var tenant = await SimulatorGraph.StartAsync();
        using var anonymous = new HttpClient();
        using var readOnly = SimulatorGraph.Http(new LoopbackCredential([GraphPermissions.ManagedDevicesRead.Name]));

        var noToken = await anonymous.GetAsync($"{tenant.GraphUrl}/deviceManagement/managedDevices");
        var tooFew = await readOnly.PostAsync($"{tenant.GraphUrl}/deviceManagement/managedDevices/{tenant.State.ManagedDevices[0].Id}/syncDevice", null);
        var enough = await readOnly.GetAsync($"{tenant.GraphUrl}/deviceManagement/managedDevices");

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tooFew.StatusCode);
        Assert.Contains("DeviceManagementManagedDevices.PrivilegedOperations.All", await tooFew.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, enough.StatusCode);
    }

    [Fact]
    public async Task A_missing_permission_stops_that_mechanism_naming_it_and_not_the_sweep()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var token = SimulatorGraph.AllPermissionsBut(GraphPermissions.GroupCreate);
        var engine = SweepEngine.Over(harness.GraphOptions, harness.Journal, harness.Clock, credential: token);

        var report = await engine.RunAsync(harness.EnforceRequest(), null, CancellationToken.None);

        Assert.Equal(SweepStatus.Incomplete, report.Status);
        Assert.True(report.OffendingDevices > 0, "the sweep still read and decided every device");
        Assert.Contains("Group.Create", report.Bans.Single().Enforcement!.Stopped);
        Assert.Equal(["Group.Create"], report.Permissions!.Missing);
        // The Company Portal notifications need no group: they are the only writes.
        Assert.Equal(harness.Tenant.Notifications.Sent.Count, harness.Tenant.Requests.Snapshot().Writes);
    }

    [Fact]
    public async Task A_403_from_graph_stops_the_mechanism_naming_its_permissions_when_the_token_cannot_be_read()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);

        var report = await harness.EnforceRefusedAsync(GraphPermissions.GroupCreate);

        Assert.Equal(SweepStatus.Incomplete, report.Status);
        Assert.Contains("403", report.Bans.Single().Enforcement!.Stopped);
        Assert.Contains("Group.Create", report.Bans.Single().Enforcement!.Stopped);
        Assert.DoesNotContain(harness.Tenant.State.Groups, g => g.DisplayName.StartsWith("IntuneBanSync", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_helpdesk_sweep_without_user_read_all_is_incomplete_on_a_real_tenant()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var token = SimulatorGraph.AllPermissionsBut(GraphPermissions.UserRead);
        var engine = SweepEngine.Over(harness.GraphOptions, harness.Journal, harness.Clock, credential: token);
        var user = harness.Tenant.State.ManagedDevices.First(d => d.UserId is not null).UserId!;

        var report = await engine.RunAsync(new SweepRequest(harness.TikTokBan(), "contoso", "test", new SweepTarget(User: user)), null, CancellationToken.None);

        Assert.Equal(SweepStatus.Incomplete, report.Status);
        Assert.Contains("User.Read.All", report.Permissions!.Missing);
    }

    /// <summary>A ReadWrite permission grants its Read: a set is compared without the reads its writes imply.</summary>
    private static List<string> Normalized(IEnumerable<string> permissions)
    {
        var set = permissions.ToHashSet(StringComparer.Ordinal);
        return [.. set.Where(p => !(p.EndsWith(".Read.All", StringComparison.Ordinal) && set.Contains(p[..^".Read.All".Length] + ".ReadWrite.All"))).Order(StringComparer.Ordinal)];
    }
}
