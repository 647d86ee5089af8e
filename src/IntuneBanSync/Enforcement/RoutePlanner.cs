using System.Collections.Frozen;
using IntuneBanSync.Inventory;

namespace IntuneBanSync.Enforcement;

/// <summary>A way Graph offers to act on a device for a ban (DESIGN §1, "Routes beyond the uninstall assignment").</summary>
public enum Route
{
    /// <summary>An uninstall assignment of the catalog app: removes copies Intune installed (iOS, Windows, Android device administrator).</summary>
    UninstallAssignment,

    /// <summary>An uninstall assignment of the approved managed Google Play app: removes the managed-profile copy whoever installed it.</summary>
    ManagedPlayUninstall,

    /// <summary>The supervised-iOS restriction on the app's bundle id: hides it and blocks its launch.</summary>
    LaunchBlock,

    /// <summary>A compliance policy listing the app as restricted: the device turns noncompliant; Conditional Access does the blocking.</summary>
    Compliance,

    /// <summary>The personal profile's Play Store block list on a company-owned work profile device.</summary>
    PersonalProfileBlock,

    /// <summary>A remediation that finds and removes the app for every user, hourly and on demand.</summary>
    Remediation,

    /// <summary>A Company Portal notification to the device's user (reminders, the enforcement notice): iOS/iPadOS and Android personal work profiles only.</summary>
    Notification,
}

/// <summary>The routes that apply to one class of device, strongest first, or why none reaches it.</summary>
public sealed record ClassRoutes(DeviceClass Class, IReadOnlyList<Route> Routes, string? Unreachable = null)
{
    public bool Takes(Route route) => Routes.Contains(route);
}

/// <summary>Which routes reach which class of device: a pure table, the one place that knows it.</summary>
public static class RoutePlanner
{
    public const string MacosUnreachable =
        "no Graph route removes an app the user installed on a Mac: uninstall assignments reach only apps Intune deployed, and macOS has no restricted-apps compliance setting";

    public const string UnknownUnreachable =
        "IntuneBanSync cannot tell how this device is managed (its platform or ownership is unknown), so it applies no route to it";

    /// <summary>The routes of a class, planned once: a sweep asks for every device of a hundred thousand.</summary>
    public static ClassRoutes For(DeviceClass deviceClass) => Planned.TryGetValue(deviceClass, out var routes) ? routes : Plan(deviceClass);

    private static readonly FrozenDictionary<DeviceClass, ClassRoutes> Planned = Enum.GetValues<DeviceClass>().ToFrozenDictionary(c => c, Plan);

    private static ClassRoutes Plan(DeviceClass deviceClass) => deviceClass switch
    {
        DeviceClass.IosSupervised => new(deviceClass, [Route.UninstallAssignment, Route.LaunchBlock, Route.Compliance, Route.Notification]),
        DeviceClass.IosCompany or DeviceClass.IosPersonal or DeviceClass.IosUserEnrollment => new(deviceClass, [Route.UninstallAssignment, Route.Compliance, Route.Notification]),
        DeviceClass.AndroidFullyManaged or DeviceClass.AndroidDedicated => new(deviceClass, [Route.ManagedPlayUninstall]),
        DeviceClass.AndroidPersonalWorkProfile => new(deviceClass, [Route.ManagedPlayUninstall, Route.Notification]),
        DeviceClass.AndroidCorporateWorkProfile => new(deviceClass, [Route.ManagedPlayUninstall, Route.PersonalProfileBlock]),
        DeviceClass.AndroidDeviceAdministrator => new(deviceClass, [Route.UninstallAssignment, Route.Compliance]),
        DeviceClass.AndroidPersonalUnknownMode => new(deviceClass, [Route.ManagedPlayUninstall, Route.UninstallAssignment, Route.Compliance]),
        DeviceClass.WindowsCompany => new(deviceClass, [Route.UninstallAssignment, Route.Remediation]),
        DeviceClass.WindowsPersonal => new(deviceClass, [Route.UninstallAssignment]),
        DeviceClass.MacosCompany or DeviceClass.MacosPersonal => new(deviceClass, [], MacosUnreachable),
        _ => new(deviceClass, [], UnknownUnreachable),
    };
}
