using System.Collections.Concurrent;

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
            Shared(device, "operatingSystem"),
            Shared(device, "managedDeviceOwnerType"),
            device.TryGetProperty("isSupervised", out var supervised) && supervised.ValueKind == JsonValueKind.True,
            Text(device, "lastSyncDateTime") is { } sync && DateTimeOffset.TryParse(sync, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null)
        {
            EnrollmentType = Shared(device, "deviceEnrollmentType"),
            ManagementAgent = Shared(device, "managementAgent"),
        };

    // A hundred thousand devices share a few dozen operating systems, owner types, enrollment types and agents: each held once.
    private const int SharedLimit = 512;
    private static readonly ConcurrentDictionary<string, string> SharedValues = new(StringComparer.Ordinal);

    private static string? Shared(JsonElement element, string name) =>
        Text(element, name) is not { } text ? null
        : SharedValues.TryGetValue(text, out var shared) ? shared
        : SharedValues.Count < SharedLimit ? SharedValues.GetOrAdd(text, text)
        : text;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
