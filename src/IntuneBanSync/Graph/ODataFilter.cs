namespace IntuneBanSync.Graph;

/// <summary>
/// The only place OData literals for Graph <c>$filter</c> are built: a quoted string with its quotes
/// doubled, or a GUID that was validated first. Never interpolate raw values into a filter.
/// </summary>
public static class ODataFilter
{
    /// <summary>The value as an OData string literal: in single quotes, each single quote doubled.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);

        return $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
    }

    /// <summary>The value as a canonical lowercase GUID (8-4-4-4-12); throws <see cref="ArgumentException"/> naming the field otherwise.</summary>
    public static string Guid(string value, string field)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);

        if (value is null || !System.Guid.TryParseExact(value, "D", out var guid))
        {
            throw new ArgumentException($"{field} must be a GUID like 00000000-0000-0000-0000-000000000000, got {Show(value)}.", field);
        }

        return guid.ToString("D");
    }

    private static string Show(string? value) => value switch
    {
        null => "null",
        { Length: > 64 } => $"'{value[..64]}…' ({value.Length} characters)",
        _ => $"'{value}'",
    };
}
