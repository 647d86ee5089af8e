using IntuneBanSync.BanList;
using IntuneBanSync.Graph;
using IntuneBanSync.IntegrationTests.Infrastructure;
using IntuneBanSync.Journal;
using IntuneBanSync.Sweeps;
using IntuneBanSync.TenantSimulator;
using Microsoft.Extensions.Time.Testing;

namespace IntuneBanSync.IntegrationTests.Sweeps;

/// <summary>A simulated tenant, a journal in its own Azurite tables, and the real engine between them.</summary>
internal sealed class SweepHarness(SimulatedTenant tenant, AzuriteFixture azurite, TenantSeed seed) : IAsyncDisposable
{
    public SimulatedTenant Tenant { get; } = tenant;

    public TenantSeed Seed { get; } = seed;

    public string TablePrefix { get; } = azurite.NewTablePrefix();

    public FakeTimeProvider Clock { get; } = new(seed.Now);

    public JournalStore Journal => new(azurite.CreateTableService(), TablePrefix);

    public GraphOptions GraphOptions => new() { BaseUrl = Tenant.GraphUrl, RetryDelaySeconds = 0, MaxRetry = 10 };

    public static async Task<SweepHarness> StartAsync(AzuriteFixture azurite, TenantSeed? seed = null)
    {
        var tenantSeed = seed ?? TenantSeed.Small;
        var tenant = await SimulatedTenant.StartAsync(tenantSeed, new SimulatorOptions { TimeFactor = 0.01 });
        return new SweepHarness(tenant, azurite, tenantSeed);
    }

    public SweepEngine Engine(GraphOptions? options = null)
    {
        return SweepEngine.Over(options ?? GraphOptions, Journal, Clock);
    }

    public Task<Reports.SweepReport> SweepAsync(BanListDocument banList, SweepTarget? target = null) =>
        Engine().RunAsync(new SweepRequest(banList, "contoso", "test", target ?? SweepTarget.WholeTenant), null, CancellationToken.None);

    /// <summary>The TikTok ban of DESIGN.md: police excluded, one exemption group, uninstall deadline ten days past.</summary>
    public string TikTokBanJson(string enforcement = "report") => SampleBanList.TikTok(Tenant.State, Seed.Now, enforcement);

    public BanListDocument TikTokBan() => BanListParser.Parse(TikTokBanJson()).Document!;

    public string WriteBanList(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ibs-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    public ValueTask DisposeAsync() => Tenant.DisposeAsync();
}
