namespace IntuneBanSync.BanList;

/// <summary>How the JSON text of a ban list is spread over the string properties Json00, Json01, … of one Table entity.</summary>
internal static class BanListStoreChunks
{
    /// <summary>A string property holds at most 64 KiB of UTF-16, 32,768 characters.</summary>
    public const int MaxPartLength = 30_000;

    /// <summary>
    /// An entity holds at most 1 MiB and a character takes two bytes, so 16 parts of 60,000 bytes (960,000) fit with room
    /// for the other properties and the keys; 30 parts would be 1.8 MB, which Azurite accepts but Azure rejects.
    /// </summary>
    public const int MaxParts = 16;

    public const int MaxLength = MaxPartLength * MaxParts;

    public static string PropertyName(int index) => $"Json{index:D2}";

    /// <summary>Parts of at most <see cref="MaxPartLength"/> characters; a surrogate pair is never split, so each part is valid UTF-16.</summary>
    public static IReadOnlyList<string> Split(string json)
    {
        var parts = new List<string>();
        var start = 0;
        while (start < json.Length)
        {
            var length = Math.Min(MaxPartLength, json.Length - start);
            if (start + length < json.Length && char.IsHighSurrogate(json[start + length - 1]))
            {
                length--;
            }

            parts.Add(json.Substring(start, length));
            start += length;
        }

        return parts;
    }

    public static bool Fits(string json) => Split(json).Count <= MaxParts;

    public static string Join(IEnumerable<string> parts) => string.Concat(parts);
}
