using System.Globalization;
using static IntuneBanSync.IntegrationTests.Enforcement.TenantDevices;

namespace IntuneBanSync.IntegrationTests.Enforcement.Notifications;

/// <summary>Company Portal reminders and notices against the simulated tenant: the real SDK over HTTP, the journal in Azurite, a fake clock.</summary>
public sealed class NotificationTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    [Fact]
    public async Task A_sweep_at_14_7_and_1_days_before_the_deadline_sends_exactly_one_reminder_per_eligible_device_per_step()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Install(harness, CompanyIphone(harness), TikTok(AppSource.User));
        var ban = DueIn(harness, days: 14);
        var eligible = Eligible(harness);

        await harness.EnforceAsync(ban);
        harness.Clock.Advance(TimeSpan.FromDays(7));
        await harness.EnforceAsync(ban);
        harness.Clock.Advance(TimeSpan.FromDays(6));
        var last = await harness.EnforceAsync(ban);

        var sent = harness.Tenant.Notifications.Sent;
        Assert.Contains(iphone.Id, eligible);
        Assert.Equal(eligible.Order(StringComparer.OrdinalIgnoreCase), sent.Select(n => n.DeviceId).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase));
        Assert.All(sent.GroupBy(n => n.DeviceId, StringComparer.OrdinalIgnoreCase), device => Assert.Equal(3, device.Count()));
        Assert.Equal(["reminder-1", "reminder-14", "reminder-7"], await TargetsAsync(harness, iphone.Id));
        Assert.Equal(eligible.Count, last.Bans.Single().Enforcement!.Notifications.RemindersByStep["reminder-1"]);
        var reach = (await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None))[iphone.Id].Reaches!
            .Single(r => r.Mechanism == CompanyPortalNotifications.Id);
        Assert.Equal((Reach.Notified, "company portal notification (ios)"), (reach.Reach, reach.Route));
        Assert.Contains("reminder 1 day before the deadline", reach.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_sweep_at_the_same_step_sends_no_notification()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, CompanyIphone(harness), TikTok(AppSource.User));
        var ban = DueIn(harness, days: 7);
        await harness.EnforceAsync(ban);
        var first = harness.Tenant.Notifications.Sent.Count;
        harness.Clock.Advance(TimeSpan.FromDays(2));
        harness.Tenant.Requests.Reset();

        var second = await harness.EnforceAsync(ban);

        Assert.True(first > 0, "the first sweep sent the 7-day reminders");
        Assert.Equal(first, harness.Tenant.Notifications.Sent.Count);
        Assert.DoesNotContain(second.Writes, w => w.Action == CompanyPortalNotifications.SendNotification.Name);
        // The compliance policy's grace period shortens as the deadline nears (its scheduled actions are rewritten); no notification is sent again.
        Assert.DoesNotContain(harness.Tenant.Requests.Snapshot().ByKind.Keys, kind => kind.Contains("sendCustomNotificationToCompanyPortal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_device_exempted_after_the_first_reminder_gets_no_further_one()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Install(harness, CompanyIphone(harness), TikTok(AppSource.User));
        await harness.EnforceAsync(DueIn(harness, days: 14));
        var exempted = DueIn(harness, days: 14, exemptDevice: iphone.Id);
        harness.Clock.Advance(TimeSpan.FromDays(7));

        await harness.EnforceAsync(exempted);

        Assert.Single(harness.Tenant.Notifications.To(iphone.Id));
        Assert.Equal(["reminder-14"], await TargetsAsync(harness, iphone.Id));
    }

    [Fact]
    public async Task Devices_of_an_excluded_group_or_an_exemption_group_are_never_notified()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var state = harness.Tenant.State;
        var outside = state.TransitiveMemberIds(state.GroupByName("IBS Police").Id)
            .Concat(state.TransitiveMemberIds(state.GroupByName("IBS TikTok Exemptions").Id)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var police = state.ManagedDevices.First(d => d.UserId is not null && outside.Contains(d.UserId) && d is { OperatingSystem: "iOS", Ownership: "company" });
        Install(harness, police, TikTok(AppSource.User));

        await harness.EnforceAsync(DueIn(harness, days: 1));

        Assert.NotEmpty(harness.Tenant.Notifications.Sent);
        Assert.DoesNotContain(harness.Tenant.Notifications.Sent, n => state.ManagedDeviceById(n.DeviceId).UserId is { } user && outside.Contains(user));
    }

    [Fact]
    public async Task Advised_devices_are_reminded_with_the_advisory_text_and_never_put_in_a_group_or_given_the_notice()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Install(harness, CompanyIphone(harness), TikTok(AppSource.User));
        var advisory = harness.Tenant.State.Groups.First(g => g.MemberIds.Contains(iphone.UserId!) && g.DisplayName.StartsWith("IBS Dept ", StringComparison.Ordinal));
        var ban = DueIn(harness, days: 14, change: b => b["scope"]!["advisoryGroups"] = new JsonArray(advisory.Id));
        await harness.EnforceAsync(ban);
        harness.Clock.Advance(TimeSpan.FromDays(15));

        await harness.EnforceAsync(ban);

        var sent = Assert.Single(harness.Tenant.Notifications.To(iphone.Id));
        var language = harness.Tenant.State.Users.Single(u => u.Id == iphone.UserId).PreferredLanguage;
        var expected = NotificationText.Compose(ban.Bans[0], NotificationKind.Advisory, language, ban.Contact, "TikTok");
        Assert.Equal((expected.Title, expected.Body), (sent.Title, sent.Body));
        Assert.Equal(["advisory-14"], await TargetsAsync(harness, iphone.Id));
        var entra = harness.Tenant.State.EntraDevices.Single(e => e.DeviceId == iphone.AzureAdDeviceId).Id;
        Assert.DoesNotContain(harness.Tenant.State.Groups, g => g.DisplayName.StartsWith("IntuneBanSync", StringComparison.Ordinal)
            && (g.MemberIds.Contains(entra) || g.MemberIds.Contains(iphone.UserId!)));
    }

    [Fact]
    public async Task The_notice_goes_once_at_the_first_sweep_after_the_deadline_while_the_device_offends()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Install(harness, CompanyIphone(harness), TikTok(AppSource.User));
        var ban = DueIn(harness, days: 1);
        await harness.EnforceAsync(ban);
        harness.Clock.Advance(TimeSpan.FromDays(1));

        var first = await harness.EnforceAsync(ban);
        harness.Clock.Advance(TimeSpan.FromDays(1));
        await harness.EnforceAsync(ban);

        Assert.Equal(["enforcement-notice", "reminder-1"], await TargetsAsync(harness, iphone.Id));
        var language = harness.Tenant.State.Users.Single(u => u.Id == iphone.UserId).PreferredLanguage;
        var expected = NotificationText.Compose(ban.Bans[0], NotificationKind.Enforcement, language, ban.Contact, "TikTok");
        Assert.Equal(expected.Title, harness.Tenant.Notifications.To(iphone.Id)[^1].Title);
        Assert.True(first.Bans.Single().Enforcement!.Notifications.Notices > 0);
    }

    [Fact]
    public async Task The_reminder_carries_the_ban_list_s_helpdesk_and_attestation_link()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Install(harness, CompanyIphone(harness), TikTok(AppSource.User));
        var json = JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        json["bans"]![0]!["uninstallBy"] = Iso(harness.Seed.Now.AddDays(7));
        json["contact"] = new JsonObject { ["helpdesk"] = "helpdesk@contoso.example", ["attestationUrl"] = "https://ibs.contoso.example/api/attest" };

        await harness.EnforceAsync(Parsed(json));

        var body = Assert.Single(harness.Tenant.Notifications.To(iphone.Id)).Body;
        Assert.Contains("https://ibs.contoso.example/api/attest", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_text_is_in_the_user_s_preferred_language_and_in_the_ban_s_default_one_without_a_user()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var users = harness.Tenant.State.Users.ToDictionary(u => u.Id, StringComparer.OrdinalIgnoreCase);
        var french = Install(harness, CompanyIphone(harness, d => users[d.UserId!].PreferredLanguage == "fr-BE"), TikTok(AppSource.User));
        var dutch = Install(harness, CompanyIphone(harness, d => users[d.UserId!].PreferredLanguage == "nl-BE"), TikTok(AppSource.User));
        var shared = CompanyIphone(harness, d => d.Id != french.Id && d.Id != dutch.Id);
        shared = Install(harness, shared with { UserId = null, UserPrincipalName = null }, TikTok(AppSource.User));
        var ban = DueIn(harness, days: 7, change: b => b["notifications"] = new JsonObject { ["defaultLanguage"] = "de" });

        await harness.EnforceAsync(ban);

        string Title(string? language) => NotificationText.Compose(ban.Bans[0], NotificationKind.Reminder, language, ban.Contact, "TikTok").Title;
        Assert.Equal(Title("fr"), Assert.Single(harness.Tenant.Notifications.To(french.Id)).Title);
        Assert.Equal(Title("nl"), Assert.Single(harness.Tenant.Notifications.To(dutch.Id)).Title);
        Assert.Equal(Title("de"), Assert.Single(harness.Tenant.Notifications.To(shared.Id)).Title);
        Assert.NotEqual(Title("fr"), Title("nl"));
    }

    [Fact]
    public async Task Ten_notifications_per_device_per_hour_hold_across_bans_and_the_rest_goes_at_the_next_sweep()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var iphone = Install(harness, CompanyIphone(harness), TikTok(AppSource.User));
        var bans = TwelveBans(harness);
        // No retry: a 429 would fail the sweep's sends at once instead of waiting out Retry-After.
        var engine = harness.Engine(new GraphOptions { BaseUrl = harness.Tenant.GraphUrl, RetryDelaySeconds = 0, MaxRetry = 0 });
        var request = new SweepRequest(bans, "contoso", "test", SweepTarget.WholeTenant, EnforcementMode.Enforce);

        var first = await engine.RunAsync(request, null, CancellationToken.None);
        var withinTheHour = harness.Tenant.Notifications.To(iphone.Id).Count;
        harness.Clock.Advance(TimeSpan.FromMinutes(30));
        await engine.RunAsync(request, null, CancellationToken.None);
        var halfAnHourLater = harness.Tenant.Notifications.To(iphone.Id).Count;
        harness.Clock.Advance(TimeSpan.FromMinutes(31));
        await engine.RunAsync(request, null, CancellationToken.None);

        Assert.Equal(HourlyLimit.PerDevicePerHour, withinTheHour);
        Assert.Equal(HourlyLimit.PerDevicePerHour, halfAnHourLater);
        Assert.Equal(12, harness.Tenant.Notifications.To(iphone.Id).Count);
        Assert.Equal(["tiktok-11", "tiktok-12"], first.Bans.Where(b => b.Enforcement!.Notifications.Deferred > 0).Select(b => b.BanId));
        Assert.DoesNotContain(first.Writes, w => w.Result == WireName.Of(WriteResult.Failed));
        Assert.All(harness.Tenant.Notifications.Sent.GroupBy(n => n.DeviceId), device => Assert.Equal(12, device.Count()));
    }

    [Fact]
    public async Task A_403_for_the_notification_permission_stops_only_the_notifications()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        Install(harness, CompanyIphone(harness), TikTok(AppSource.User));

        var report = await harness.EnforceRefusedAsync(GraphPermissions.ManagedDevicesReadWrite);

        var stopped = SweepHarness.AssertStopped(report, "notification was refused by Graph (403)", GraphPermissions.ManagedDevicesReadWrite);
        Assert.DoesNotContain("uninstall", stopped, StringComparison.Ordinal);
        Assert.Empty(harness.Tenant.Notifications.Sent);
        Assert.Contains(harness.Tenant.State.Groups, g => g.DisplayName.StartsWith("IntuneBanSync", StringComparison.Ordinal));
    }

    /// <summary>A company iPhone in the ban's scope without TikTok yet (its inventory shows every app).</summary>
    private static ManagedDevice CompanyIphone(SweepHarness harness, Func<ManagedDevice, bool>? fits = null) =>
        InScope(harness, d => d is { OperatingSystem: "iOS", Ownership: "company" } && !d.InstalledApps.Any(IsTikTok) && (fits?.Invoke(d) ?? true));

    /// <summary>The TikTok ban in enforce mode whose uninstall deadline is this many days after the seed's now.</summary>
    private static BanListDocument DueIn(SweepHarness harness, int days, string? exemptDevice = null, Action<JsonNode>? change = null)
    {
        var json = JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        var ban = json["bans"]![0]!;
        ban["uninstallBy"] = Iso(harness.Seed.Now.AddDays(days));
        change?.Invoke(ban);
        if (exemptDevice is not null)
            json["exemptions"]!.AsArray().Add(new JsonObject
            {
                ["id"] = "one-device",
                ["ban"] = "tiktok",
                ["device"] = exemptDevice,
                ["justification"] = "Press office",
                ["approvedBy"] = "CISO",
            });
        return Parsed(json);
    }

    /// <summary>Twelve bans of the same app, due in 7 days: each owes every device a reminder, two more than Graph lets one device get in an hour.</summary>
    private static BanListDocument TwelveBans(SweepHarness harness)
    {
        var json = JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        var template = json["bans"]![0]!;
        template["uninstallBy"] = Iso(harness.Seed.Now.AddDays(7));
        json["bans"] = new JsonArray([.. Enumerable.Range(1, 12).Select(i =>
        {
            var ban = template.DeepClone();
            ban["id"] = $"tiktok-{i}";
            ban["name"] = $"TikTok {i}";
            return ban;
        })]);
        json["exemptions"] = new JsonArray();
        return Parsed(json);
    }

    private static BanListDocument Parsed(JsonNode json)
    {
        var parsed = BanListParser.Parse(json.ToJsonString());
        return parsed.Document ?? throw new InvalidOperationException(string.Join("; ", parsed.Errors));
    }

    /// <summary>
    /// From the simulator's ground truth: devices in the ban's scope (outside the police and exemption groups) whose inventory shows
    /// TikTok, on iOS or an Android personal work profile, the platforms Company Portal notifications reach.
    /// </summary>
    private static HashSet<string> Eligible(SweepHarness harness)
    {
        var state = harness.Tenant.State;
        var outside = state.TransitiveMemberIds(state.GroupByName("IBS Police").Id)
            .Concat(state.TransitiveMemberIds(state.GroupByName("IBS TikTok Exemptions").Id))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var entra = state.EntraDevices.ToDictionary(e => e.DeviceId, e => e.Id, StringComparer.OrdinalIgnoreCase);
        return state.ManagedDevices
            .Where(d => !(d.UserId is { } user && outside.Contains(user)) && !(entra.TryGetValue(d.AzureAdDeviceId, out var id) && outside.Contains(id)))
            .Where(d => d.Ownership is "company" or "personal")
            .Where(d => d.OperatingSystem == "iOS" || (d.OperatingSystem == "Android" && d.AndroidMode == AndroidMode.PersonalWorkProfile))
            .Where(d => state.VisibleApps(d).Any(IsTikTok))
            .Select(d => d.Id)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private static async Task<List<string>> TargetsAsync(SweepHarness harness, string deviceId, string banId = "tiktok") =>
        [.. (await harness.Journal.GetAuditAsync("contoso", banId, CancellationToken.None))
            .Where(e => e.Intent.Action == CompanyPortalNotifications.SendNotification && e.Intent.DeviceId == deviceId)
            .Select(e => e.Intent.Target)
            .Order(StringComparer.Ordinal)];

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
