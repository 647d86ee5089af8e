using IntuneBanSync.Planning;
using IntuneBanSync.Sweeps;

namespace IntuneBanSync.Scope;

/// <summary>
/// Reads the groups a ban list names, as far as the sweep's devices are concerned: the whole tenant reads each group's
/// transitive members once; a user's or a device's sweep asks Graph which of the groups its objects belong to. A group that
/// cannot be read answers <see cref="Membership.Unknown"/>, never "not a member".
/// </summary>
public interface IScopeReader
{
    Task<GroupDirectory> ReadAsync(IReadOnlySet<string> groupIds, IProgress<SweepProgress>? progress, CancellationToken ct);
}

public static class ScopeReader
{
    /// <param name="targets">The sweep's devices when they are few, or null for the whole tenant.</param>
    public static IScopeReader For(IReadOnlyList<DeviceRecord>? targets, IIntuneGraph graph, InventoryCoverage coverage, SweepTrace trace) =>
        targets is null ? new TransitiveMembersScope(graph, coverage, trace) : new MemberGroupsScope(graph, targets, coverage, trace);
}

/// <summary>Transitive members of every group, read once per sweep.</summary>
public sealed class TransitiveMembersScope(IIntuneGraph graph, InventoryCoverage coverage, SweepTrace trace) : IScopeReader
{
    public async Task<GroupDirectory> ReadAsync(IReadOnlySet<string> groupIds, IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        var members = new List<GroupMembers>();
        var unreadable = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in groupIds)
        {
            try
            {
                members.Add(await graph.TransitiveMembersAsync(group, ct));
            }
            catch (GraphReadException e)
            {
                trace.ReadFailed(e);
                unreadable[group] = e.Message;
                coverage.Problems.Add(e.Message);
            }

            progress?.Report(new SweepProgress(SweepPhase.ReadingScopeGroups, members.Count + unreadable.Count, groupIds.Count));
        }

        return new GroupDirectory(members, unreadable);
    }
}

/// <summary>checkMemberGroups per user and per Entra device: a handful of requests, whatever the tenant's size.</summary>
public sealed class MemberGroupsScope(IIntuneGraph graph, IReadOnlyList<DeviceRecord> devices, InventoryCoverage coverage, SweepTrace trace) : IScopeReader
{
    public async Task<GroupDirectory> ReadAsync(IReadOnlySet<string> groupIds, IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        var groups = groupIds.ToList();
        var users = groups.ToDictionary(g => g, _ => new HashSet<string>(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        var entraDevices = groups.ToDictionary(g => g, _ => new HashSet<string>(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        if (groups.Count > 0)
        {
            try
            {
                foreach (var userId in devices.Select(d => d.UserId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
                    foreach (var group in await graph.GroupsOfUserAsync(userId, groups, ct))
                        users[group].Add(userId);
                foreach (var entraId in devices.Select(d => d.AzureAdDeviceId).Where(id => Guid.TryParse(id, out var g) && g != Guid.Empty).OfType<string>())
                    foreach (var group in await graph.GroupsOfDeviceAsync(entraId, groups, ct))
                        entraDevices[group].Add(entraId);
            }
            catch (GraphReadException e)
            {
                trace.ReadFailed(e);
                coverage.Problems.Add(e.Message);
                return new GroupDirectory([], groups.ToDictionary(g => g, _ => e.Message, StringComparer.OrdinalIgnoreCase));
            }
        }

        return new GroupDirectory(groups.Select(g => new GroupMembers(g, users[g], entraDevices[g])), new Dictionary<string, string>());
    }
}
