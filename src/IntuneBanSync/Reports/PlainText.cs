using System.Buffers;
using System.Text;

namespace IntuneBanSync.Reports;

/// <summary>
/// Text that came from a ban list, a tenant or a request, made safe for a terminal, a log line or an Entra display name:
/// no control characters (C0, DEL, C1), no line or paragraph separators (U+2028, U+2029), no bidirectional controls
/// (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069: the "Trojan Source" characters) and no lone surrogates.
/// </summary>
public static class PlainText
{
    private const char Replacement = '\uFFFD';
    private const string Ellipsis = "…";

    private static readonly SearchValues<char> Controls = SearchValues.Create(ControlCharacters());

    private static readonly SearchValues<char> ControlsAndSurrogates =
        SearchValues.Create([.. ControlCharacters(), .. Enumerable.Range(0xD800, 0x800).Select(c => (char)c)]);

    /// <summary>Removes control characters and replaces each lone surrogate with U+FFFD; null becomes empty.</summary>
    public static string Strip(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.AsSpan().IndexOfAny(ControlsAndSurrogates) < 0)
        {
            return text ?? "";
        }

        var plain = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsPairAt(text, i))
            {
                plain.Append(text, i++, 2);
            }
            else if (char.IsSurrogate(text[i]))
            {
                plain.Append(Replacement);
            }
            else if (!IsControl(text[i]))
            {
                plain.Append(text[i]);
            }
        }

        return plain.ToString();
    }

    /// <summary>
    /// For quoting untrusted text in a message: control characters and lone surrogates written as <c>\uXXXX</c>, and at most
    /// <paramref name="maxLength"/> characters of the original, then "…". Null becomes empty.
    /// </summary>
    public static string Visible(string? text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        if (string.IsNullOrEmpty(text) || (text.Length <= maxLength && text.AsSpan().IndexOfAny(ControlsAndSurrogates) < 0))
        {
            return text ?? "";
        }

        var visible = new StringBuilder(Math.Min(text.Length, maxLength) + Ellipsis.Length);
        var i = 0;
        for (; i < text.Length; i++)
        {
            var pair = IsPairAt(text, i);
            if (i + (pair ? 2 : 1) > maxLength)
            {
                break;
            }

            if (pair)
            {
                visible.Append(text, i++, 2);
            }
            else if (char.IsSurrogate(text[i]) || IsControl(text[i]))
            {
                visible.Append(CultureInfo.InvariantCulture, $"\\u{(int)text[i]:X4}");
            }
            else
            {
                visible.Append(text[i]);
            }
        }

        return i < text.Length ? visible.Append(Ellipsis).ToString() : visible.ToString();
    }

    /// <summary>The index of the first character <see cref="Strip"/> would remove (surrogates aside), or -1.</summary>
    public static int IndexOfControl(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().IndexOfAny(Controls);
    }

    public static bool IsControl(char c) => Controls.Contains(c);

    private static bool IsPairAt(string text, int i) =>
        char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);

    private static char[] ControlCharacters() =>
    [
        .. Enumerable.Range(0x00, 0x20).Select(c => (char)c),
        .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c),
        '\u2028', '\u2029',
        '\u061C', '\u200E', '\u200F',
        '\u202A', '\u202B', '\u202C', '\u202D', '\u202E',
        '\u2066', '\u2067', '\u2068', '\u2069',
    ];
}
