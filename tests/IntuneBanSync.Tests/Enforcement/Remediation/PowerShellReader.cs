using System.Text;

namespace IntuneBanSync.Tests.Enforcement.Remediation;

/// <summary>
/// A tiny reader of what PowerShell makes of the values a generated script holds (about_Quoting_Rules): a single-quoted string,
/// where nothing is expanded and two single quotes (any of ' ‘ ’ ‚ ‛) stand for the second one; a parenthesised sum of such
/// strings and <c>[char]0xHHHH</c> codes; an array <c>@(…, …)</c> of those. It fails on anything else, so a value that broke out
/// of its literal shows as a failure, not as a value.
/// </summary>
internal static class PowerShellReader
{
    private const string SingleQuotes = "'\u2018\u2019\u201A\u201B";
    private const string CharCode = "[char]0x";

    /// <summary>The string a quoted value stands for; throws unless <paramref name="text"/> is exactly one value.</summary>
    public static string Value(string text)
    {
        var (value, end) = ReadValue(text, 0);
        return end == text.Length ? value : throw new FormatException($"code after the value at {end}: {text[end..]}");
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
            var (value, end) = ReadValue(text, at);
            values.Add(value);
            at = end;
            if (at < text.Length - 1)
                at = text.AsSpan(at).StartsWith(", ") ? at + 2 : throw new FormatException($"code between values at {at}: {text[at..]}");
        }

        return at == text.Length - 1 ? values : throw new FormatException($"code before the array's end: {text[at..]}");
    }

    private static (string Value, int End) ReadValue(string text, int start)
    {
        if (start < text.Length && text[start] == '(')
        {
            var sum = new StringBuilder();
            var at = start + 1;
            while (true)
            {
                if (text.AsSpan(at).StartsWith(CharCode))
                {
                    sum.Append((char)int.Parse(text.AsSpan(at + CharCode.Length, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    at += CharCode.Length + 4;
                }
                else
                {
                    var (part, end) = ReadLiteral(text, at);
                    sum.Append(part);
                    at = end;
                }

                if (text.AsSpan(at).StartsWith(")"))
                    return (sum.ToString(), at + 1);
                at = text.AsSpan(at).StartsWith(" + ") ? at + 3 : throw new FormatException($"code inside the sum at {at}: {text[at..]}");
            }
        }

        return ReadLiteral(text, start);
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
