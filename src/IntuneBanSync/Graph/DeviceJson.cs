using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

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

    /// <summary>The text properties a device record is read from, by slot; the first two are all a sparse device has.</summary>
    private static readonly (byte[] Name, bool Shared)[] TextProperties =
    [
        ("id"u8.ToArray(), false), ("deviceName"u8.ToArray(), false), ("userId"u8.ToArray(), false), ("userPrincipalName"u8.ToArray(), false),
        ("azureADDeviceId"u8.ToArray(), false), ("operatingSystem"u8.ToArray(), true), ("managedDeviceOwnerType"u8.ToArray(), true),
        ("deviceEnrollmentType"u8.ToArray(), true), ("managementAgent"u8.ToArray(), true), ("lastSyncDateTime"u8.ToArray(), false),
    ];

    private const int SparseProperties = 2;

    [InlineArray(10)]
    private struct Texts
    {
        private string? _first;
    }

    private static DeviceRecord ReadDevice(ref Utf8JsonReader reader, bool sparse)
    {
        var text = new Texts();
        var supervised = false;
        var read = sparse ? SparseProperties : TextProperties.Length;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var slot = SlotOf(ref reader, read);
            if (slot >= 0)
                text[slot] = TextProperties[slot].Shared ? SharedValue(ref reader) : TextValue(ref reader);
            else if (!sparse && reader.ValueTextEquals("isSupervised"u8))
            {
                reader.Read();
                supervised = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else
                Skip(ref reader);
        }

        if (sparse)
            return new(text[0] ?? "", text[1], null, null, null, null, null, false, null);
        var user = text[2];
        return new(text[0] ?? "", text[1], user is { Length: > 0 } && !string.IsNullOrWhiteSpace(user) ? user : null, text[3], text[4], text[5], text[6], supervised, Instant(text[9]))
        {
            EnrollmentType = text[7],
            ManagementAgent = text[8],
        };
    }

    private static int SlotOf(ref Utf8JsonReader reader, int count)
    {
        for (var slot = 0; slot < count; slot++)
        {
            if (reader.ValueTextEquals(TextProperties[slot].Name))
                return slot;
        }

        return -1;
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
