using System.Text.Json.Nodes;
using IntuneBanSync.BanList;
using IntuneBanSync.Graph;
using IntuneBanSync.IntegrationTests.Infrastructure;
using IntuneBanSync.Journal;
using IntuneBanSync.Sweeps;
using IntuneBanSync.TenantSimulator;
using Microsoft.Extensions.Logging.Abstractions;
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
        var graph = options ?? GraphOptions;
        return new SweepEngine(new GraphIntune(GraphClientBuilder.Create(graph), graph), Journal, Clock, new SweepSettings(), NullLogger<SweepEngine>.Instance);
    }

    public Task<Reports.SweepReport> SweepAsync(BanListDocument banList, SweepTarget? target = null) =>
        Engine().RunAsync(new SweepRequest(banList, "contoso", "test", target ?? SweepTarget.WholeTenant), null, CancellationToken.None);

    /// <summary>The TikTok ban of DESIGN.md: police excluded, one exemption group, uninstall deadline ten days past.</summary>
    public string TikTokBanJson(string enforcement = "report")
    {
        var now = Seed.Now;
        var doc = new JsonObject
        {
            ["version"] = 1,
            ["bans"] = new JsonArray(new JsonObject
            {
                ["id"] = "tiktok",
                ["name"] = "TikTok",
                ["apps"] = new JsonObject
                {
                    ["displayNames"] = new JsonArray("TikTok", "TikTok Lite"),
                    ["ios"] = new JsonArray("com.zhiliaoapp.musically"),
                    ["android"] = new JsonArray("com.zhiliaoapp.musically", "com.zhiliaoapp.musically.go", "com.ss.android.ugc.trill"),
                },
                ["scope"] = new JsonObject
                {
                    ["excludeGroups"] = new JsonArray(Tenant.State.GroupByName("IBS Police").Id),
                    ["ownership"] = new JsonArray("company", "personal"),
                    ["platforms"] = new JsonArray("ios", "android", "windows", "macos"),
                },
                ["effectiveFrom"] = Iso(now.AddDays(-30)),
                ["uninstallBy"] = Iso(now.AddDays(-10)),
                ["expiresOn"] = Iso(now.AddDays(150)),
                ["enforcement"] = enforcement,
            }),
            ["exemptions"] = new JsonArray(new JsonObject
            {
                ["id"] = "comms",
                ["ban"] = "tiktok",
                ["group"] = Tenant.State.GroupByName("IBS TikTok Exemptions").Id,
                ["justification"] = "Official communications accounts",
                ["approvedBy"] = "CISO",
            }),
        };
        return doc.ToJsonString();
    }

    public BanListDocument TikTokBan() => BanListParser.Parse(TikTokBanJson()).Document!;

    public string WriteBanList(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ibs-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    public ValueTask DisposeAsync() => Tenant.DisposeAsync();
}
