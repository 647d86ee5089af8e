using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static IntuneBanSync.Functions.Tests.SelfAttestation.Attesters;

namespace IntuneBanSync.Functions.Tests.SelfAttestation;

/// <summary>
/// The attestation page in headless Chromium, served over HTTP from the function classes behind a stand-in for App Service
/// Authentication, over the simulated tenant and Azurite. Each browser context is one signed-in user.
/// </summary>
public sealed class AttestationBrowserTests(AzuriteFixture azurite, TenantFixture fixture, BrowserFixture browser)
    : SimulatedTenantTests(azurite, fixture), IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
            await context.DisposeAsync();
    }

    [ChromiumFact]
    public async Task Signed_in_user_sees_only_their_own_devices_attests_one_and_the_journal_shows_it()
    {
        await using var host = await StartHostAsync();
        await using var web = await AttestationWebHost.StartAsync(host, Tenant);
        var user = WithCoveredDevices(Tenant, 2);
        var mine = CoveredDevicesOf(Tenant, user.Id).Select(d => d.Id).ToList();
        var page = await OpenAsync(web, user, "en-GB");

        var offered = await page.Locator("input[name=device]").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");
        var button = page.Locator($"form:has(input[name=device][value='{mine[0]}']) button");
        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("p[role=status]");

        Assert.Equal(mine.Order(), offered.Order());
        Assert.Equal("Thank you", await page.Locator("h1").InnerTextAsync());
        var attested = Assert.Single(await host.Attestations.ListAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None));
        Assert.Equal((mine[0], user.Id), (attested.Key, attested.Value.UserId));
        var request = HttpCalls.Get().As(AppRoles.Helpdesk);
        var view = await HttpCalls.ExecuteAsync(await host.Create<GetDevice>().Run(request, mine[0], CancellationToken.None), request);
        Assert.Equal(user.Id, Assert.Single(view.Body.GetProperty("attestations").EnumerateArray()).GetProperty("userId").GetString());
    }

    [ChromiumFact]
    public async Task Another_users_device_cannot_be_attested()
    {
        await using var host = await StartHostAsync();
        await using var web = await AttestationWebHost.StartAsync(host, Tenant);
        var user = WithCoveredDevices(Tenant, 1);
        var theirs = CoveredDevicesOf(Tenant, WithCoveredDevices(Tenant, 1, except: user).Id)[0].Id;
        var page = await OpenAsync(web, user, "en-GB");
        // The form rewritten to name their device, with a token valid for it: what stops it is the device's user, read again from Graph.
        var token = host.Services.GetRequiredService<AttestationTokens>().Issue(FunctionHost.Tenant, user.Id, theirs, "tiktok");
        await page.Locator("form").First.EvaluateAsync(
            "(form, [device, token]) => { form.elements.device.value = device; form.elements.token.value = token; }", new[] { theirs, token });

        var response = await page.RunAndWaitForResponseAsync(() => page.Locator("form button").First.ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal(403, response.Status);
        Assert.Equal("You cannot confirm this", await page.Locator("h1").InnerTextAsync());
        Assert.Empty(await host.Attestations.ListAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None));
    }

    [ChromiumFact]
    public async Task Post_without_the_antiforgery_token_is_refused()
    {
        await using var host = await StartHostAsync();
        await using var web = await AttestationWebHost.StartAsync(host, Tenant);
        var user = WithCoveredDevices(Tenant, 1);
        var page = await OpenAsync(web, user, "en-GB");
        await page.Locator("form").First.EvaluateAsync("form => form.elements.token.remove()");

        var response = await page.RunAndWaitForResponseAsync(() => page.Locator("form button").First.ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal(400, response.Status);
        Assert.Empty(await host.Attestations.ListAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None));
    }

    [ChromiumFact]
    public async Task Page_renders_in_french_and_in_dutch()
    {
        await using var host = await StartHostAsync();
        await using var web = await AttestationWebHost.StartAsync(host, Tenant);
        var user = WithCoveredDevices(Tenant, 1);

        var french = await OpenAsync(web, user, "fr-BE");
        var dutch = await OpenAsync(web, user, "nl-BE");

        Assert.Equal("fr", await french.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Applications interdites sur vos appareils", await french.Locator("h1").InnerTextAsync());
        Assert.Equal("Je l'ai supprimée", await french.Locator("form button").First.InnerTextAsync());
        // The sample ban's deadline is ten days before the tenant's "now", 28 November 2026.
        Assert.Equal("18 novembre 2026", await french.Locator("dd time").First.InnerTextAsync());
        Assert.Equal("nl", await dutch.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Verboden apps op uw apparaten", await dutch.Locator("h1").InnerTextAsync());
        Assert.Equal("Ik heb de app verwijderd", await dutch.Locator("form button").First.InnerTextAsync());
    }

    [ChromiumFact]
    public async Task Axe_finds_no_serious_or_critical_violation_on_the_list_the_confirmation_and_an_error()
    {
        await using var host = await StartHostAsync();
        await using var web = await AttestationWebHost.StartAsync(host, Tenant);
        var user = WithCoveredDevices(Tenant, 2);
        var list = await OpenAsync(web, user, "fr-BE");
        var listed = await SeriousViolationsAsync(list);
        await list.Locator("form button").First.ClickAsync();
        await list.WaitForSelectorAsync("p[role=status]");
        var confirmed = await SeriousViolationsAsync(list);
        var error = await OpenAsync(web, user, "nl-BE", "?tenant=fabrikam");

        var failed = await SeriousViolationsAsync(error);

        Assert.Empty(listed);
        Assert.Empty(confirmed);
        Assert.Empty(failed);
    }

    [ChromiumFact]
    public async Task Skip_link_is_the_first_stop_of_the_keyboard_and_leads_to_the_main_content()
    {
        await using var host = await StartHostAsync();
        await using var web = await AttestationWebHost.StartAsync(host, Tenant);
        var page = await OpenAsync(web, WithCoveredDevices(Tenant, 1), "de-DE");

        await page.Keyboard.PressAsync("Tab");
        var first = await page.EvaluateAsync<string>("() => document.activeElement.textContent");
        await page.Keyboard.PressAsync("Enter");

        Assert.Equal("Zum Hauptinhalt springen", first);
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));
    }

    /// <summary>A new browser context signed in as <paramref name="user"/>, in <paramref name="locale"/> (its Accept-Language), on the page.</summary>
    private async Task<IPage> OpenAsync(AttestationWebHost web, User user, string locale, string query = "")
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            ExtraHTTPHeaders = new Dictionary<string, string> { [AttestationWebHost.TestUserHeader] = user.Id },
        });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync(web.Address + query);
        return page;
    }

    private static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        return [.. result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id} ({v.Impact}): {v.Help}")];
    }
}
