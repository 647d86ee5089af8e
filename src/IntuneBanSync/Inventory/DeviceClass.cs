namespace IntuneBanSync.Inventory;

/// <summary>
/// How a device is owned and managed, which decides what Intune can see on it and which routes can reach it. Android
/// management modes come from deviceEnrollmentType (Android Enterprise corporate modes) or, where Graph does not say (a personal
/// work profile and a device administrator enrol alike), from the platform of the apps detected on it.
/// </summary>
public enum DeviceClass
{
    IosSupervised,
    IosCompany,
    IosPersonal,
    /// <summary>Apple user enrollment (account-driven, personal): Intune manages a separate volume, never the user's apps.</summary>
    IosUserEnrollment,
    AndroidFullyManaged,
    AndroidDedicated,
    /// <summary>Company-owned with a work profile (COPE): the personal profile is invisible to inventory.</summary>
    AndroidCorporateWorkProfile,
    AndroidPersonalWorkProfile,
    /// <summary>Legacy device administrator: unsupported on GMS devices since 31 December 2024.</summary>
    AndroidDeviceAdministrator,
    /// <summary>Personal Android whose mode Graph does not give and no detected app revealed (work profile or device administrator).</summary>
    AndroidPersonalUnknownMode,
    WindowsCompany,
    WindowsPersonal,
    MacosCompany,
    MacosPersonal,
    /// <summary>A platform or ownership IntuneBanSync cannot place: reported, never skipped.</summary>
    Unknown,
}

public static class DeviceClasses
{
    /// <param name="apps">The apps detected on the device, if any: their platform tells an Android device's management mode.</param>
    public static DeviceClass Of(DeviceRecord device, IReadOnlyList<DetectedAppRecord> apps)
    {
        var personal = device.Ownership == DeviceOwnership.Personal;
        return device.Platform switch
        {
            DevicePlatform.Ios when Is(device.EnrollmentType, "appleUserEnrollment", "appleUserEnrollmentWithServiceAccount") => DeviceClass.IosUserEnrollment,
            DevicePlatform.Ios when device.IsSupervised => DeviceClass.IosSupervised,
            DevicePlatform.Ios => personal ? DeviceClass.IosPersonal : device.Ownership is null ? DeviceClass.Unknown : DeviceClass.IosCompany,
            DevicePlatform.Android => AndroidClass(device, apps),
            DevicePlatform.Windows => device.Ownership switch { DeviceOwnership.Company => DeviceClass.WindowsCompany, DeviceOwnership.Personal => DeviceClass.WindowsPersonal, _ => DeviceClass.Unknown },
            DevicePlatform.Macos => device.Ownership switch { DeviceOwnership.Company => DeviceClass.MacosCompany, DeviceOwnership.Personal => DeviceClass.MacosPersonal, _ => DeviceClass.Unknown },
            _ => DeviceClass.Unknown,
        };
    }

    private static DeviceClass AndroidClass(DeviceRecord device, IReadOnlyList<DetectedAppRecord> apps)
    {
        switch (device.EnrollmentType?.Trim().ToLowerInvariant())
        {
            case "androidenterprisefullymanaged":
                return DeviceClass.AndroidFullyManaged;
            case "androidenterprisededicateddevice":
                return DeviceClass.AndroidDedicated;
            case "androidenterprisecorporateworkprofile":
                return DeviceClass.AndroidCorporateWorkProfile;
        }

        var platforms = apps.Select(a => a.Platform?.Trim().ToLowerInvariant()).ToHashSet();
        if (platforms.Contains("androiddeviceadministrator"))
            return DeviceClass.AndroidDeviceAdministrator;
        if (platforms.Contains("androidworkprofile"))
            return device.Ownership == DeviceOwnership.Company ? DeviceClass.AndroidCorporateWorkProfile : DeviceClass.AndroidPersonalWorkProfile;
        if (platforms.Contains("androiddedicatedandfullymanaged"))
            return DeviceClass.AndroidFullyManaged;
        // Graph names every Android Enterprise corporate mode; a company device enrolled the classic way is a device administrator.
        var classic = Is(device.EnrollmentType, "userEnrollment", "deviceEnrollmentManager");
        return device.Ownership switch
        {
            DeviceOwnership.Personal => DeviceClass.AndroidPersonalUnknownMode,
            DeviceOwnership.Company when classic => DeviceClass.AndroidDeviceAdministrator,
            _ => DeviceClass.Unknown,
        };
    }

    private static bool Is(string? value, params string[] names) =>
        value is not null && names.Any(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
}
