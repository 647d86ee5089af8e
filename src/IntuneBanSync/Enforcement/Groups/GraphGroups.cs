using Microsoft.Graph.Models;

namespace IntuneBanSync.Enforcement.Groups;

/// <summary><see cref="IGroupGraph"/> over the Microsoft Graph SDK.</summary>
public sealed class GraphGroups(GraphServiceClient client, GraphOptions options) : IGroupGraph
{
    private const int MaxBindsPerPatch = 20;

    private readonly string _graphUrl = options.BaseUrl.TrimEnd('/');

    private readonly GraphBatch _batch = new(new GraphJson(client, options));

    public async Task<string?> FindGroupByNameAsync(string displayName, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);

        var filter = $"displayName eq {ODataFilter.Quote(displayName)}";
        var groups = await GraphCalls.ReadAllAsync(
            $"the group named {displayName}",
            () => client.Groups.GetAsync(
                r =>
                {
                    r.QueryParameters.Filter = filter;
                    r.QueryParameters.Select = ["id", "displayName", "securityEnabled"];
                },
                ct),
            next => client.Groups.WithUrl(next).GetAsync(cancellationToken: ct),
            page => (page?.Value, page?.OdataNextLink),
            group => group,
            ct);

        // Graph compares display names without regard to case; the contract asks for this exact name.
        return groups.FirstOrDefault(g => g.SecurityEnabled != false && string.Equals(g.DisplayName, displayName, StringComparison.Ordinal))?.Id;
    }

    public async Task<string> CreateSecurityGroupAsync(string displayName, string description, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);

        var what = $"create the security group {displayName}";
        var group = new Group
        {
            DisplayName = displayName,
            Description = description,
            MailEnabled = false,
            MailNickname = MailNickname(displayName),
            SecurityEnabled = true,
        };
        var created = await GraphCalls.WriteAsync(what, () => client.Groups.PostAsync(group, cancellationToken: ct), ct);
        return created?.Id ?? throw new GraphWriteException(what, null, new InvalidOperationException("Graph answered without the created group."));
    }

    public async Task<IReadOnlySet<string>> DirectMemberIdsAsync(string groupId, CancellationToken ct)
    {
        var ids = await GraphCalls.ReadAllAsync(
            $"the members of group {groupId}",
            () => client.Groups[groupId].Members.GetAsync(
                r =>
                {
                    r.QueryParameters.Select = ["id"];
                    r.QueryParameters.Top = GraphIntune.DirectoryMaxTop;
                },
                ct),
            next => client.Groups[groupId].Members.WithUrl(next).GetAsync(cancellationToken: ct),
            page => (page?.Value, page?.OdataNextLink),
            member => member.Id,
            ct);
        return ids.OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public async Task<IReadOnlyDictionary<string, MemberChange>> AddMembersAsync(string groupId, IReadOnlyList<string> objectIds, CancellationToken ct)
    {
        var results = new Dictionary<string, MemberChange>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in objectIds.Distinct(StringComparer.OrdinalIgnoreCase).Chunk(MaxBindsPerPatch))
        {
            var outcome = await BindMembersAsync(groupId, chunk, ct);
            if (outcome is { Status: 404 } && await GroupIsMissingAsync(groupId, ct) is { } missing)
            {
                foreach (var objectId in chunk)
                    results[objectId] = missing;
            }
            else if (outcome is { Status: 400 or 404 })
            {
                // One bad entry makes Graph add none of the chunk: add each alone to learn which one it was.
                foreach (var objectId in chunk)
                    results[objectId] = await AddMemberAsync(groupId, objectId, ct);
            }
            else
            {
                var change = outcome is null ? MemberChange.Done : new MemberChange(MemberOutcome.Failed, outcome.Message);
                foreach (var objectId in chunk)
                    results[objectId] = change;
            }
        }

        return results;
    }

    public async Task<MemberChange> RemoveMemberAsync(string groupId, string objectId, CancellationToken ct)
    {
        try
        {
            await client.Groups[groupId].Members[objectId].Ref.DeleteAsync(cancellationToken: ct);
            return MemberChange.Done;
        }
        catch (Exception e) when (GraphCalls.IsFailure(e, ct))
        {
            return GraphCalls.StatusOf(e) == 404 ? MemberChange.AlreadyDone : new MemberChange(MemberOutcome.Failed, GraphCalls.Detail(e));
        }
    }

    /// <summary>15 device ids a request (<c>devices?$filter=deviceId eq '…' or …</c>), 20 requests a batch: 300 devices a round trip, not one GET each.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EntraDeviceObjectIdsAsync(IReadOnlyCollection<string> azureAdDeviceIds, CancellationToken ct)
    {
        var ids = azureAdDeviceIds.Select(id => ODataFilter.Guid(id, "azureADDeviceId")).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (ids.Count == 0)
            return found;
        foreach (var device in await _batch.FindInAsync($"the Entra objects of {ids.Count} devices", "devices", v => ODataFilter.AnyEquals("deviceId", v), ids, "id,deviceId", ct))
        {
            if (device.TryGetProperty("deviceId", out var deviceId) && deviceId.GetString() is { Length: > 0 } entraId
                && device.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } objectId)
                found[entraId] = objectId;
        }

        return found;
    }

    /// <summary>
    /// A PATCH answers 404 both for a missing member and for a missing group: the group is asked for itself. Null when it is there
    /// (so a member is missing); otherwise why the group was not found.
    /// </summary>
    private async Task<MemberChange?> GroupIsMissingAsync(string groupId, CancellationToken ct)
    {
        try
        {
            await client.Groups[groupId].GetAsync(r => r.QueryParameters.Select = ["id"], ct);
            return null;
        }
        catch (Exception e) when (GraphCalls.IsFailure(e, ct))
        {
            return GraphCalls.StatusOf(e) == 404
                ? new MemberChange(MemberOutcome.GroupNotFound, GraphCalls.Detail(e))
                : new MemberChange(MemberOutcome.Failed, GraphCalls.Detail(e));
        }
    }

    /// <summary>Null when Graph added the whole chunk; otherwise the refusal.</summary>
    private async Task<BindRefusal?> BindMembersAsync(string groupId, string[] objectIds, CancellationToken ct)
    {
        var patch = new Group
        {
            AdditionalData = new Dictionary<string, object>
            {
                ["members@odata.bind"] = objectIds.Select(DirectoryObjectUrl).ToList(),
            },
        };
        try
        {
            await client.Groups[groupId].PatchAsync(patch, cancellationToken: ct);
            return null;
        }
        catch (Exception e) when (GraphCalls.IsFailure(e, ct))
        {
            return new BindRefusal(GraphCalls.StatusOf(e), GraphCalls.Detail(e));
        }
    }

    private async Task<MemberChange> AddMemberAsync(string groupId, string objectId, CancellationToken ct)
    {
        try
        {
            await client.Groups[groupId].Members.Ref.PostAsync(new ReferenceCreate { OdataId = DirectoryObjectUrl(objectId) }, cancellationToken: ct);
            return MemberChange.Done;
        }
        catch (Exception e) when (GraphCalls.IsFailure(e, ct))
        {
            return GraphCalls.StatusOf(e) switch
            {
                400 when GraphCalls.Detail(e).Contains("already exist", StringComparison.OrdinalIgnoreCase) => MemberChange.AlreadyDone,
                404 => new MemberChange(MemberOutcome.NotFound, GraphCalls.Detail(e)),
                _ => new MemberChange(MemberOutcome.Failed, GraphCalls.Detail(e)),
            };
        }
    }

    private string DirectoryObjectUrl(string objectId) => $"{_graphUrl}/directoryObjects/{Uri.EscapeDataString(objectId)}";

    private static string MailNickname(string displayName)
    {
        var slug = new string([.. displayName.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
        var nickname = "ibs-" + (slug.Length > 0 ? slug : "group");
        return nickname.Length <= 56 ? nickname : nickname[..56];
    }

    private sealed record BindRefusal(int? Status, string Message);
}
