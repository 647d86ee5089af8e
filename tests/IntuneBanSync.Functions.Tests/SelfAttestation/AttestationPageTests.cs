using static IntuneBanSync.Functions.Tests.SelfAttestation.Attesters;

namespace IntuneBanSync.Functions.Tests.SelfAttestation;

/// <summary>GET and POST /api/attest called as methods: who may see and attest what, and what the journal keeps.</summary>
public sealed class AttestationPageTests(AzuriteFixture azurite, TenantFixture fixture) : SweepHostTests(azurite, fixture)
{
    [Fact]
    public async Task Signed_in_user_without_any_app_role_sees_exactly_their_own_covered_devices()
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 2);

        var page = await GetAsync(host, HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName));

        Assert.Equal(StatusCodes.Status200OK, page.Status);
        Assert.Equal(CoveredDevicesOf(Tenant, user.Id).Select(d => d.Id).Order(), DevicesOffered(page.Text).Order());
    }

    [Fact]
    public async Task Page_lists_only_the_devices_whose_platform_and_ownership_the_ban_covers()
    {
        await using var host = await StartHostAsync();
        var user = Tenant.State.Users.OrderBy(u => u.Id, StringComparer.Ordinal).First(u =>
            CoveredDevicesOf(Tenant, u.Id).Any(IsAndroid) && CoveredDevicesOf(Tenant, u.Id).Any(d => !IsAndroid(d)));
        await ChangeBanAsync(host, ban => ban["scope"]!["platforms"] = new JsonArray("android"));

        var page = await GetAsync(host, HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName));

        Assert.Equal(CoveredDevicesOf(Tenant, user.Id).Where(IsAndroid).Select(d => d.Id).Order(), DevicesOffered(page.Text).Order());
    }

    [Fact]
    public async Task Ban_no_longer_in_force_covers_no_device()
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 1);
        await ChangeBanAsync(host, ban =>
        {
            ban["effectiveFrom"] = "2025-12-01T00:00:00Z";
            ban["uninstallBy"] = "2026-01-01T00:00:00Z";
            ban["expiresOn"] = "2026-06-01T00:00:00Z";
        });

        var page = await GetAsync(host, HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName));

        Assert.Equal(StatusCodes.Status200OK, page.Status);
        Assert.Empty(DevicesOffered(page.Text));
        Assert.Contains("No ban applies to any of your enrolled devices.", page.Text);
    }

    [Fact]
    public async Task Page_without_a_principal_asks_to_sign_in()
    {
        await using var host = await StartHostAsync();

        var page = await GetAsync(host, HttpCalls.Get());

        Assert.Equal(StatusCodes.Status401Unauthorized, page.Status);
        Assert.Contains("/.auth/login/aad?post_login_redirect_uri=", page.Text);
        Assert.Empty(DevicesOffered(page.Text));
    }

    [Fact]
    public async Task Principal_is_not_trusted_where_App_Service_Authentication_is_off()
    {
        await using var host = await StartHostAsync(s => s.Remove(PlatformAuthOptions.Setting));
        var user = WithCoveredDevices(Tenant, 1);

        var page = await GetAsync(host, HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName));

        Assert.Equal(StatusCodes.Status401Unauthorized, page.Status);
        Assert.Empty(DevicesOffered(page.Text));
    }

    [Fact]
    public async Task Unknown_tenant_is_refused()
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 1);

        var page = await GetAsync(host, HttpCalls.Get("?tenant=fabrikam").AsUser(user.Id, user.UserPrincipalName));

        Assert.Equal(StatusCodes.Status400BadRequest, page.Status);
    }

    [Fact]
    public async Task Page_is_off_without_a_token_key()
    {
        await using var host = await StartHostAsync(s => s.Remove("IntuneBanSync:Attestation:TokenKey"));
        var user = WithCoveredDevices(Tenant, 1);

        var page = await GetAsync(host, HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, page.Status);
        Assert.Empty(DevicesOffered(page.Text));
    }

    [Fact]
    public async Task Attesting_records_who_when_which_device_and_which_ban()
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 1);
        var device = CoveredDevicesOf(Tenant, user.Id)[0];
        var page = await GetAsync(host, HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName));

        var answer = await PostAsync(host, Form(device.Id, TokenFor(page.Text, device.Id)).AsUser(user.Id, user.UserPrincipalName));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        var attested = Assert.Single(await host.Attestations.ListAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None));
        Assert.Equal(device.Id, attested.Key);
        Assert.Equal(
            new IntuneBanSync.Journal.Attestation("tiktok", device.Id, user.Id, device.UserPrincipalName!, TenantFixture.Seed.Now, device.DeviceName),
            attested.Value);
    }

    [Fact]
    public async Task Tenant_is_named_in_any_case_and_journaled_under_its_canonical_name()
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 1);
        var device = CoveredDevicesOf(Tenant, user.Id)[0];
        var page = await GetAsync(host, HttpCalls.Get("?tenant=CONTOSO").AsUser(user.Id, user.UserPrincipalName));
        var form = Form(device.Id, TokenFor(page.Text, device.Id)).WithQuery("?tenant=CONTOSO").AsUser(user.Id, user.UserPrincipalName);

        var answer = await PostAsync(host, form);

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Single(await host.Attestations.ListAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None));
        Assert.Contains("href=\"/api/attest?tenant=CONTOSO\"", answer.Text);
    }

    [Fact]
    public async Task Attested_device_shows_the_date_of_its_confirmation()
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 1);
        var device = CoveredDevicesOf(Tenant, user.Id)[0];
        var page = await GetAsync(host, HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName));
        await PostAsync(host, Form(device.Id, TokenFor(page.Text, device.Id)).AsUser(user.Id, user.UserPrincipalName));

        var again = await GetAsync(host, HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName));

        Assert.Contains("You confirmed the removal on 28 November 2026.", again.Text);
    }

    [Fact]
    public async Task Another_users_device_cannot_be_attested_even_with_a_valid_token()
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 1);
        var owner = WithCoveredDevices(Tenant, 1, except: user);
        var theirs = CoveredDevicesOf(Tenant, owner.Id)[0];
        // A token the page would never issue for it: what is under test is the device's user read again from Graph.
        var token = host.Services.GetRequiredService<AttestationTokens>().Issue(FunctionHost.Tenant, user.Id, theirs.Id, "tiktok");

        var answer = await PostAsync(host, Form(theirs.Id, token).AsUser(user.Id, user.UserPrincipalName));

        Assert.Equal(StatusCodes.Status403Forbidden, answer.Status);
        Assert.Empty(await host.Attestations.ListAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None));
    }

    [Fact]
    public async Task Post_without_the_antiforgery_token_is_refused()
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 1);
        var device = CoveredDevicesOf(Tenant, user.Id)[0];

        var answer = await PostAsync(host, Form(device.Id, token: null).AsUser(user.Id, user.UserPrincipalName));

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.Empty(await host.Attestations.ListAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None));
    }

    [Fact]
    public async Task Post_with_a_token_issued_to_another_user_is_refused()
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 1);
        var other = WithCoveredDevices(Tenant, 1, except: user);
        var device = CoveredDevicesOf(Tenant, user.Id)[0];
        var page = await GetAsync(host, HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName));

        var answer = await PostAsync(host, Form(device.Id, TokenFor(page.Text, device.Id)).AsUser(other.Id, other.UserPrincipalName));

        Assert.Equal(StatusCodes.Status403Forbidden, answer.Status);
        Assert.Empty(await host.Attestations.ListAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None));
    }

    [Fact]
    public async Task Post_with_a_token_older_than_its_lifetime_is_refused()
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 1);
        var device = CoveredDevicesOf(Tenant, user.Id)[0];
        var page = await GetAsync(host, HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName));
        ((FakeTimeProvider)host.Services.GetRequiredService<TimeProvider>()).Advance(TimeSpan.FromMinutes(121));

        var answer = await PostAsync(host, Form(device.Id, TokenFor(page.Text, device.Id)).AsUser(user.Id, user.UserPrincipalName));

        Assert.Equal(StatusCodes.Status403Forbidden, answer.Status);
        Assert.Contains("This page has expired", answer.Text);
    }

    [Fact]
    public async Task Post_for_a_ban_not_in_the_list_is_not_found()
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 1);
        var device = CoveredDevicesOf(Tenant, user.Id)[0];
        var token = host.Services.GetRequiredService<AttestationTokens>().Issue(FunctionHost.Tenant, user.Id, device.Id, "wechat");

        var answer = await PostAsync(host, Form(device.Id, token, ban: "wechat").AsUser(user.Id, user.UserPrincipalName));

        Assert.Equal(StatusCodes.Status404NotFound, answer.Status);
        Assert.Empty(await host.Attestations.ListAsync(FunctionHost.Tenant, "wechat", CancellationToken.None));
    }

    [Theory]
    [InlineData("fr-BE,fr;q=0.9,en;q=0.5", "fr", "Je l'ai supprimée")]
    [InlineData("nl-BE", "nl", "Ik heb de app verwijderd")]
    [InlineData("de-DE,de;q=0.9", "de", "Ich habe sie entfernt")]
    [InlineData("es-ES,en;q=0.3,fr;q=0.7", "fr", "Je l'ai supprimée")]
    public async Task Page_is_in_the_first_accepted_language_it_is_written_in(string acceptLanguage, string language, string button)
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 1);
        var request = HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName);
        request.Headers.AcceptLanguage = acceptLanguage;

        var page = await GetAsync(host, request);

        Assert.Contains($"<html lang=\"{language}\">", page.Text);
        Assert.Contains($">{button}</button>", System.Net.WebUtility.HtmlDecode(page.Text));
    }

    [Fact]
    public async Task Page_falls_back_to_the_bans_default_language()
    {
        await using var host = await StartHostAsync();
        await ChangeBanAsync(host, ban => ban["notifications"] = new JsonObject { ["defaultLanguage"] = "nl" });
        var user = WithCoveredDevices(Tenant, 1);
        var request = HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName);
        request.Headers.AcceptLanguage = "es-ES";

        var page = await GetAsync(host, request);

        Assert.Contains("<html lang=\"nl\">", page.Text);
    }

    [Fact]
    public async Task Page_allows_no_script_and_no_framing()
    {
        await using var host = await StartHostAsync();
        var user = WithCoveredDevices(Tenant, 1);

        var page = await GetAsync(host, HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName));

        var policy = page.Headers.ContentSecurityPolicy.ToString();
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("<script", page.Text);
        Assert.Equal("no-store", page.Headers.CacheControl.ToString());
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

    private static HttpRequest Form(string deviceId, string? token, string ban = "tiktok")
    {
        var fields = new Dictionary<string, string> { ["device"] = deviceId, ["ban"] = ban };
        if (token is not null)
            fields["token"] = token;
        return HttpCalls.FormPost(fields);
    }

    private static async Task<HttpAnswer> GetAsync(SweepHost host, HttpRequest request) =>
        await HttpCalls.ExecuteAsync(await host.Create<AttestationPage>().ShowAttestations(request, CancellationToken.None), request);

    private static async Task<HttpAnswer> PostAsync(SweepHost host, HttpRequest request) =>
        await HttpCalls.ExecuteAsync(await host.Create<AttestationPage>().RecordAttestation(request, CancellationToken.None), request);
}
