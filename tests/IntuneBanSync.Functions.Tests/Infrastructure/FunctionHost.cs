using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace IntuneBanSync.Functions.Tests.Infrastructure;

/// <summary>A plain host composed the way Program.cs composes the Function App, from in-memory settings only.</summary>
internal static class FunctionHost
{
    public const string Tenant = "contoso";

    /// <summary>Settings that start the host; tests override or remove one at a time.</summary>
    public static Dictionary<string, string?> ValidSettings() => new()
    {
        ["IntuneBanSync:Tenant"] = Tenant,
        ["IntuneBanSync:BanListPath"] = "banlist.json",
        ["IntuneBanSync:Schedule"] = "0 0 */4 * * *",
        ["IntuneBanSync:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
    };

    public static HostApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();

        // Environment variables and appsettings of the machine running the tests must not decide the outcome.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();

        builder.Services.AddIntuneBanSync();
        return builder;
    }
}
