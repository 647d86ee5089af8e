using System.Collections.Concurrent;
using Azure.Core;
using Azure.Identity;
using IntuneBanSync.Enforcement;
using IntuneBanSync.Graph;
using IntuneBanSync.Journal;
using IntuneBanSync.Sweeps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntuneBanSync.Functions.Composition;

/// <summary>The tenants of this deployment, each with its own Graph client and credential, sharing the journal and the locks.</summary>
public sealed class TenantSweeps(
    IOptions<IntuneBanSyncOptions> options, IOptions<GraphOptions> graph, SweepSettings settings, TokenCredential credential,
    JournalStore journal, TenantLocks locks, TimeProvider time, ILoggerFactory loggers)
{
    private static readonly string[] TokenExchange = ["api://AzureADTokenExchange/.default"];
    private readonly ConcurrentDictionary<string, LockedSweeps> _sweeps = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Names => [.. options.Value.AllTenants.Select(t => t.Name)];

    public string Default => options.Value.Tenant;

    public bool Exists(string name) => options.Value.AllTenants.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    public LockedSweeps For(string name) => _sweeps.GetOrAdd(name, Create);

    private LockedSweeps Create(string name)
    {
        var tenant = options.Value.AllTenants.Single(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
        var shared = graph.Value;
        var graphOptions = new GraphOptions
        {
            BaseUrl = tenant.GraphBaseUrl ?? shared.BaseUrl,
            MaxRetry = shared.MaxRetry,
            RetryDelaySeconds = shared.RetryDelaySeconds,
            TimeoutSeconds = shared.TimeoutSeconds,
            DevicePageSize = shared.DevicePageSize,
        };
        var client = GraphClientBuilder.Create(graphOptions, CredentialFor(tenant));
        var engine = new SweepEngine(
            new GraphIntune(client, graphOptions), Mechanisms.Over(client, graphOptions), journal, time, settings, loggers.CreateLogger<SweepEngine>());
        return new LockedSweeps(engine, locks, time);
    }

    private TokenCredential CredentialFor(TenantOptions tenant) =>
        tenant.ClientId is { } clientId
            ? new ClientAssertionCredential(
                tenant.TenantId!, clientId,
                async ct => (await credential.GetTokenAsync(new TokenRequestContext(TokenExchange), ct)).Token)
            : credential;
}
