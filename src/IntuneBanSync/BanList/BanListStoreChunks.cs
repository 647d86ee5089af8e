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

    public static IReadOnlyList<string> Split(string json) => TableText.Chunks(json, MaxPartLength, int.MaxValue, "json");

    public static bool Fits(string json) => Split(json).Count <= MaxParts;

    public static string Join(IEnumerable<string> parts) => string.Concat(parts);
}
