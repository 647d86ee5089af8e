namespace IntuneBanSync.Graph;

/// <summary>A managedDevice's JSON as Graph sends it, read into a <see cref="DeviceRecord"/>; what $select left out reads as null.</summary>
internal static class DeviceJson
{
    public static DeviceRecord Read(JsonElement device) =>
        new(
            Text(device, "id") ?? "",
            Text(device, "deviceName"),
            Text(device, "userId") is { Length: > 0 } user && !string.IsNullOrWhiteSpace(user) ? user : null,
            Text(device, "userPrincipalName"),
            Text(device, "azureADDeviceId"),
            Text(device, "operatingSystem"),
            Text(device, "managedDeviceOwnerType"),
            device.TryGetProperty("isSupervised", out var supervised) && supervised.ValueKind == JsonValueKind.True,
            Text(device, "lastSyncDateTime") is { } sync && DateTimeOffset.TryParse(sync, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null)
        {
            EnrollmentType = Text(device, "deviceEnrollmentType"),
            ManagementAgent = Text(device, "managementAgent"),
        };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
