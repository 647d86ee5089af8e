using System.Buffers;
using System.Text;
using IntuneBanSync.Reports;

namespace IntuneBanSync.Enforcement.Remediation;

/// <summary>
/// The one way a ban-list value enters a generated PowerShell script: as a single-quoted string, where PowerShell expands
/// nothing (no <c>$(...)</c>, no backtick escapes) and the only special characters are the single quotes, each written twice.
/// PowerShell takes four typographic quotes as single quotes too (U+2018, U+2019, U+201A, U+201B: about_Quoting_Rules and the
/// tokenizer's <c>IsSingleQuote</c>), so they are doubled as well. A value holding a control character, a line break, a
/// bidirectional control or a lone surrogate is refused (the ban-list parser refuses them first): it could end a comment or
/// show the script's reader something other than what runs.
/// </summary>
public static class PowerShellLiteral
{
    private static readonly SearchValues<char> SingleQuotes = SearchValues.Create("'\u2018\u2019\u201A\u201B");

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

        var quoted = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (SingleQuotes.Contains(c))
                quoted.Append(c);
            quoted.Append(c);
        }

        return quoted.Append('\'').ToString();
    }

    /// <summary>A PowerShell array of single-quoted strings: <c>@('a', 'b')</c>, or <c>@()</c>.</summary>
    public static string Array(IEnumerable<string> values, string field) =>
        $"@({string.Join(", ", values.Select(v => Quote(v, field)))})";
}
