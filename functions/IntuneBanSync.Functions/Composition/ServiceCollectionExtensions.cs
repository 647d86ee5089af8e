using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using IntuneBanSync.Enforcement;
using IntuneBanSync.Graph;
using IntuneBanSync.Functions.Sweeps;
using IntuneBanSync.Journal;
using IntuneBanSync.Sweeps;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntuneBanSync.Functions.Composition;

public static class ServiceCollectionExtensions
{
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

    public static IServiceCollection AddIntuneGraph(this IServiceCollection services)
    {
        services.AddSingleton(sp => GraphClientBuilder.Create(sp.GetRequiredService<IOptions<GraphOptions>>().Value, sp.GetRequiredService<TokenCredential>()));
        services.AddSingleton<IIntuneGraph>(sp => new GraphIntune(
            sp.GetRequiredService<Microsoft.Graph.GraphServiceClient>(), sp.GetRequiredService<IOptions<GraphOptions>>().Value));
        services.AddSingleton<IEnforcementGraph>(sp => new GraphEnforcement(
            sp.GetRequiredService<Microsoft.Graph.GraphServiceClient>(), sp.GetRequiredService<IOptions<GraphOptions>>().Value));
        return services;
    }

    public static IServiceCollection AddJournal(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return string.IsNullOrWhiteSpace(storage.ConnectionString)
                ? new TableServiceClient(new Uri(storage.TableServiceUri!), sp.GetRequiredService<TokenCredential>())
                : new TableServiceClient(storage.ConnectionString);
        });
        services.AddSingleton(sp => new JournalStore(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix));
        return services;
    }

    public static IServiceCollection AddSweeps(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SweepSettings>>().Value);
        services.AddSingleton<SweepEngine>();
        services.AddSingleton<BanListSource>();
        services.AddSingleton<SweepRunner>();
        return services;
    }
}
