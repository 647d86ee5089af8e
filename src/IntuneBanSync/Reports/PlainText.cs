namespace IntuneBanSync.Reports;

/// <summary>Text from a tenant or a ban list as it may reach a terminal, a log line or a display name: no control characters.</summary>
public static class PlainText
{
    public static string Strip(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        return string.Concat(text.Where(c => !char.IsControl(c) && c is not ('\u2028' or '\u2029') && c is not (>= '\u202A' and <= '\u202E') && c is not (>= '\u2066' and <= '\u2069')));
    }
}
