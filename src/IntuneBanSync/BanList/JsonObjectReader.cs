using System.Text.RegularExpressions;

namespace IntuneBanSync.BanList;

/// <summary>
/// Reads the properties of one JSON object, recording every problem with its JSON path instead of throwing,
/// so that a ban list is rejected with all of its errors at once.
/// </summary>
internal sealed partial class JsonObjectReader
{
    private readonly Dictionary<string, JsonElement> properties;
    private readonly List<BanListError> errors;

    private JsonObjectReader(string path, Dictionary<string, JsonElement> properties, List<BanListError> errors)
    {
        Path = path;
        this.properties = properties;
        this.errors = errors;
    }

    public string Path { get; }

    /// <summary>Errors recorded so far in the whole document: a check that added none passed.</summary>
    public int ErrorCount => errors.Count;

    /// <summary>Opens an object, reporting a wrong type, unknown properties (typos) and repeated properties.</summary>
    public static JsonObjectReader? Open(JsonElement element, string path, List<BanListError> errors, IReadOnlyList<string> allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, $"expected an object, found {Describe(element)}"));
            return null;
        }

        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var propertyPath = JsonPaths.Property(path, property.Name);
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                errors.Add(new(propertyPath, UnknownPropertyMessage(property.Name, allowed)));
            }
            else if (!properties.TryAdd(property.Name, property.Value))
            {
                errors.Add(new(propertyPath, $"property '{property.Name}' appears more than once"));
            }
        }

        return new JsonObjectReader(path, properties, errors);
    }

    public JsonObjectReader? OpenChild(JsonElement element, string path, IReadOnlyList<string> allowed) =>
        Open(element, path, errors, allowed);

    /// <summary>
    /// An object whose property names are data (language tags): each property with its path, in order; a repeated name, a wrong
    /// type or more than <paramref name="maxCount"/> properties reported.
    /// </summary>
    public IReadOnlyList<(string Name, JsonElement Element, string Path)>? Map(JsonElement element, string path, int maxCount)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, $"expected an object, found {Describe(element)}"));
            return null;
        }

        var entries = new List<(string Name, JsonElement Element, string Path)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var propertyPath = JsonPaths.Property(path, property.Name);
            if (!seen.Add(property.Name))
            {
                errors.Add(new(propertyPath, $"property '{JsonPaths.Quoted(property.Name)}' appears more than once"));
                continue;
            }

            entries.Add((property.Name, property.Value, propertyPath));
        }

        if (entries.Count > maxCount)
        {
            errors.Add(new(path, $"lists {Count(entries.Count)} entries; at most {Count(maxCount)} are allowed"));
            return null;
        }

        return entries;
    }

    public bool Has(string name) => properties.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string PathOf(string name) => JsonPaths.Property(Path, name);

    public void AddError(string path, string message) => errors.Add(new(path, message));

    public JsonElement? Required(string name)
    {
        if (properties.TryGetValue(name, out var value))
        {
            return value;
        }

        errors.Add(new(PathOf(name), $"required property '{name}' is missing"));
        return null;
    }

    /// <summary>An absent or null optional property reads as null without an error.</summary>
    public JsonElement? Optional(string name) =>
        properties.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A trimmed text of at most <paramref name="maxLength"/> characters, neither blank nor holding a control character.</summary>
    public string? RequiredNonBlankString(string name, int maxLength = int.MaxValue) =>
        Required(name) is { } value ? NonBlankString(value, PathOf(name), maxLength) : null;

    /// <summary>A text as written (blank allowed) of at most <paramref name="maxLength"/> characters without a control character.</summary>
    public string? OptionalString(string name, int maxLength) =>
        Optional(name) is { } value && String(value, PathOf(name)) is { } text && IsPlainText(text, text.Length, maxLength, PathOf(name)) ? text : null;

    public JsonObjectReader? RequiredObject(string name, IReadOnlyList<string> allowed) =>
        Required(name) is { } value ? Open(value, PathOf(name), errors, allowed) : null;

    public IReadOnlyList<(JsonElement Element, string Path)>? RequiredNonEmptyArray(string name, int maxCount = int.MaxValue)
    {
        if (Required(name) is not { } value || Array(value, PathOf(name), name, maxCount) is not { } items)
        {
            return null;
        }

        if (items.Count == 0)
        {
            errors.Add(new(PathOf(name), $"'{name}' must list at least one entry"));
            return null;
        }

        return items;
    }

    /// <returns>The entries with their paths; empty when absent; null (and an error) when not an array or longer than <paramref name="maxCount"/>.</returns>
    public IReadOnlyList<(JsonElement Element, string Path)>? OptionalArray(string name, int maxCount = int.MaxValue) =>
        Optional(name) is { } value ? Array(value, PathOf(name), name, maxCount) : [];

    public IReadOnlyList<string>? RequiredNonEmptyStrings(string name, int maxCount, int maxLength) =>
        RequiredNonEmptyArray(name, maxCount) is { } items ? NonBlankStrings(items, maxLength) : null;

    public IReadOnlyList<string>? OptionalStrings(string name, int maxCount, int maxLength) =>
        OptionalArray(name, maxCount) is { } items ? NonBlankStrings(items, maxLength) : null;

    public IReadOnlyList<string>? OptionalGuids(string name, int maxCount) =>
        OptionalArray(name, maxCount) is { } items ? Guids(items) : null;

    public DateTimeOffset? RequiredDate(string name) =>
        Required(name) is { } value ? Date(value, PathOf(name)) : null;

    public DateTimeOffset? OptionalDate(string name) =>
        Optional(name) is { } value ? Date(value, PathOf(name)) : null;

    public string? String(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString();
        }

        errors.Add(new(path, $"expected a string, found {Describe(element)}"));
        return null;
    }

    public string? NonBlankString(JsonElement element, string path, int maxLength = int.MaxValue)
    {
        if (String(element, path) is not { } text)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new(path, "must not be empty or blank"));
            return null;
        }

        // The text is checked as written: trimming would hide a trailing newline rather than report it.
        var trimmed = text.Trim();
        return IsPlainText(text, trimmed.Length, maxLength, path) ? trimmed : null;
    }

    public IReadOnlyList<(JsonElement Element, string Path)>? Array(JsonElement element, string path, string name, int maxCount)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(path, $"expected an array, found {Describe(element)}"));
            return null;
        }

        var count = element.GetArrayLength();
        if (count > maxCount)
        {
            errors.Add(new(path, $"'{name}' lists {Count(count)} entries; at most {Count(maxCount)} are allowed"));
            return null;
        }

        return [.. element.EnumerateArray().Select((item, index) => (item, JsonPaths.Index(path, index)))];
    }

    public string? Guid(JsonElement element, string path)
    {
        if (String(element, path) is not { } text)
        {
            return null;
        }

        if (!System.Guid.TryParseExact(text.Trim(), "D", out var guid))
        {
            errors.Add(new(path, $"'{JsonPaths.Quoted(text)}' is not a GUID (an Entra or Intune object id looks like 00000000-0000-0000-0000-000000000000)"));
            return null;
        }

        return guid.ToString("D");
    }

    public DateTimeOffset? Date(JsonElement element, string path)
    {
        if (String(element, path) is not { } text)
        {
            return null;
        }

        if (!DateTimeWithZone().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(new(path, $"malformed date '{JsonPaths.Quoted(text)}': use an ISO 8601 date-time with a time zone, e.g. 2023-03-15T00:00:00Z"));
            return null;
        }

        return date;
    }

    /// <summary>Reports a text longer than <paramref name="maxLength"/> (measured as <paramref name="length"/>) or holding a control character.</summary>
    private bool IsPlainText(string text, int length, int maxLength, string path)
    {
        if (length > maxLength)
        {
            errors.Add(new(path, $"must be at most {Count(maxLength)} characters (found {Count(length)})"));
            return false;
        }

        var at = PlainText.IndexOfControl(text);
        if (at >= 0)
        {
            errors.Add(new(path, $"contains the control character U+{(int)text[at]:X4} at character {Count(at + 1)}: control, line-break and bidirectional-formatting characters are not allowed"));
            return false;
        }

        return true;
    }

    private static string Count(int count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private IReadOnlyList<string>? NonBlankStrings(IReadOnlyList<(JsonElement Element, string Path)> items, int maxLength)
    {
        var values = items.Select(item => NonBlankString(item.Element, item.Path, maxLength)).ToList();
        return values.Contains(null) ? null : values.OfType<string>().ToList();
    }

    private IReadOnlyList<string>? Guids(IReadOnlyList<(JsonElement Element, string Path)> items)
    {
        var values = items.Select(item => Guid(item.Element, item.Path)).ToList();
        return values.Contains(null) ? null : values.OfType<string>().ToList();
    }

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {JsonPaths.Quoted(element.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        _ => "null",
    };

    private static string UnknownPropertyMessage(string name, IReadOnlyList<string> allowed)
    {
        // Two edits change the length by two at most, so longer or shorter names need no distance computed.
        var suggestion = allowed
            .Where(candidate => Math.Abs(candidate.Length - name.Length) <= 2)
            .Select(candidate => (Candidate: candidate, Distance: EditDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant())))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .Select(c => c.Candidate)
            .FirstOrDefault();
        return suggestion is not null
            ? $"unknown property '{JsonPaths.Quoted(name)}' (did you mean '{suggestion}'?)"
            : $"unknown property '{JsonPaths.Quoted(name)}'; allowed here: {string.Join(", ", allowed)}";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            previous = current;
        }

        return previous[b.Length];
    }

    // The offset is mandatory: a deadline without one would move with the server's time zone.
    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})\\z", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeWithZone();
}

internal static partial class JsonPaths
{
    public const string Root = "$";

    /// <summary>The most characters of a value, a number or a property name an error message quotes.</summary>
    public const int QuotedLength = 80;

    public static string Property(string parent, string name) =>
        name.Length <= QuotedLength && PlainName().IsMatch(name) ? $"{parent}.{name}" : $"{parent}['{Quoted(name.Replace("\\", "\\\\").Replace("'", "\\'"))}']";

    /// <summary>A property whose name cannot be read as text, shown as the file writes it (escapes and all).</summary>
    public static string PropertyAsWritten(string parent, string escapedName) =>
        $"{parent}['{Quoted(escapedName.Replace("'", "\\'"))}']";

    public static string Index(string parent, int index) => $"{parent}[{index.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>Untrusted text as an error message quotes it: control characters escaped, long text shortened.</summary>
    public static string Quoted(string text) => PlainText.Visible(text, QuotedLength);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainName();
}
