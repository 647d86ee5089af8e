namespace IntuneBanSync.Tests.Inventory;

public sealed class DeviceClassificationTests
{
    [Theory]
    [InlineData("iOS", DevicePlatform.Ios)]
    [InlineData("iPadOS", DevicePlatform.Ios)]
    [InlineData("IOS", DevicePlatform.Ios)]
    [InlineData(" ios ", DevicePlatform.Ios)]
    [InlineData("iOS 17.4", DevicePlatform.Ios)]
    [InlineData("Android", DevicePlatform.Android)]
    [InlineData("android", DevicePlatform.Android)]
    [InlineData("Android Enterprise", DevicePlatform.Android)]
    [InlineData("AndroidEnterprise", DevicePlatform.Android)]
    [InlineData("AndroidForWork", DevicePlatform.Android)]
    [InlineData("Windows", DevicePlatform.Windows)]
    [InlineData("Windows 10", DevicePlatform.Windows)]
    [InlineData("Windows 11 Enterprise", DevicePlatform.Windows)]
    [InlineData("macOS", DevicePlatform.Macos)]
    [InlineData("MacOS", DevicePlatform.Macos)]
    [InlineData("Mac OS X", DevicePlatform.Macos)]
    [InlineData("OS X", DevicePlatform.Macos)]
    public void Operating_system_maps_to_the_ban_platform(string operatingSystem, DevicePlatform expected)
    {
        var platform = DeviceClassification.PlatformOf(operatingSystem);

        Assert.Equal(expected, platform);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Linux")]
    [InlineData("ChromeOS")]
    [InlineData("unknown")]
    [InlineData("tvOS")]
    [InlineData("visionOS")]
    [InlineData("iosomething")]
    public void Unrecognised_operating_system_is_unknown_rather_than_guessed(string? operatingSystem)
    {
        var platform = DeviceClassification.PlatformOf(operatingSystem);

        Assert.Null(platform);
    }

    [Theory]
    [InlineData("company", DeviceOwnership.Company)]
    [InlineData("Company", DeviceOwnership.Company)]
    [InlineData("personal", DeviceOwnership.Personal)]
    [InlineData(" PERSONAL ", DeviceOwnership.Personal)]
    public void Owner_type_maps_to_ownership(string ownerType, DeviceOwnership expected)
    {
        var ownership = DeviceClassification.OwnershipOf(ownerType);

        Assert.Equal(expected, ownership);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("corporate")]
    public void Unknown_owner_type_has_no_ownership(string? ownerType)
    {
        var ownership = DeviceClassification.OwnershipOf(ownerType);

        Assert.Null(ownership);
    }

    [Theory]
    [InlineData("ios", DevicePlatform.Ios)]
    [InlineData("macOS", DevicePlatform.Macos)]
    [InlineData("windows", DevicePlatform.Windows)]
    [InlineData("windowsMobile", DevicePlatform.Windows)]
    [InlineData("windowsHolographic", DevicePlatform.Windows)]
    [InlineData("androidWorkProfile", DevicePlatform.Android)]
    [InlineData("androidDeviceAdministrator", DevicePlatform.Android)]
    [InlineData("androidDedicatedAndFullyManaged", DevicePlatform.Android)]
    [InlineData("androidOSP", DevicePlatform.Android)]
    public void Detected_app_platform_maps_to_the_ban_platform(string detectedAppPlatform, DevicePlatform expected)
    {
        var platform = DeviceClassification.PlatformOfDetectedApp(detectedAppPlatform);

        Assert.Equal(expected, platform);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("unknown")]
    [InlineData("chromeOS")]
    [InlineData("unknownFutureValue")]
    [InlineData("android")]
    public void Unrecognised_detected_app_platform_is_unknown(string? detectedAppPlatform)
    {
        var platform = DeviceClassification.PlatformOfDetectedApp(detectedAppPlatform);

        Assert.Null(platform);
    }

    [Fact]
    public void Device_record_carries_the_platform_and_ownership_parsed_when_it_was_read()
    {
        var device = Tests.Planning.Fleet.Device(operatingSystem: "iPadOS", ownerType: "Personal");

        Assert.Equal((DevicePlatform.Ios, DeviceOwnership.Personal), (device.Platform, device.Ownership));
    }

    [Fact]
    public void Copy_of_a_device_record_with_other_text_is_parsed_again()
    {
        var device = Tests.Planning.Fleet.Device(operatingSystem: "iOS", ownerType: "company");

        var copy = device with { OperatingSystem = "Windows 11", OwnerType = "unknown" };

        Assert.Equal((DevicePlatform.Windows, (DeviceOwnership?)null), (copy.Platform, copy.Ownership));
    }
}
