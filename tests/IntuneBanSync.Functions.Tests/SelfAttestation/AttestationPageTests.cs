using static IntuneBanSync.Functions.Tests.SelfAttestation.Attesters;

namespace IntuneBanSync.Functions.Tests.SelfAttestation;

/// <summary>GET and POST /api/attest called as methods: who may see and attest what, and what the journal keeps.</summary>
public sealed class AttestationPageTests(AzuriteFixture azurite, TenantFixture fixture) : SweepHostTests(azurite, fixture)
{
    [Fact]
    public async Task Signed_in_user_without_any_app_role_sees_exactly_their_own_covered_devices()
    {
        var user = WithCoveredDevices(Tenant, 2);

        var page = await GetAsync(Host, user);

        Assert.Equal(StatusCodes.Status200OK, page.Status);
        Assert.Equal(CoveredDevicesOf(Tenant, user.Id).Select(d => d.Id).Order(), DevicesOffered(page.Text).Order());
    }

    [Fact]
    public async Task Page_lists_only_the_devices_whose_platform_and_ownership_the_ban_covers()
    {
        var user = Tenant.State.Users.OrderBy(u => u.Id, StringComparer.Ordinal).First(u =>
            CoveredDevicesOf(Tenant, u.Id).Any(IsAndroid) && CoveredDevicesOf(Tenant, u.Id).Any(d => !IsAndroid(d)));
        await ChangeBanAsync(Host, ban => ban["scope"]!["platforms"] = new JsonArray("android"));

        var page = await GetAsync(Host, user);

        Assert.Equal(CoveredDevicesOf(Tenant, user.Id).Where(IsAndroid).Select(d => d.Id).Order(), DevicesOffered(page.Text).Order());
    }

    [Fact]
    public async Task Ban_no_longer_in_force_covers_no_device()
    {
        var user = WithCoveredDevices(Tenant, 1);
        await ChangeBanAsync(Host, ban =>
        {
            ban["effectiveFrom"] = "2025-12-01T00:00:00Z";
            ban["uninstallBy"] = "2026-01-01T00:00:00Z";
            ban["expiresOn"] = "2026-06-01T00:00:00Z";
        });

        var page = await GetAsync(Host, user);

        Assert.Equal(StatusCodes.Status200OK, page.Status);
        Assert.Empty(DevicesOffered(page.Text));
        Assert.Contains("No ban applies to any of your enrolled devices.", page.Text);
    }

    [Fact]
    public async Task Page_without_a_principal_asks_to_sign_in()
    {
        var page = await GetAsync(Host, HttpCalls.Get());

        Assert.Equal(StatusCodes.Status401Unauthorized, page.Status);
        Assert.Contains("/.auth/login/aad?post_login_redirect_uri=", page.Text);
        Assert.Empty(DevicesOffered(page.Text));
    }

    /// <summary>
    /// A signed-in user offered nothing: where App Service Authentication is off the principal is not trusted (401), a tenant not of
    /// this deployment is refused (400), and without a token key the page is off (503).
    /// </summary>
    [Theory]
    [InlineData(PlatformAuthOptions.Setting, null, StatusCodes.Status401Unauthorized)]
    [InlineData(null, "?tenant=fabrikam", StatusCodes.Status400BadRequest)]
    [InlineData("IntuneBanSync:Attestation:TokenKey", null, StatusCodes.Status503ServiceUnavailable)]
    public async Task Page_is_refused_without_trusted_authentication_for_an_unknown_tenant_or_without_a_token_key(string? removedSetting, string? query, int status)
    {
        await using var host = await StartHostAsync(settings =>
        {
            if (removedSetting is not null)
                settings.Remove(removedSetting);
        });
        var user = WithCoveredDevices(Tenant, 1);

        var page = await GetAsync(host, user, query);

        Assert.Equal(status, page.Status);
        Assert.Empty(DevicesOffered(page.Text));
    }

    [Fact]
    public async Task Attesting_records_who_when_which_device_and_which_ban()
    {
        var (user, device) = Attester();

        var answer = await PostAsync(Host, user, device.Id, await TokenOfferedAsync(Host, user, device.Id));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        var attested = Assert.Single(await AttestationsAsync(Host));
        Assert.Equal(device.Id, attested.Key);
        Assert.Equal(
            new IntuneBanSync.Journal.Attestation("tiktok", device.Id, user.Id, device.UserPrincipalName!, TenantFixture.Seed.Now, device.DeviceName),
            attested.Value);
    }

    [Fact]
    public async Task Tenant_is_named_in_any_case_and_journaled_under_its_canonical_name()
    {
        var (user, device) = Attester();
        var token = await TokenOfferedAsync(Host, user, device.Id, "?tenant=CONTOSO");

        var answer = await PostAsync(Host, user, device.Id, token, query: "?tenant=CONTOSO");

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Single(await AttestationsAsync(Host));
        Assert.Contains("href=\"/api/attest?tenant=CONTOSO\"", answer.Text);
    }

    [Fact]
    public async Task Attested_device_shows_the_date_of_its_confirmation()
    {
        var (user, device) = Attester();
        await PostAsync(Host, user, device.Id, await TokenOfferedAsync(Host, user, device.Id));

        var again = await GetAsync(Host, user);

        Assert.Contains("You confirmed the removal on 28 November 2026.", again.Text);
    }

    [Fact]
    public async Task Another_users_device_cannot_be_attested_even_with_a_valid_token()
    {
        var user = WithCoveredDevices(Tenant, 1);
        var theirs = CoveredDevicesOf(Tenant, WithCoveredDevices(Tenant, 1, except: user).Id)[0];
        // A token the page would never issue for it: what is under test is the device's user read again from Graph.
        var token = Issue(Host, user, theirs.Id, "tiktok");

        var answer = await PostAsync(Host, user, theirs.Id, token);

        await AssertNothingAttestedAsync(Host, answer, StatusCodes.Status403Forbidden);
    }

    [Fact]
    public async Task Post_without_the_antiforgery_token_is_refused()
    {
        var (user, device) = Attester();

        var answer = await PostAsync(Host, user, device.Id, token: null);

        await AssertNothingAttestedAsync(Host, answer, StatusCodes.Status400BadRequest);
    }

    [Fact]
    public async Task Post_with_a_token_issued_to_another_user_is_refused()
    {
        var (user, device) = Attester();
        var token = await TokenOfferedAsync(Host, user, device.Id);

        var answer = await PostAsync(Host, WithCoveredDevices(Tenant, 1, except: user), device.Id, token);

        await AssertNothingAttestedAsync(Host, answer, StatusCodes.Status403Forbidden);
    }

    [Fact]
    public async Task Post_with_a_token_older_than_its_lifetime_is_refused()
    {
        var (user, device) = Attester();
        var token = await TokenOfferedAsync(Host, user, device.Id);
        ((FakeTimeProvider)Host.Services.GetRequiredService<TimeProvider>()).Advance(TimeSpan.FromMinutes(121));

        var answer = await PostAsync(Host, user, device.Id, token);

        Assert.Equal(StatusCodes.Status403Forbidden, answer.Status);
        Assert.Contains("This page has expired", answer.Text);
    }

    [Fact]
    public async Task Post_for_a_ban_not_in_the_list_is_not_found()
    {
        var (user, device) = Attester();

        var answer = await PostAsync(Host, user, device.Id, Issue(Host, user, device.Id, "wechat"), ban: "wechat");

        await AssertNothingAttestedAsync(Host, answer, StatusCodes.Status404NotFound, ban: "wechat");
    }

    [Theory]
    [InlineData("fr-BE,fr;q=0.9,en;q=0.5", "fr", "Je l'ai supprimée")]
    [InlineData("nl-BE", "nl", "Ik heb de app verwijderd")]
    [InlineData("de-DE,de;q=0.9", "de", "Ich habe sie entfernt")]
    [InlineData("es-ES,en;q=0.3,fr;q=0.7", "fr", "Je l'ai supprimée")]
    public async Task Page_is_in_the_first_accepted_language_it_is_written_in(string acceptLanguage, string language, string button)
    {
        var user = WithCoveredDevices(Tenant, 1);
        var request = HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName);
        request.Headers.AcceptLanguage = acceptLanguage;

        var page = await GetAsync(Host, request);

        Assert.Contains($"<html lang=\"{language}\">", page.Text);
        Assert.Contains($">{button}</button>", System.Net.WebUtility.HtmlDecode(page.Text));
    }

    [Fact]
    public async Task Page_falls_back_to_the_bans_default_language()
    {
        await ChangeBanAsync(Host, ban => ban["notifications"] = new JsonObject { ["defaultLanguage"] = "nl" });
        var user = WithCoveredDevices(Tenant, 1);
        var request = HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName);
        request.Headers.AcceptLanguage = "es-ES";

        var page = await GetAsync(Host, request);

        Assert.Contains("<html lang=\"nl\">", page.Text);
    }

    [Fact]
    public async Task Page_allows_no_script_and_no_framing()
    {
        var user = WithCoveredDevices(Tenant, 1);

        var page = await GetAsync(Host, HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName));

        var policy = page.Headers.ContentSecurityPolicy.ToString();
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("<script", page.Text);
        Assert.Equal("no-store", page.Headers.CacheControl.ToString());
    }

    /// <summary>The first user with a device the ban covers, and that device.</summary>
    private (User User, ManagedDevice Device) Attester()
    {
        var user = WithCoveredDevices(Tenant, 1);
        return (user, CoveredDevicesOf(Tenant, user.Id)[0]);
    }

    private static bool IsAndroid(ManagedDevice device) => device.OperatingSystem.StartsWith("Android", StringComparison.OrdinalIgnoreCase);

    /// <summary>Replaces the stored ban list with the sample one, its TikTok ban changed.</summary>
    private static async Task ChangeBanAsync(SweepHost host, Action<JsonObject> change)
    {
        var stored = await host.ImportBanListAsync();
        var banList = JsonNode.Parse(stored.Json)!.AsObject();
        change(banList["bans"]![0]!.AsObject());
        await host.BanLists.PutAsync(FunctionHost.Tenant, banList.ToJsonString(), stored.ETag, "test", CancellationToken.None);
    }

    /// <summary>The page as <paramref name="user"/> sees it.</summary>
    private static Task<HttpAnswer> GetAsync(SweepHost host, User user, string? query = null) =>
        GetAsync(host, HttpCalls.Get(query).AsUser(user.Id, user.UserPrincipalName));

    /// <summary>The token of the form the page shows <paramref name="user"/> for the device and the TikTok ban.</summary>
    private static async Task<string> TokenOfferedAsync(SweepHost host, User user, string deviceId, string? query = null) =>
        TokenFor((await GetAsync(host, user, query)).Text, deviceId);

    /// <summary>A token the page signs for (user, device, ban), whether or not it would offer it.</summary>
    private static string Issue(SweepHost host, User user, string deviceId, string banId) =>
        host.Services.GetRequiredService<AttestationTokens>().Issue(FunctionHost.Tenant, user.Id, deviceId, banId);

    /// <summary>The form POST of "I have removed it" for the device and ban, sent as <paramref name="user"/>.</summary>
    private static Task<HttpAnswer> PostAsync(SweepHost host, User user, string deviceId, string? token, string ban = "tiktok", string? query = null)
    {
        var fields = new Dictionary<string, string> { ["device"] = deviceId, ["ban"] = ban };
        if (token is not null)
            fields["token"] = token;
        return PostAsync(host, HttpCalls.FormPost(fields, query).AsUser(user.Id, user.UserPrincipalName));
    }

    private static Task<IReadOnlyDictionary<string, Attestation>> AttestationsAsync(SweepHost host, string ban = "tiktok") =>
        host.Attestations.ListAsync(FunctionHost.Tenant, ban, CancellationToken.None);

    /// <summary>The POST was refused with <paramref name="status"/>, and the journal holds no attestation of the ban.</summary>
    private static async Task AssertNothingAttestedAsync(SweepHost host, HttpAnswer answer, int status, string ban = "tiktok")
    {
        Assert.Equal(status, answer.Status);
        Assert.Empty(await AttestationsAsync(host, ban));
    }

    private static async Task<HttpAnswer> GetAsync(SweepHost host, HttpRequest request) =>
        await HttpCalls.ExecuteAsync(await host.Create<AttestationPage>().ShowAttestations(request, CancellationToken.None), request);

    private static async Task<HttpAnswer> PostAsync(SweepHost host, HttpRequest request) =>
        await HttpCalls.ExecuteAsync(await host.Create<AttestationPage>().RecordAttestation(request, CancellationToken.None), request);
}
