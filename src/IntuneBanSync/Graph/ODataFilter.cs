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

    /// <summary><c>property in ('a','b')</c>, for properties whose documentation lists <c>in</c> (users' id).</summary>
    public static string In(string property, IEnumerable<string> values) => $"{property} in ({string.Join(',', values.Select(Quote))})";

    /// <summary>
    /// <c>property eq 'a' or property eq 'b'</c>, for properties that support <c>eq</c> but whose documentation does not list <c>in</c>
    /// (devices' deviceId: "Supports $filter (eq, ne, not, startsWith)", api-reference/v1.0/resources/device.md). Graph counts each
    /// eq as a child clause of the or, 15 at most, as it does an in list.
    /// </summary>
    public static string AnyEquals(string property, IEnumerable<string> values) => string.Join(" or ", values.Select(v => $"{property} eq {Quote(v)}"));

    /// <summary>
    /// An instant as an OData DateTimeOffset literal (unquoted, UTC, to the millisecond): callers round to the millisecond first, so
    /// what the service compares is exactly the value they hold.
    /// </summary>
    public static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>property gt after and property lt before</c>, either side left out when null (both null: no filter).</summary>
    public static string? Between(string property, DateTimeOffset? after, DateTimeOffset? before)
    {
        string[] clauses =
        [
            .. after is { } a ? [$"{property} gt {Instant(a)}"] : Array.Empty<string>(),
            .. before is { } b ? [$"{property} lt {Instant(b)}"] : Array.Empty<string>(),
        ];
        return clauses.Length == 0 ? null : string.Join(" and ", clauses);
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
