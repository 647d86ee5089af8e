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
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("Linux", null)]
    [InlineData("ChromeOS", null)]
    [InlineData("unknown", null)]
    [InlineData("tvOS", null)]
    [InlineData("visionOS", null)]
    [InlineData("iosomething", null)]
    public void Operating_system_maps_to_the_ban_platform_and_an_unrecognised_one_to_none_rather_than_a_guess(string? operatingSystem, DevicePlatform? expected)
    {
        var platform = DeviceClassification.PlatformOf(operatingSystem);

        Assert.Equal(expected, platform);
    }

    [Theory]
    [InlineData("company", DeviceOwnership.Company)]
    [InlineData("Company", DeviceOwnership.Company)]
    [InlineData("personal", DeviceOwnership.Personal)]
    [InlineData(" PERSONAL ", DeviceOwnership.Personal)]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("unknown", null)]
    [InlineData("corporate", null)]
    public void Owner_type_maps_to_ownership_and_an_unknown_one_to_none(string? ownerType, DeviceOwnership? expected)
    {
        var ownership = DeviceClassification.OwnershipOf(ownerType);

        Assert.Equal(expected, ownership);
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
    [InlineData(null, null)]
    [InlineData("unknown", null)]
    [InlineData("chromeOS", null)]
    [InlineData("unknownFutureValue", null)]
    [InlineData("android", null)]
    public void Detected_app_platform_maps_to_the_ban_platform_and_an_unrecognised_one_to_none(string? detectedAppPlatform, DevicePlatform? expected)
    {
        var platform = DeviceClassification.PlatformOfDetectedApp(detectedAppPlatform);

        Assert.Equal(expected, platform);
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
