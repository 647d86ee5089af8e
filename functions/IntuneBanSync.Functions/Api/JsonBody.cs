using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntuneBanSync.Functions.Api;

/// <summary>
/// A request body read as JSON without an exception escaping: not JSON answers 400 naming "body"; a string that is not text
/// (a lone UTF-16 surrogate such as "\ud800", which JSON's escapes allow but no string can hold) answers 400 naming its JSON path.
/// </summary>
public static class JsonBody
{
    /// <summary>No body we take (a ban list is the largest) is longer than a ban list may be.</summary>
    public const int MaxLength = BanList.BanListLimits.MaxDocumentSize;

    /// <summary>The body's text, or the 400 to answer. At most <see cref="MaxLength"/> characters are read, whatever the client sends.</summary>
    public static async Task<(string? Text, IResult? Invalid)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxLength + 1];
        var read = 0;
        while (read < buffer.Length && await reader.ReadAsync(buffer.AsMemory(read), ct) is var count and > 0)
            read += count;
        if (read > MaxLength)
            return (null, ApiRequest.Invalid("body", $"is longer than {MaxLength:N0} characters, the most any request here takes."));
        var text = new string(buffer, 0, read);
        return Check(text) is { } invalid ? (null, invalid) : (text, null);
    }

    /// <summary>The body as a JSON object, or the 400 to answer.</summary>
    public static Task<(JsonObject? Object, IResult? Invalid)> ReadObjectAsync(HttpRequest request, CancellationToken ct) =>
        ParseAsync(request, text => JsonNode.Parse(text) as JsonObject, "not a JSON object", ct);

    /// <summary>The body deserialized with <paramref name="options"/>, <paramref name="whenEmpty"/> for no body (or null), or the 400 to answer.</summary>
    public static Task<(T? Value, IResult? Invalid)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, T whenEmpty, CancellationToken ct)
        where T : class =>
        ParseAsync(request, text => string.IsNullOrWhiteSpace(text) ? whenEmpty : JsonSerializer.Deserialize<T>(text, options) ?? whenEmpty, "not valid JSON", ct);

    /// <summary>The body's text parsed, or 400 naming "body": <paramref name="notThat"/> when it parses to nothing, with the parser's words when it fails.</summary>
    private static async Task<(T? Value, IResult? Invalid)> ParseAsync<T>(HttpRequest request, Func<string, T?> parse, string notThat, CancellationToken ct)
        where T : class
    {
        var (text, invalid) = await ReadAsync(request, ct);
        if (invalid is not null)
            return (null, invalid);
        try
        {
            return parse(text!) is { } value ? (value, null) : (null, ApiRequest.Invalid("body", $"{notThat}."));
        }
        catch (JsonException e)
        {
            return (null, ApiRequest.Invalid("body", $"{notThat}: {e.Message}"));
        }
    }

    /// <summary>
    /// 400 naming the first property name or string whose text is not valid UTF-16, or null. Text that is not JSON at all is left to
    /// the caller's own parser, which names it in its own terms (the ban list's errors, "body").
    /// </summary>
    public static IResult? Check(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return Unreadable(document.RootElement, "$") is { } path
                ? ApiRequest.Invalid(path, "holds a string that is not valid text (a lone UTF-16 surrogate such as \\ud800).")
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Unreadable(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsText(element) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Unreadable(item, $"{path}[{index++}]") is { } found)
                        return found;
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryName(property, out var name))
                        return path;
                    if (Unreadable(property.Value, $"{path}.{name}") is { } found)
                        return found;
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsText(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }
}
