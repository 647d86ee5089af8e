using IntuneBanSync.Inventory;
using IntuneBanSync.Scope;

namespace IntuneBanSync.Planning;

/// <summary>
/// The pure decision for one (ban, device): no I/O, everything it needs is passed in. Exclusion beats advisory, exemption beats
/// both; a detection beats an attestation, which only ever stands in for "unverified".
/// </summary>
/// <param name="attestations">Per ban, the latest attestation of each device (managed device id → attestation).</param>
public sealed class BanPlanner(
    BanListDocument banList, GroupDirectory groups, InventoryCoverage coverage, DateTimeOffset now, TimeSpan inventoryMaxAge,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, Attestation>>? attestations = null)
{
    public Decision Decide(Ban ban, DeviceObservation observation)
    {
        var device = observation.Device;
        Decision Make(DecisionKind kind, DecisionReason why, string text, string? exemption = null) => new(ban.Id, device.Id, kind, why, text, exemption, device.Platform);

        if (now < ban.EffectiveFrom)
            return Make(DecisionKind.BanNotActive, DecisionReason.NotYetEffective, $"ban takes effect {Date(ban.EffectiveFrom)}");
        if (now >= ban.ExpiresOn)
            return Make(DecisionKind.BanNotActive, DecisionReason.Expired, $"ban expired {Date(ban.ExpiresOn)}");

        var platform = device.Platform;
        if (platform is null)
            return Make(DecisionKind.OutOfScope, DecisionReason.UnknownOs, $"operating system '{device.OperatingSystem}' is not a ban platform");
        if (!ban.Scope.Platforms.Contains(platform.Value))
            return Make(DecisionKind.OutOfScope, DecisionReason.Platform, $"platform {Name(platform.Value)} is not in the ban's scope");

        var ownership = device.Ownership;
        if (ownership is null)
            return Make(DecisionKind.OutOfScope, DecisionReason.UnknownOwnership, $"ownership '{device.OwnerType ?? "unknown"}' is not company or personal");
        if (!ban.Scope.Ownership.Contains(ownership.Value))
            return Make(DecisionKind.OutOfScope, DecisionReason.Ownership, $"{Name(ownership.Value)} devices are not in the ban's scope");

        // An advisory group's member is evaluated whether or not an include group names it: advised, never bound.
        var (advisedBy, advisoryUnread) = groups.FirstOf(ban.Scope.AdvisoryGroups, device);
        if (ban.Scope.IncludeGroups.Count > 0 && advisedBy is null)
        {
            var (includedBy, unknown) = groups.FirstOf(ban.Scope.IncludeGroups, device);
            if (includedBy is null)
            {
                return (unknown, advisoryUnread) switch
                {
                    ({ } include, _) => Make(DecisionKind.Unverified, DecisionReason.GroupUnreadable, $"include group {include} could not be read"),
                    (null, { } advisoryGroup) => Make(DecisionKind.Unverified, DecisionReason.GroupUnreadable, $"advisory group {advisoryGroup} could not be read"),
                    _ => Make(DecisionKind.OutOfScope, DecisionReason.NotIncluded, "not in any include group"),
                };
            }
        }

        // Membership of any readable exclude group settles it, whatever order the groups are listed in.
        var (excludedBy, unreadableExclude) = groups.FirstOf(ban.Scope.ExcludeGroups, device);
        if (excludedBy is not null)
            return Make(DecisionKind.OutOfScope, DecisionReason.Excluded, $"excluded by group {excludedBy}");
        if (unreadableExclude is not null)
            return Make(DecisionKind.Unverified, DecisionReason.GroupUnreadable, $"exclude group {unreadableExclude} could not be read");

        // An exemption that covers the device wins over an earlier one whose group could not be read.
        var exemptions = banList.Exemptions.Where(e => e.BanId == ban.Id && e.IsInForceAt(now))
            .Select(e => (Exemption: e, Covered: Covers(e, device))).ToList();
        if (exemptions.FirstOrDefault(x => x.Covered == Membership.Member).Exemption is { } exemption)
            return Make(DecisionKind.Exempt, DecisionReason.Exemption, $"exemption '{exemption.Id}' approved by {exemption.ApprovedBy}", exemption.Id);
        if (observation.BannedAppsSeen.Count > 0 && exemptions.FirstOrDefault(x => x.Covered == Membership.Unknown).Exemption is { } unreadable)
            return Make(DecisionKind.Unverified, DecisionReason.GroupUnreadable, $"exemption group {unreadable.Subject.Id} could not be read");

        if (advisedBy is not null)
        {
            return observation.BannedAppsSeen.Count > 0
                ? Make(DecisionKind.Advised, DecisionReason.Detected, $"advised (group {advisedBy}): {Seen(observation)} detected; removal advised by {Date(ban.UninstallBy)}")
                : Make(DecisionKind.Advised, DecisionReason.Advisory, $"advised (group {advisedBy}): no banned app seen");
        }
        // Bound or advised cannot be told apart: nothing is enforced on a guess.
        if (advisoryUnread is not null)
            return Make(DecisionKind.Unverified, DecisionReason.GroupUnreadable, $"advisory group {advisoryUnread} could not be read");

        var attested = Attested(ban, device);
        if (observation.BannedAppsSeen.Count > 0)
        {
            var app = Seen(observation);
            var after = attested is null ? ""
                : device.LastSyncDateTime > attested.At ? $"attested removed {Date(attested.At)}, then detected: "
                : $"attested removed {Date(attested.At)}, but the inventory of {Date(device.LastSyncDateTime ?? attested.At)} still shows it: ";
            if (now < ban.UninstallBy)
                return Make(DecisionKind.Grace, DecisionReason.Detected, $"{after}{app} detected; uninstall due by {Date(ban.UninstallBy)}");
            // The deadline's date, not a day count: a text that changed every day would rewrite every device's state every day.
            return Make(DecisionKind.Offending, DecisionReason.Detected, $"{after}{app} detected; the uninstall deadline was {Date(ban.UninstallBy)}");
        }

        if (!coverage.CanProveAbsence(ban.Id, platform.Value))
            return Make(DecisionKind.Unverified, DecisionReason.InventoryUnread, $"the {Name(platform.Value)} inventory could not be read completely");
        var unverified = ownership == DeviceOwnership.Personal ? "personal device: Intune does not report user-installed apps"
            : device.LastSyncDateTime is not { } lastSync ? "device has never synced its inventory"
            : now - lastSync > inventoryMaxAge ? $"inventory is {(int)(now - lastSync).TotalDays} days old (last sync {Date(lastSync)})"
            : null;
        if (unverified is null)
            return Make(DecisionKind.Clean, DecisionReason.NotDetected, "not detected");
        if (attested is not null)
            return Make(DecisionKind.Attested, DecisionReason.Attested, $"{attested.UserPrincipalName} attested removing it on {Date(attested.At)} (self-reported; {unverified})");
        return Make(DecisionKind.Unverified, ownership == DeviceOwnership.Personal ? DecisionReason.Personal : DecisionReason.StaleInventory, unverified);
    }

    /// <summary>The device's latest attestation for the ban made by the sweep's time (a what-if never sees one from its future).</summary>
    private Attestation? Attested(Ban ban, DeviceRecord device) =>
        attestations?.GetValueOrDefault(ban.Id)?.GetValueOrDefault(device.Id) is { } a && a.At <= now ? a : null;

    private static string Seen(DeviceObservation observation)
    {
        var seen = observation.BannedAppsSeen[0];
        return $"'{seen.DisplayName.Trim()}' {seen.Version}".TrimEnd();
    }

    private Membership Covers(Exemption exemption, DeviceRecord device) => exemption.Subject.Kind switch
    {
        ExemptionSubjectKind.Device => Equal(exemption.Subject.Id, device.Id) ? Membership.Member : Membership.NotMember,
        ExemptionSubjectKind.User => Equal(exemption.Subject.Id, device.UserId) ? Membership.Member : Membership.NotMember,
        _ => groups.Contains(exemption.Subject.Id, device),
    };

    private static bool Equal(string a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Date(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Name(DevicePlatform platform) => platform.ToString().ToLowerInvariant();

    public static string Name(DeviceOwnership ownership) => ownership.ToString().ToLowerInvariant();
}
