using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace IntuneBanSync.Functions.Tests.Infrastructure;

/// <summary>
/// A started Function App host over a simulated tenant and Azurite (tables in its own prefix, the Functions host's
/// queue in Azurite), behind App Service Authentication, with a ban list on TikTok whose uninstall deadline has passed
/// at the tenant's "now", which is also the host's clock.
/// </summary>
internal sealed class SweepHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly DirectoryInfo _folder;
    private readonly string _storage;

    private SweepHost(IHost host, DirectoryInfo folder, string storage, string tablePrefix)
    {
        _host = host;
        _folder = folder;
        _storage = storage;
        TablePrefix = tablePrefix;
    }

    public string TablePrefix { get; }

    public IServiceProvider Services => _host.Services;

    public JournalStore Journal => _host.Services.GetRequiredService<JournalStore>();

    public BanListStore BanLists => _host.Services.GetRequiredService<BanListStore>();

    public AttestationStore Attestations => _host.Services.GetRequiredService<AttestationStore>();

    /// <summary>The key the host signs the attestation page's tokens with (32 bytes, base64).</summary>
    public const string TokenKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    public T Create<T>() => ActivatorUtilities.CreateInstance<T>(_host.Services);

    /// <summary>
    /// <paramref name="configure"/> changes the settings before the host starts (e.g. removes WEBSITE_AUTH_ENABLED, adds tenants);
    /// <paramref name="services"/> replaces services (e.g. the storage clients' options).
    /// </summary>
    public static async Task<SweepHost> StartAsync(
        SimulatedTenant tenant, AzuriteFixture azurite, TenantSeed seed, Action<Dictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? services = null)
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
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        settings[PlatformAuthOptions.Setting] = "True";
        settings["IntuneBanSync:Attestation:TokenKey"] = TokenKey;
        configure?.Invoke(settings);
        var builder = FunctionHost.CreateBuilder(settings);
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(seed.Now));
        services?.Invoke(builder.Services);

        var host = builder.Build();
        await host.StartAsync();
        return new SweepHost(host, folder, azurite.ConnectionString, settings["IntuneBanSync:Storage:TablePrefix"]!);
    }

    /// <summary>Imports the configured ban list into the store, as the first sweep of the tenant would.</summary>
    public async Task<StoredBanList> ImportBanListAsync(string tenant = FunctionHost.Tenant)
    {
        await Services.GetRequiredService<BanListSource>().LoadAsync(tenant, CancellationToken.None);
        return (await BanLists.GetAsync(tenant, CancellationToken.None))!;
    }

    /// <summary>A report sweep of the whole tenant, journaling the state of every device the banned app was seen on.</summary>
    public async Task<SweepRun> RunReportSweepAsync(string tenant = FunctionHost.Tenant)
    {
        var outcome = await Services.GetRequiredService<SweepRunner>()
            .RunAsync(tenant, "test", IntuneBanSync.Sweeps.SweepChoices.WholeTenant(EnforcementMode.Report), "test", null, CancellationToken.None);
        return (await Journal.GetRunAsync(tenant, outcome.Report!.RunId, CancellationToken.None))!;
    }

    /// <summary>The sweep queue as the queue trigger reads it: Azurite's, base64 messages.</summary>
    public QueueClient SweepQueue() =>
        new(_storage, Functions.Sweeps.SweepQueue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>The queued message of <paramref name="runId"/> (other tests' messages may share the queue), removed from the queue.</summary>
    public async Task<QueueMessage> ReceiveQueuedAsync(string runId)
    {
        var queue = SweepQueue();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            QueueMessage[] messages = await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromMinutes(5));
            QueueMessage? found = null;
            foreach (var message in messages)
            {
                if (found is null && message.Body.ToString().Contains(runId, StringComparison.Ordinal))
                {
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    found = message;
                }
                else
                {
                    // Visible again at once, for the test that looks for it.
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                }
            }

            if (found is not null)
                return found;
            if (messages.Length == 0)
                break;
        }

        throw new InvalidOperationException($"No message for run {runId} on the queue {Functions.Sweeps.SweepQueue.Name}.");
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
