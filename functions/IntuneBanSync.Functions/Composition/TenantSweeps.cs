using System.Collections.Concurrent;
using Azure.Core;
using Azure.Identity;
using IntuneBanSync.Enforcement;
using IntuneBanSync.Functions.Security;
using IntuneBanSync.Graph;
using IntuneBanSync.Inventory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntuneBanSync.Functions.Composition;

/// <summary>
/// The tenants of this deployment, each with its own Graph client and credential, sharing the journal and the locks.
/// Tenants are known by their canonical name (<see cref="TenantName.Canonical"/>): every name asked for is resolved to it first.
/// </summary>
public sealed class TenantSweeps(
    IOptions<IntuneBanSyncOptions> options, IOptions<GraphOptions> graph, SweepSettings settings, TokenCredential credential,
    JournalStore journal, TenantLocks locks, TimeProvider time, ILoggerFactory loggers)
{
    private static readonly string[] TokenExchange = ["api://AzureADTokenExchange/.default"];
    private readonly ConcurrentDictionary<string, LockedSweeps> _sweeps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TenantGraph> _graphs = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Names => [.. options.Value.AllTenants.Select(t => TenantName.Canonical(t.Name))];

    public string Default => TenantName.Canonical(options.Value.Tenant);

    /// <summary>The tenant's canonical name, or null when <paramref name="name"/> is not a tenant of this deployment.</summary>
    public string? Find(string? name) =>
        TenantName.IsValid(name) && Tenant(name) is { } tenant ? TenantName.Canonical(tenant.Name) : null;

    /// <summary>The tenant as an authorization decision sees it; null when it is not a tenant of this deployment.</summary>
    public TenantScope? Scope(string? name) =>
        TenantName.IsValid(name) && Tenant(name) is { } tenant
            ? new TenantScope(TenantName.Canonical(tenant.Name), tenant.DeploymentRolesAllowed ?? options.Value.AllTenants.Count == 1)
            : null;

    public LockedSweeps For(string name) => _sweeps.GetOrAdd(Resolve(name), Create);

    /// <summary>What the engine asks the tenant's Graph, over the same client its sweeps use: the attestation page reads a user's devices with it.</summary>
    public IIntuneGraph GraphFor(string name)
    {
        var graph = Graph(Resolve(name));
        return new GraphIntune(graph.Client, graph.Options);
    }

    private string Resolve(string name) => Find(name) ?? throw new ArgumentException($"'{name}' is not a tenant of this deployment.", nameof(name));

    /// <summary>The shared Graph options, with the tenant's own base URL where it has one: copied whole, so no option is lost.</summary>
    internal GraphOptions GraphOptionsFor(string name)
    {
        var tenant = Tenant(name) ?? throw new ArgumentException($"'{name}' is not a tenant of this deployment.", nameof(name));
        return graph.Value with { BaseUrl = tenant.GraphBaseUrl ?? graph.Value.BaseUrl };
    }

    private TenantOptions? Tenant(string name) => options.Value.AllTenants.FirstOrDefault(t => TenantName.Same(t.Name, name));

    /// <summary>The self-check of one tenant: its token's roles against the permission manifest.</summary>
    public Task<PermissionCheck> CheckPermissionsAsync(string name, CancellationToken ct) => Graph(Resolve(name)).Probe().CheckAsync(ct);

    /// <summary>One credential and one client per tenant, shared by its sweeps, its permission probe and the attestation page's reads.</summary>
    private TenantGraph Graph(string name) =>
        _graphs.GetOrAdd(name, tenant =>
        {
            var graphOptions = GraphOptionsFor(tenant);
            var token = GraphClientBuilder.CredentialFor(new Uri(graphOptions.BaseUrl), CredentialFor(Tenant(tenant)!));
            return new TenantGraph(graphOptions, token, GraphClientBuilder.Create(graphOptions, token));
        });

    private LockedSweeps Create(string name)
    {
        var graph = Graph(name);
        var engine = new SweepEngine(
            new GraphIntune(graph.Client, graph.Options), Mechanisms.Over(graph.Client, graph.Options), journal, time, settings, loggers.CreateLogger<SweepEngine>(),
            graph.Probe(), new GraphExportJobs(new GraphJson(graph.Client, graph.Options)));
        return new LockedSweeps(engine, locks, time);
    }

    private sealed record TenantGraph(GraphOptions Options, TokenCredential Token, Microsoft.Graph.GraphServiceClient Client)
    {
        public PermissionProbe Probe() => new(Token, new Uri(Options.BaseUrl), Mechanisms.Permissions);
    }

    private TokenCredential CredentialFor(TenantOptions tenant) =>
        tenant.ClientId is { } clientId
            ? new ClientAssertionCredential(
                tenant.TenantId!, clientId,
                async ct => (await credential.GetTokenAsync(new TokenRequestContext(TokenExchange), ct)).Token)
            : credential;
}
