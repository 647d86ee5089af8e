using System.Text.Encodings.Web;

namespace IntuneBanSync.Journal;

public enum TextOverflow
{
    /// <summary>Cut, with a marker, never splitting a surrogate pair: text seen in the tenant (names, reasons).</summary>
    Cut,

    /// <summary>Refused with an <see cref="ArgumentException"/>: what names a tenant object we may delete is stored exactly or not at all.</summary>
    Refuse,

    /// <summary>A JSON document too long is replaced by a JSON object holding its head, so it still parses and says it was cut.</summary>
    Summary,
}

/// <summary>The one place that fits text into Table Storage columns (a string holds 64 KiB of UTF-16; an entity 1 MiB).</summary>
public static class TableText
{
    /// <summary>
    /// Rows go 100 to a transaction, which may carry 4 MiB: text seen in the tenant is capped so that a hundred rows always fit,
    /// whatever a device or app is called.
    /// </summary>
    public const int MaxShortText = 1_024;

    /// <summary>A Table string holds 64 KiB of UTF-16; this leaves room to spare.</summary>
    public const int MaxLongText = 32_000;

    private const string TruncationMarker = "…[truncated]";

    private static readonly JsonSerializerOptions SummaryWrapperOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Fit(string value, int maxLength, TextOverflow overflow, string field)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= maxLength)
            return value;
        return overflow switch
        {
            TextOverflow.Cut => Head(value, maxLength - TruncationMarker.Length) + TruncationMarker,
            TextOverflow.Summary => FitSummary(value, maxLength).Json!,
            _ => throw new ArgumentException($"{field} is {value.Length} characters long; its column holds at most {maxLength}.", field),
        };
    }

    /// <summary>
    /// A summary too large for one Table string is replaced by a JSON object holding its head, so that whoever
    /// reads it can still parse it and sees that it was cut.
    /// </summary>
    public static (string? Json, bool Truncated) FitSummary(string? json, int maxLength = MaxLongText)
    {
        if (json is null || json.Length <= maxLength)
            return (json, false);

        // Escaping can lengthen the head several times over, so search for the longest head whose wrapper fits.
        var (fits, tooLong) = (0, maxLength + 1);
        var wrapped = Wrap(json, 0);
        while (tooLong - fits > 1)
        {
            var middle = fits + ((tooLong - fits) / 2);
            var candidate = Wrap(json, middle);
            if (candidate.Length <= maxLength)
                (fits, wrapped) = (middle, candidate);
            else
                tooLong = middle;
        }

        return (wrapped, true);
    }

    /// <summary>Parts of at most <paramref name="partLength"/> characters; a surrogate pair is never split, so each part is valid UTF-16.</summary>
    public static IReadOnlyList<string> Chunks(string text, int partLength, int maxParts, string field)
    {
        var parts = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var length = Math.Min(partLength, text.Length - start);
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
                length--;
            parts.Add(text.Substring(start, length));
            start += length;
        }

        return parts.Count <= maxParts
            ? parts
            : throw new ArgumentException($"{field} is {text.Length:N0} characters long; it may fill at most {maxParts} columns of {partLength:N0}.", field);
    }

    /// <summary>Cuts at most <paramref name="length"/> characters without splitting a surrogate pair.</summary>
    public static string Head(string value, int length)
    {
        length = Math.Clamp(length, 0, value.Length);
        if (length > 0 && length < value.Length && char.IsHighSurrogate(value[length - 1]))
            length--;
        return value[..length];
    }

    private static string Wrap(string json, int headLength) =>
        JsonSerializer.Serialize(new TruncatedSummary(true, json.Length, Head(json, headLength)), SummaryWrapperOptions);

    private sealed record TruncatedSummary(bool Truncated, int OriginalLength, string Head);
}
