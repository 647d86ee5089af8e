using IntuneBanSync.Journal;
using IntuneBanSync.TenantSimulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace IntuneBanSync.Functions.Tests.Infrastructure;

/// <summary>
/// A started Function App host over a simulated tenant and Azurite, in its own tables, with a ban list on TikTok
/// whose uninstall deadline has passed at the tenant's "now", which is also the host's clock.
/// </summary>
internal sealed class SweepHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly DirectoryInfo _folder;

    private SweepHost(IHost host, DirectoryInfo folder)
    {
        _host = host;
        _folder = folder;
    }

    public IServiceProvider Services => _host.Services;

    public JournalStore Journal => _host.Services.GetRequiredService<JournalStore>();

    public T Create<T>() => ActivatorUtilities.CreateInstance<T>(_host.Services);

    public static async Task<SweepHost> StartAsync(SimulatedTenant tenant, AzuriteFixture azurite, TenantSeed seed)
    {
        var folder = Directory.CreateTempSubdirectory("ibs-functests-");
        var banList = Path.Combine(folder.FullName, "banlist.json");
        await File.WriteAllTextAsync(banList, SampleBanList.TikTok(tenant.State, seed.Now));

        var settings = FunctionHost.ValidSettings();
        settings["IntuneBanSync:BanListPath"] = banList;
        settings["IntuneBanSync:Graph:BaseUrl"] = tenant.GraphUrl;
        settings["IntuneBanSync:Graph:RetryDelaySeconds"] = "0";
        settings["IntuneBanSync:Storage:ConnectionString"] = azurite.ConnectionString;
        settings["IntuneBanSync:Storage:TablePrefix"] = AzuriteFixture.NewTablePrefix();
        var builder = FunctionHost.CreateBuilder(settings);
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(seed.Now));

        var host = builder.Build();
        await host.StartAsync();
        return new SweepHost(host, folder);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        if (_host is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
        else
            _host.Dispose();
        _folder.Delete(recursive: true);
    }
}
