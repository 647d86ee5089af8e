namespace IntuneBanSync.Reports;

/// <summary>Text from the tenant or the ban list, made safe to print: no control characters, no bidirectional overrides.</summary>
public static class PlainText
{
    public static string Strip(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        return text.Any(IsUnsafe) ? string.Concat(text.Where(c => !IsUnsafe(c))) : text;
    }

    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
