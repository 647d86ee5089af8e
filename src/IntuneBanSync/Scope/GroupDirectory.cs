namespace IntuneBanSync.Scope;

public enum Membership { Member, NotMember, Unknown }

/// <summary>The members of every group a ban list names, read once per sweep. A group that could not be read answers Unknown, never "not a member".</summary>
public sealed class GroupDirectory(IEnumerable<GroupMembers> groups, IReadOnlyDictionary<string, string> unreadable)
{
    private readonly Dictionary<string, GroupMembers> _groups =
        groups.ToDictionary(g => g.GroupId, StringComparer.OrdinalIgnoreCase);

    public static GroupDirectory Empty { get; } = new([], new Dictionary<string, string>());

    public IReadOnlyDictionary<string, string> Unreadable { get; } = unreadable;

    /// <summary>The first of the groups the device is a member of, and the first that could not be read (either null).</summary>
    public (string? Member, string? Unreadable) FirstOf(IEnumerable<string> groupIds, DeviceRecord device)
    {
        string? member = null, unreadable = null;
        foreach (var groupId in groupIds)
        {
            switch (Contains(groupId, device))
            {
                case Membership.Member:
                    member ??= groupId;
                    break;
                case Membership.Unknown:
                    unreadable ??= groupId;
                    break;
            }
        }

        return (member, unreadable);
    }

    /// <summary>A device is in a group through its Entra device object or through its primary user.</summary>
    public Membership Contains(string groupId, DeviceRecord device)
    {
        if (!_groups.TryGetValue(groupId, out var group))
            return Membership.Unknown;
        var viaUser = device.UserId is { } user && group.UserIds.Contains(user);
        var viaDevice = device.AzureAdDeviceId is { } entraId && group.AzureAdDeviceIds.Contains(entraId);
        return viaUser || viaDevice ? Membership.Member : Membership.NotMember;
    }

    /// <summary>Every group whose members a sweep of this ban list needs.</summary>
    public static IReadOnlySet<string> GroupsNamedBy(BanListDocument banList) =>
        banList.Bans.SelectMany(b => b.Scope.IncludeGroups.Concat(b.Scope.ExcludeGroups).Concat(b.Scope.AdvisoryGroups))
            .Concat(banList.Exemptions.Where(e => e.Subject.Kind == ExemptionSubjectKind.Group).Select(e => e.Subject.Id))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}
