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
        // Each group's members are an independent read: a few in flight at once, gathered in the ban list's order.
        var groups = groupIds.ToList();
        var read = await graph.ReadEachAsync<string, (GroupMembers? Members, GraphReadException? Failure)>(
            groups,
            async (group, token) =>
            {
                try
                {
                    return (await graph.TransitiveMembersAsync(group, token), null);
                }
                catch (GraphReadException e)
                {
                    return (null, e);
                }
            },
            ct,
            done => progress?.Report(new SweepProgress(SweepPhase.ReadingScopeGroups, done, groups.Count)));

        var members = new List<GroupMembers>();
        var unreadable = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < groups.Count; i++)
        {
            if (read[i].Members is { } found)
            {
                members.Add(found);
            }
            else if (read[i].Failure is { } e)
            {
                trace.ReadFailed(e);
                unreadable[groups[i]] = e.Message;
                coverage.Problems.Add(e.Message);
            }
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
                // Each user's and each Entra device's lookup is independent: a few in flight at once.
                var userIds = devices.Select(d => d.UserId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                var userGroups = await graph.ReadEachAsync(userIds, (user, token) => graph.GroupsOfUserAsync(user, groups, token), ct);
                var entraIds = devices.Select(d => d.AzureAdDeviceId).Where(id => Guid.TryParse(id, out var g) && g != Guid.Empty).OfType<string>().ToList();
                var deviceGroups = await graph.ReadEachAsync(entraIds, (entraId, token) => graph.GroupsOfDeviceAsync(entraId, groups, token), ct);
                for (var i = 0; i < userIds.Count; i++)
                    foreach (var group in userGroups[i])
                        users[group].Add(userIds[i]);
                for (var i = 0; i < entraIds.Count; i++)
                    foreach (var group in deviceGroups[i])
                        entraDevices[group].Add(entraIds[i]);
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
