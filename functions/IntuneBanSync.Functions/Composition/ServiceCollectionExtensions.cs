using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Identity;
using IntuneBanSync.Enforcement;
using IntuneBanSync.Graph;
using IntuneBanSync.Functions.Security;
using IntuneBanSync.Functions.SelfAttestation;
using IntuneBanSync.Functions.Sweeps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IntuneBanSync.Functions.Composition;

public static class ServiceCollectionExtensions
{
    /// <summary>The app, less what needs a real tenant at start (the permission self-check) and the Functions host's own wiring.</summary>
    public static IServiceCollection AddIntuneBanSync(this IServiceCollection services)
    {
        // Every setting is validated when the host starts: a bad one stops it with the setting's name.
        services.AddIntuneBanSyncOptions();

        // One credential for Graph and storage: managed identity in Azure, developer sign-in locally.
        services.AddAzureCredential();

        // Only Entra principals with an IntuneBanSync app role, vouched for by App Service Authentication, call the HTTP functions.
        services.AddCallerAuthorization();

        // Each tenant's Graph client (over GraphClientFactory's handlers, with its own credential) and sweep engine.
        services.AddTenants();

        // Journal, tenant locks and the stored ban lists, in Table Storage.
        services.AddJournal();

        // Whole-tenant sweeps asked for over HTTP continue from a queue (HTTP calls are cut at 230 s).
        services.AddSweepQueue();

        // The same sweep engine the CLI runs, and the ban list it reads.
        services.AddSweeps();

        // The self-attestation page: any signed-in user confirms removing a banned app from their own device.
        services.AddAttestation();

        // Tables and the sweep queue are created once, when the host starts, not on every request.
        return services.AddStorageSetup();
    }

    public static IServiceCollection AddIntuneBanSyncOptions(this IServiceCollection services)
    {
        services.AddOptions<IntuneBanSyncOptions>().BindConfiguration(IntuneBanSyncOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SweepSettings>().BindConfiguration(SweepSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section);
        return services;
    }

    public static IServiceCollection AddAzureCredential(this IServiceCollection services) =>
        services.AddSingleton<TokenCredential>(sp =>
        {
            var clientId = sp.GetRequiredService<IOptions<IdentityOptions>>().Value.ManagedIdentityClientId;
            return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
        });

    /// <summary>Each tenant's Graph client (its own credential) and engine, behind its lock.</summary>
    public static IServiceCollection AddTenants(this IServiceCollection services) =>
        services.AddSingleton<TenantSweeps>();

    public static IServiceCollection AddJournal(this IServiceCollection services)
    {
        // Replaceable, so a test can watch the requests the app sends.
        services.TryAddSingleton(TableServiceFactory.Options(TableTimeouts.Default));
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var options = sp.GetRequiredService<TableClientOptions>();
            return string.IsNullOrWhiteSpace(storage.ConnectionString)
                ? new TableServiceClient(new Uri(storage.TableServiceUri!), sp.GetRequiredService<TokenCredential>(), options)
                : new TableServiceClient(storage.ConnectionString, options);
        });
        services.AddSingleton(sp => new JournalStore(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix));
        services.AddSingleton(sp => new TenantLocks(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new BanListStore(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix, sp.GetRequiredService<TimeProvider>()));
        // The journal's own store of attestations: the sweep reads the table through it, the page writes it, and it is created once.
        services.AddSingleton(sp => sp.GetRequiredService<JournalStore>().Attestations);
        return services;
    }

    /// <summary>The queue of whole-tenant sweeps asked for over HTTP: the Functions host's own storage, as its queue trigger reads it.</summary>
    public static IServiceCollection AddSweepQueue(this IServiceCollection services)
    {
        // Base64, as the queue trigger reads messages; replaceable, so a test can watch the requests the app sends.
        services.TryAddSingleton(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var options = sp.GetRequiredService<QueueClientOptions>();
            if (configuration["AzureWebJobsStorage"] is { Length: > 0 } connection)
                return new SweepQueue(new QueueClient(connection, SweepQueue.Name, options));
            var serviceUri = configuration["AzureWebJobsStorage:queueServiceUri"]
                ?? (configuration["AzureWebJobsStorage:accountName"] is { Length: > 0 } account ? $"https://{account}.queue.core.windows.net" : null)
                ?? throw new InvalidOperationException("AzureWebJobsStorage is not set: the sweep queue needs the Functions host's storage.");
            return new SweepQueue(new QueueClient(new Uri($"{serviceUri.TrimEnd('/')}/{SweepQueue.Name}"), sp.GetRequiredService<TokenCredential>(), options));
        });
        return services;
    }

    /// <summary>The tables and the queue, created once when the host starts instead of on every request.</summary>
    public static IServiceCollection AddStorageSetup(this IServiceCollection services) =>
        services.AddHostedService<StorageSetup>();

    public static IServiceCollection AddPermissionSelfCheck(this IServiceCollection services) =>
        services.AddHostedService<PermissionSelfCheck>();

    /// <summary>The self-attestation page: its validated settings, its antiforgery tokens, and the engine side it calls.</summary>
    public static IServiceCollection AddAttestation(this IServiceCollection services)
    {
        services.AddOptions<AttestationOptions>().BindConfiguration(AttestationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AttestationTokens>();
        services.AddSingleton<Attestations>();
        return services;
    }

    public static IServiceCollection AddSweeps(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SweepSettings>>().Value);
        services.AddSingleton<BanListSource>();
        services.AddSingleton<SweepRunner>();
        services.AddSingleton<Api.ApiRequest>();
        return services;
    }
}
