namespace IntuneBanSync.IntegrationTests.Sweeps;

/// <summary>A simulated tenant, a journal in its own Azurite tables, and the real engine between them.</summary>
internal sealed class SweepHarness(SimulatedTenant tenant, AzuriteFixture azurite, TenantSeed seed, FakeTimeProvider clock) : IAsyncDisposable
{
    public SimulatedTenant Tenant { get; } = tenant;

    public TenantSeed Seed { get; } = seed;

    public string TablePrefix { get; } = azurite.NewTablePrefix();

    /// <summary>The engine's and the simulated tenant's clock (check-ins stamp their last sync with it).</summary>
    public FakeTimeProvider Clock { get; } = clock;

    public JournalStore Journal => new(azurite.CreateTableService(), TablePrefix);

    // Paced over the simulator's window (20 s × its time factor of 0.01), as a real sweep is over Intune's 20 s.
    public GraphOptions GraphOptions => new() { BaseUrl = Tenant.GraphUrl, RetryDelaySeconds = 0, MaxRetry = 10, PacingWindowSeconds = 0.2 };

    /// <param name="simulator">Changes to the simulated tenant's options (its lags, its managed Google Play binding, …).</param>
    public static async Task<SweepHarness> StartAsync(
        AzuriteFixture azurite, TenantSeed? seed = null, TimeSpan? latency = null, Func<SimulatorOptions, SimulatorOptions>? simulator = null)
    {
        var tenantSeed = seed ?? TenantSeed.Small;
        var clock = new FakeTimeProvider(tenantSeed.Now);
        var options = new SimulatorOptions { TimeFactor = 0.01, TimeProvider = clock, Latency = latency ?? TimeSpan.Zero };
        var tenant = await SimulatedTenant.StartAsync(tenantSeed, simulator?.Invoke(options) ?? options);
        return new SweepHarness(tenant, azurite, tenantSeed, clock);
    }

    public SweepEngine Engine(GraphOptions? options = null, HttpMessageHandler? finalHandler = null, IReadOnlyList<IEnforcementMechanism>? mechanisms = null) =>
        SweepEngine.Over(options ?? GraphOptions, Journal, Clock, finalHandler: finalHandler, mechanisms: mechanisms);

    public Task<Reports.SweepReport> SweepAsync(BanListDocument banList, SweepTarget? target = null) =>
        Engine().RunAsync(new SweepRequest(banList, "contoso", "test", target ?? SweepTarget.WholeTenant), null, CancellationToken.None);

    /// <param name="finalHandler">A <see cref="WriteRecorder"/> runs the sweep under its host's token, which its crash cancels.</param>
    public Task<Reports.SweepReport> EnforceAsync(BanListDocument banList, HttpMessageHandler? finalHandler = null, bool overrideBlastRadius = false) =>
        Engine(finalHandler: finalHandler).RunAsync(
            new SweepRequest(banList, "contoso", "test", SweepTarget.WholeTenant, EnforcementMode.Enforce, OverrideBlastRadius: overrideBlastRadius),
            null, (finalHandler as WriteRecorder)?.Host ?? CancellationToken.None);

    /// <summary>The TikTok ban, enforced over the whole tenant.</summary>
    public SweepRequest EnforceRequest() => new(EnforceBan(), "contoso", "test", SweepTarget.WholeTenant, EnforcementMode.Enforce);

    /// <summary>Enforces the TikTok ban with a token holding every permission of the manifest but one, which the engine sees missing.</summary>
    /// <param name="only">The one mechanism to run, over a client with that token; null runs them all.</param>
    public Task<Reports.SweepReport> EnforceWithoutAsync(GraphPermission missing, Func<Microsoft.Graph.GraphServiceClient, IEnforcementMechanism>? only = null)
    {
        var token = SimulatorGraph.AllPermissionsBut(missing);
        IReadOnlyList<IEnforcementMechanism>? mechanisms = only is null ? null : [only(GraphClientBuilder.Create(GraphOptions, token))];
        return SweepEngine.Over(GraphOptions, Journal, Clock, mechanisms: mechanisms, credential: token).RunAsync(EnforceRequest(), null, CancellationToken.None);
    }

    /// <summary>
    /// Enforces the TikTok ban with a token lacking one permission and an engine that cannot read its token's roles (no self-check),
    /// so Graph itself answers 403.
    /// </summary>
    public Task<Reports.SweepReport> EnforceRefusedAsync(GraphPermission missing)
    {
        var client = GraphClientBuilder.Create(GraphOptions, SimulatorGraph.AllPermissionsBut(missing));
        var engine = new SweepEngine(
            new GraphIntune(client, GraphOptions), Mechanisms.Over(client, GraphOptions), Journal, Clock,
            new SweepSettings(), NullLogger<SweepEngine>.Instance, permissions: null);
        return engine.RunAsync(EnforceRequest(), null, CancellationToken.None);
    }

    /// <summary>Asserts that enforcement of the report's one ban stopped saying <paramref name="said"/> and naming the permission; answers what it said.</summary>
    public static string AssertStopped(Reports.SweepReport report, string said, GraphPermission permission)
    {
        var stopped = report.Bans.Single().Enforcement!.Stopped;
        Assert.Contains(said, stopped, StringComparison.Ordinal);
        Assert.Contains(permission.Name, stopped, StringComparison.Ordinal);
        return stopped!;
    }

    /// <summary>An hour on, the device (or every device) checks in; an hour later the sweep may run again.</summary>
    public CheckInResult CheckInAnHourOn(string? deviceId = null)
    {
        Clock.Advance(TimeSpan.FromHours(1));
        var result = deviceId is null ? Tenant.CheckInAll() : Tenant.CheckIn(deviceId);
        Clock.Advance(TimeSpan.FromHours(1));
        return result;
    }

    /// <summary>The TikTok ban of DESIGN.md: police excluded, one exemption group, uninstall deadline ten days past.</summary>
    public string TikTokBanJson(string enforcement = "report") => SampleBanList.TikTok(Tenant.State, Seed.Now, enforcement);

    public BanListDocument TikTokBan() => BanListParser.Parse(TikTokBanJson()).Document!;

    /// <summary>The same ban in enforce mode, optionally with a blastRadius object.</summary>
    public BanListDocument EnforceBan(string? blastRadius = null)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(TikTokBanJson("enforce"))!;
        if (blastRadius is not null)
            json["bans"]![0]!["blastRadius"] = System.Text.Json.Nodes.JsonNode.Parse(blastRadius);
        var parsed = BanListParser.Parse(json.ToJsonString());
        return parsed.Document ?? throw new InvalidOperationException(string.Join("; ", parsed.Errors));
    }

    public string WriteBanList(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ibs-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    public ValueTask DisposeAsync() => Tenant.DisposeAsync();
}
