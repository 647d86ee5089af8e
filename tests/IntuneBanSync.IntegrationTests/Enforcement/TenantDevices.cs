namespace IntuneBanSync.IntegrationTests.Enforcement;

/// <summary>Devices and policies a test arranges in the simulated tenant, and the TikTok ban changed one thing at a time.</summary>
internal static class TenantDevices
{
    public const string TikTokIos = "com.zhiliaoapp.musically";

    /// <summary>The first device the TikTok ban reaches (its user and Entra device outside the police and exemption groups) that fits.</summary>
    public static ManagedDevice InScope(SweepHarness harness, Func<ManagedDevice, bool> fits)
    {
        var state = harness.Tenant.State;
        var outside = state.TransitiveMemberIds(state.GroupByName("IBS Police").Id)
            .Concat(state.TransitiveMemberIds(state.GroupByName("IBS TikTok Exemptions").Id))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var entra = state.EntraDevices.ToDictionary(e => e.DeviceId, e => e.Id, StringComparer.OrdinalIgnoreCase);
        return state.ManagedDevices.First(d => d.UserId is not null && !outside.Contains(d.UserId)
            && entra.TryGetValue(d.AzureAdDeviceId, out var objectId) && !outside.Contains(objectId) && fits(d));
    }

    public static ManagedDevice SupervisedIphone(SweepHarness harness) =>
        InScope(harness, d => d is { OperatingSystem: "iOS", IsSupervised: true, Ownership: "company" } && !d.InstalledApps.Any(IsTikTok));

    public static ManagedDevice CompanyOwnedWorkProfile(SweepHarness harness) =>
        InScope(harness, d => d is { OperatingSystem: "Android", AndroidMode: AndroidMode.CorporateWorkProfile } && !d.InstalledApps.Any(IsTikTok));

    /// <summary>The device now carries these apps and synced an hour before the seed's now (its inventory is fresh).</summary>
    public static ManagedDevice Install(SweepHarness harness, ManagedDevice device, params InstalledApp[] apps)
    {
        var arranged = device with { InstalledApps = [.. device.InstalledApps, .. apps], LastSyncDateTime = harness.Seed.Now.AddHours(-1) };
        harness.Tenant.State.Arrange(arranged);
        return arranged;
    }

    public static InstalledApp TikTok(AppSource source, string identifier = TikTokIos) => new("TikTok", "37.0.1", source, identifier);

    public static bool IsTikTok(InstalledApp app) => app.DisplayName.Trim().ToLowerInvariant() is "tiktok" or "tiktok lite";

    public const string UninstallGroup = "IntuneBanSync – TikTok – uninstall";

    /// <summary>
    /// The uninstall group's members and assignments, what a crash test compares with a clean sweep's. The remediation runs beside
    /// the uninstall and removes the app from a Windows device at once: an uninstall that crashed before reaching the Windows devices
    /// finds them clean in the sweep after, and rightly leaves them (and the WinGet app) alone. So after a crash the end state is the
    /// other platforms'.
    /// </summary>
    public static string UninstallEndState(TenantState state, bool afterCrash = true)
    {
        var group = state.Groups.Single(g => g.DisplayName == UninstallGroup).Id;
        var assignments = state.MobileApps
            .Where(a => !afterCrash || a.ODataType != "winGetApp")
            .SelectMany(a => a.Assignments.Where(x => x.GroupId == group).Select(x => $"{a.ODataType}:{a.Identifier}:{x.Intent}"))
            .Order();
        var windows = state.ManagedDevices.Where(d => afterCrash && d.OperatingSystem == "Windows").Select(d => d.Id).ToHashSet();
        return string.Join(";", UninstallMembers(state).Where(id => !windows.Contains(id)).Order()) + "|" + string.Join(";", assignments);
    }

    /// <summary>The managed device ids whose Entra device object is in the TikTok ban's uninstall group.</summary>
    public static HashSet<string> UninstallMembers(TenantState state)
    {
        var group = state.Groups.SingleOrDefault(g => g.DisplayName == UninstallGroup);
        if (group is null)
            return [];
        var entra = state.EntraDevices.Where(e => group.MemberIds.Contains(e.Id)).Select(e => e.DeviceId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return state.ManagedDevices.Where(d => entra.Contains(d.AzureAdDeviceId)).Select(d => d.Id).ToHashSet();
    }

    /// <summary>A policy's assignment targets as "kind:groupId", sorted.</summary>
    public static List<string> Targets(PolicyEntity policy) =>
        [.. policy.Targets.Select(t => $"{t["@odata.type"]!.GetValue<string>().Split('.')[^1]}:{t["groupId"]?.GetValue<string>()}").Order(StringComparer.Ordinal)];

    /// <summary>The TikTok ban in enforce mode with one change.</summary>
    public static BanListDocument Ban(SweepHarness harness, Action<JsonNode> change)
    {
        var json = JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        change(json["bans"]![0]!);
        var parsed = BanListParser.Parse(json.ToJsonString());
        return parsed.Document ?? throw new InvalidOperationException(string.Join("; ", parsed.Errors));
    }

    /// <summary>Creates a policy as an administrator would, outside IntuneBanSync; answers its id.</summary>
    public static async Task<string> CreateAsync(SweepHarness harness, string collection, JsonObject body)
    {
        using var http = SimulatorGraph.Http();
        var response = await http.PostAsync($"{harness.Tenant.BetaUrl}/deviceManagement/{collection}", JsonContent.Create(body));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    public static async Task AssignAsync(SweepHarness harness, string collection, string id, string groupId)
    {
        using var http = SimulatorGraph.Http();
        var body = new JsonObject
        {
            ["assignments"] = new JsonArray(new JsonObject
            {
                ["target"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.groupAssignmentTarget", ["groupId"] = groupId },
            }),
        };
        var response = await http.PostAsync($"{harness.Tenant.BetaUrl}/deviceManagement/{collection}/{id}/assign", JsonContent.Create(body));
        response.EnsureSuccessStatusCode();
    }
}
