namespace IntuneBanSync.Planning;

/// <summary>One device as the inventory showed it, with the banned apps seen on it for one ban.</summary>
public sealed record DeviceObservation(DeviceRecord Device, IReadOnlyList<DetectedAppRecord> BannedAppsSeen);
