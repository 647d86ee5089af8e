using System.Text;

namespace IntuneBanSync.Tests.Enforcement.Remediation;

/// <summary>
/// A tiny reader of what PowerShell makes of a single-quoted string or an array of them (about_Quoting_Rules): inside the quotes
/// nothing is expanded and two single quotes (any of ' ‘ ’ ‚ ‛) stand for the second one. It fails on anything it does not
/// expect, so a value that broke out of its literal shows as a failure, not as a value.
/// </summary>
internal static class PowerShellReader
{
    private const string SingleQuotes = "'\u2018\u2019\u201A\u201B";

    /// <summary>The string a single-quoted literal stands for; throws unless <paramref name="text"/> is exactly one literal.</summary>
    public static string Literal(string text)
    {
        var (value, end) = ReadLiteral(text, 0);
        return end == text.Length ? value : throw new FormatException($"code after the literal at {end}: {text[end..]}");
    }

    /// <summary>The strings of <c>@('a', 'b')</c>; throws unless <paramref name="text"/> is exactly such an array.</summary>
    public static IReadOnlyList<string> Array(string text)
    {
        if (!text.StartsWith("@(", StringComparison.Ordinal) || !text.EndsWith(')'))
            throw new FormatException($"not an array: {text}");
        var values = new List<string>();
        var at = 2;
        while (at < text.Length - 1)
        {
            var (value, end) = ReadLiteral(text, at);
            values.Add(value);
            at = end;
            if (at < text.Length - 1)
                at = text.AsSpan(at).StartsWith(", ") ? at + 2 : throw new FormatException($"code between literals at {at}: {text[at..]}");
        }

        return at == text.Length - 1 ? values : throw new FormatException($"code before the array's end: {text[at..]}");
    }

    private static (string Value, int End) ReadLiteral(string text, int start)
    {
        if (start >= text.Length || !SingleQuotes.Contains(text[start]))
            throw new FormatException($"no literal at {start}: {text[start..]}");
        var value = new StringBuilder();
        for (var i = start + 1; i < text.Length; i++)
        {
            if (!SingleQuotes.Contains(text[i]))
            {
                value.Append(text[i]);
                continue;
            }

            if (i + 1 < text.Length && SingleQuotes.Contains(text[i + 1]))
            {
                value.Append(text[++i]);
                continue;
            }

            return (value.ToString(), i + 1);
        }

        throw new FormatException("unterminated literal");
    }
}
