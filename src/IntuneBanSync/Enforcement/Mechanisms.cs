using IntuneBanSync.Enforcement.Compliance;
using IntuneBanSync.Enforcement.LaunchBlock;
using IntuneBanSync.Enforcement.Notifications;
using IntuneBanSync.Enforcement.PersonalProfile;
using IntuneBanSync.Enforcement.Remediation;
using IntuneBanSync.Enforcement.Uninstall;

namespace IntuneBanSync.Enforcement;

/// <summary>The enforcement mechanisms, in the order the engine applies them (strongest first; one that runs beside the others aside). A new mechanism is one line here.</summary>
public static class Mechanisms
{
    private static readonly Registration[] Registered =
    [
        new(UninstallAssignment.Required, (client, options) => new UninstallAssignment(new GraphUninstall(client, options))),
        new(WindowsRemediation.Required, WindowsRemediation.Over),
        new(ComplianceMechanism.Required, ComplianceMechanism.Over),
        new(IosLaunchBlock.Required, IosLaunchBlock.Over),
        new(PersonalProfileBlock.Required, PersonalProfileBlock.Over),
        new(CompanyPortalNotifications.Required, CompanyPortalNotifications.Over),
    ];

    public static IReadOnlyList<IEnforcementMechanism> Over(GraphServiceClient client, GraphOptions options) =>
        [.. Registered.Select(r => r.Create(client, options))];

    /// <summary>The permission manifest: report mode's and every registered mechanism's.</summary>
    public static IReadOnlyList<PermissionUse> Permissions { get; } = GraphPermissions.Manifest(Registered.Select(r => r.Permissions));

    private sealed record Registration(IReadOnlyList<PermissionUse> Permissions, Func<GraphServiceClient, GraphOptions, IEnforcementMechanism> Create);
}
