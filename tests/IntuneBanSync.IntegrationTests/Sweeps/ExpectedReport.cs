namespace IntuneBanSync.IntegrationTests.Sweeps;

/// <summary>
/// The TikTok ban's counts computed straight from the generator's data, without the engine's code:
/// the independent oracle the report is compared with.
/// </summary>
internal sealed record ExpectedReport(int Devices, int Offending, int People, int Exempt, int OutOfScope, int Unverified, int Clean)
{
    /// <summary>The same counts as a sweep reported them.</summary>
    public static ExpectedReport Of(Reports.SweepReport report) => new(
        report.DevicesEvaluated, report.OffendingDevices, report.AffectedPeople, report.ExemptDevices, report.OutOfScopeDevices, report.UnverifiedDevices, report.CleanDevices);

    private static readonly string[] BannedNames = ["tiktok", "tiktok lite"];

    /// <summary>Devices that are in scope, not police, not exempt, and show a banned app.</summary>
    public static IReadOnlyList<ManagedDevice> OffendingDevices(TenantState state)
    {
        var police = MembershipOf(state, "IBS Police");
        var exempt = MembershipOf(state, "IBS TikTok Exemptions");
        return state.ManagedDevices
            .Where(d => d.OperatingSystem is "iOS" or "iPadOS" or "Android" or "Windows" or "macOS" && d.Ownership is "company" or "personal")
            .Where(d => !police(d) && !exempt(d))
            .Where(d => state.VisibleApps(d).Any(a => BannedNames.Contains(a.DisplayName.Trim().ToLowerInvariant())))
            .ToList();
    }

    public static ExpectedReport For(TenantState state, DateTimeOffset now)
    {
        var police = MembershipOf(state, "IBS Police");
        var exempt = MembershipOf(state, "IBS TikTok Exemptions");

        int offending = 0, exemptCount = 0, outOfScope = 0, unverified = 0, clean = 0;
        var people = new HashSet<string>();
        foreach (var device in state.ManagedDevices)
        {
            var knownOs = device.OperatingSystem is "iOS" or "iPadOS" or "Android" or "Windows" or "macOS";
            if (!knownOs || device.Ownership is not ("company" or "personal") || police(device))
                outOfScope++;
            else if (exempt(device))
                exemptCount++;
            else if (state.VisibleApps(device).Any(a => BannedNames.Contains(a.DisplayName.Trim().ToLowerInvariant())))
            {
                offending++;
                if (device.UserId is not null)
                    people.Add(device.UserId);
            }
            else if (device.Ownership == "personal" || now - device.LastSyncDateTime > TimeSpan.FromDays(7))
                unverified++;
            else
                clean++;
        }

        return new ExpectedReport(state.ManagedDevices.Count, offending, people.Count, exemptCount, outOfScope, unverified, clean);
    }

    /// <summary>Whether a device is in a group, nested groups included, through its user or its Entra device object.</summary>
    private static Func<ManagedDevice, bool> MembershipOf(TenantState state, string groupName)
    {
        var members = state.TransitiveMemberIds(state.GroupByName(groupName).Id);
        var entraIds = state.EntraDevices.ToDictionary(d => d.DeviceId, d => d.Id, StringComparer.OrdinalIgnoreCase);
        return d => (d.UserId is not null && members.Contains(d.UserId)) ||
            (entraIds.TryGetValue(d.AzureAdDeviceId, out var objectId) && members.Contains(objectId));
    }
}
