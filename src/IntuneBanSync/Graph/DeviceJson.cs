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
            Instant(Text(device, "lastSyncDateTime")))
        {
            EnrollmentType = Shared(device, "deviceEnrollmentType"),
            ManagementAgent = Shared(device, "managementAgent"),
        };

    /// <summary>
    /// A page of devices (a collection response) in one pass of the reader: a hundred thousand devices parsed into a document,
    /// then looked up property by property, were most of a report sweep's CPU. Reads the same as <see cref="Read"/> (the last of
    /// a repeated property wins, as a document's lookup finds it); a detectedApp's managedDevices are sparse, and only their id
    /// and name are read.
    /// </summary>
    public static DevicePage ReadPage(ReadOnlySpan<byte> json, bool sparse)
    {
        var reader = new Utf8JsonReader(json);
        var devices = new List<DeviceRecord>();
        string? nextLink = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("A page of devices is not a JSON object.");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                        devices.Add(ReadDevice(ref reader, sparse));
                    else
                        reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("@odata.nextLink"u8))
            {
                reader.Read();
                nextLink = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new(devices, nextLink);
    }

    private static DeviceRecord ReadDevice(ref Utf8JsonReader reader, bool sparse)
    {
        string? id = null, name = null, user = null, upn = null, entraId = null, os = null, owner = null, enrollment = null, agent = null;
        var supervised = false;
        DateTimeOffset? lastSync = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
                id = TextValue(ref reader);
            else if (reader.ValueTextEquals("deviceName"u8))
                name = TextValue(ref reader);
            else if (sparse)
                Skip(ref reader);
            else if (reader.ValueTextEquals("userId"u8))
                user = TextValue(ref reader);
            else if (reader.ValueTextEquals("userPrincipalName"u8))
                upn = TextValue(ref reader);
            else if (reader.ValueTextEquals("azureADDeviceId"u8))
                entraId = TextValue(ref reader);
            else if (reader.ValueTextEquals("operatingSystem"u8))
                os = SharedValue(ref reader);
            else if (reader.ValueTextEquals("managedDeviceOwnerType"u8))
                owner = SharedValue(ref reader);
            else if (reader.ValueTextEquals("deviceEnrollmentType"u8))
                enrollment = SharedValue(ref reader);
            else if (reader.ValueTextEquals("managementAgent"u8))
                agent = SharedValue(ref reader);
            else if (reader.ValueTextEquals("isSupervised"u8))
            {
                reader.Read();
                supervised = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("lastSyncDateTime"u8))
                lastSync = Instant(TextValue(ref reader));
            else
                Skip(ref reader);
        }

        if (sparse)
            return new(id ?? "", name, null, null, null, null, null, false, null);
        return new(id ?? "", name, user is { Length: > 0 } && !string.IsNullOrWhiteSpace(user) ? user : null, upn, entraId, os, owner, supervised, lastSync)
        {
            EnrollmentType = enrollment,
            ManagementAgent = agent,
        };
    }

    private static string? TextValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString();
        reader.Skip();
        return null;
    }

    private static string? SharedValue(ref Utf8JsonReader reader) => TextValue(ref reader) is { } text ? Share(text) : null;

    private static void Skip(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    private static DateTimeOffset? Instant(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    // A hundred thousand devices
    // A hundred thousand devices share a few dozen operating systems, owner types, enrollment types and agents: each held once.
    private const int SharedLimit = 512;
    private static readonly ConcurrentDictionary<string, string> SharedValues = new(StringComparer.Ordinal);

    private static string? Shared(JsonElement element, string name) => Text(element, name) is { } text ? Share(text) : null;

    private static string Share(string text) =>
        SharedValues.TryGetValue(text, out var shared) ? shared
        : SharedValues.Count < SharedLimit ? SharedValues.GetOrAdd(text, text)
        : text;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>One page of a device list: its devices and the link to the next page, if any.</summary>
internal sealed record DevicePage(IReadOnlyList<DeviceRecord> Devices, string? NextLink);
