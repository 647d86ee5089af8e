using Microsoft.Graph;
using IntuneBanSync.Graph;

namespace IntuneBanSync.Enforcement;

/// <summary><see cref="IEnforcementGraph"/> over the Microsoft Graph SDK.</summary>
public sealed class GraphEnforcement(GraphServiceClient client, GraphOptions options) : IEnforcementGraph
{
    private readonly GraphServiceClient _client = client;
    private readonly GraphOptions _options = options;

    public Task<IReadOnlyList<CatalogApp>> CatalogAppsAsync(CatalogAppKind kind, CancellationToken ct) => throw new NotImplementedException();
    public Task<CatalogApp> CreateCatalogAppAsync(CatalogAppKind kind, string displayName, string identifier, CancellationToken ct) => throw new NotImplementedException();
    public Task<IReadOnlyList<AppAssignmentInfo>> AssignmentsAsync(string appId, CancellationToken ct) => throw new NotImplementedException();
    public Task<AppAssignmentInfo> AddGroupAssignmentAsync(string appId, string groupId, string intent, CancellationToken ct) => throw new NotImplementedException();
    public Task<bool> DeleteAssignmentAsync(string appId, string assignmentId, CancellationToken ct) => throw new NotImplementedException();
    public Task<string?> FindGroupByNameAsync(string displayName, CancellationToken ct) => throw new NotImplementedException();
    public Task<string> CreateSecurityGroupAsync(string displayName, string description, CancellationToken ct) => throw new NotImplementedException();
    public Task<IReadOnlySet<string>> DirectMemberIdsAsync(string groupId, CancellationToken ct) => throw new NotImplementedException();
    public Task<IReadOnlyDictionary<string, MemberChange>> AddMembersAsync(string groupId, IReadOnlyList<string> objectIds, CancellationToken ct) => throw new NotImplementedException();
    public Task<MemberChange> RemoveMemberAsync(string groupId, string objectId, CancellationToken ct) => throw new NotImplementedException();
    public Task<string?> EntraDeviceObjectIdAsync(string azureAdDeviceId, CancellationToken ct) => throw new NotImplementedException();
    public Task SyncDeviceAsync(string managedDeviceId, CancellationToken ct) => throw new NotImplementedException();
}
