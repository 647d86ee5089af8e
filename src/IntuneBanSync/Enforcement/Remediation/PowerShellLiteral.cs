using System.Text;

namespace IntuneBanSync.Enforcement.Remediation;

/// <summary>
/// The one way a ban-list value enters a generated PowerShell script: as a single-quoted string, where PowerShell expands
/// nothing (no <c>$(...)</c>, no backtick escapes) and the only special character is the single quote, written twice. The script
/// stays ASCII, because Windows PowerShell 5.1 reads a script file without a byte order mark in the system's ANSI code page: a
/// character beyond ASCII is written as its UTF-16 code, <c>('Tik' + [char]0x2019 + 'Tok')</c>, an expression made only of
/// single-quoted ASCII and hexadecimal digits. That also covers the four typographic quotes PowerShell takes as single quotes
/// (U+2018, U+2019, U+201A, U+201B: about_Quoting_Rules, the tokenizer's <c>IsSingleQuote</c>). A value holding a control
/// character, a line break, a bidirectional control or a lone surrogate is refused (the ban-list parser refuses them first): it
/// could end a comment or show the script's reader something other than what runs.
/// </summary>
public static class PowerShellLiteral
{
    /// <param name="field">What the value is, for the error (e.g. "apps.displayNames").</param>
    public static string Quote(string value, string field)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (PlainText.IndexOfControl(value) is var at and >= 0)
            throw new ArgumentException($"{field} contains the control character U+{(int)value[at]:X4}; it cannot be written into a script", nameof(value));
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                i++;
            else if (char.IsSurrogate(value[i]))
                throw new ArgumentException($"{field} contains a lone surrogate (U+{(int)value[i]:X4}); it cannot be written into a script", nameof(value));
        }

        if (value.All(char.IsAscii))
            return SingleQuoted(value);
        var parts = new List<string>();
        var ascii = new StringBuilder();
        foreach (var c in value)
        {
            if (char.IsAscii(c))
            {
                ascii.Append(c);
                continue;
            }

            if (ascii.Length > 0)
                parts.Add(SingleQuoted(ascii.ToString()));
            ascii.Clear();
            parts.Add($"[char]0x{(int)c:X4}");
        }

        if (ascii.Length > 0)
            parts.Add(SingleQuoted(ascii.ToString()));
        // [char] + [char] adds numbers in PowerShell: the sum starts with a string.
        if (!parts[0].StartsWith('\''))
            parts.Insert(0, "''");
        return $"({string.Join(" + ", parts)})";
    }

    /// <summary>A PowerShell array of quoted values: <c>@('a', 'b')</c>, or <c>@()</c>.</summary>
    public static string Array(IEnumerable<string> values, string field) =>
        $"@({string.Join(", ", values.Select(v => Quote(v, field)))})";

    private static string SingleQuoted(string ascii)
    {
        var quoted = new StringBuilder(ascii.Length + 2).Append('\'');
        foreach (var c in ascii)
        {
            if (c == '\'')
                quoted.Append(c);
            quoted.Append(c);
        }

        return quoted.Append('\'').ToString();
    }
}
