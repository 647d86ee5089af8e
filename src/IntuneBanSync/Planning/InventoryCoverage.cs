namespace IntuneBanSync.Planning;

/// <summary>Which parts of the inventory were read completely. Absence of an app is only evidence where the inventory was read.</summary>
public sealed class InventoryCoverage
{
    private readonly HashSet<(string BanId, DevicePlatform Platform)> _unread = [];

    public bool DetectedAppsListRead { get; private set; } = true;

    /// <summary>False when the list of devices itself broke off: the devices after the failed page were never decided.</summary>
    public bool DeviceListRead { get; private set; } = true;

    public IList<string> Problems { get; } = [];

    public bool IsComplete => DetectedAppsListRead && DeviceListRead && _unread.Count == 0;

    public void DetectedAppsListFailed(string problem)
    {
        DetectedAppsListRead = false;
        Problems.Add(problem);
    }

    public void DeviceListFailed(string problem)
    {
        DeviceListRead = false;
        Problems.Add(problem);
    }

    public void AppListingFailed(string banId, DevicePlatform platform, string problem)
    {
        _unread.Add((banId, platform));
        Problems.Add(problem);
    }

    public bool CanProveAbsence(string banId, DevicePlatform platform) =>
        DetectedAppsListRead && !_unread.Contains((banId, platform));
}
