using System.Text;

namespace IntuneBanSync.BanList;

/// <summary>
/// Finds the strings and property names that JSON escapes make invalid UTF-16 (<c>"\ud800"</c>): System.Text.Json accepts
/// them as JSON but throws on reading them as text, so the parser looks for them first, by path, and reads no such string.
/// </summary>
internal static class UnpairedSurrogates
{
    private const string ValueMessage = "contains an unpaired UTF-16 surrogate (an escape from \\ud800 to \\udfff without its pair): it is not text";
    private const string NameMessage = "the property name " + ValueMessage;

    /// <param name="utf8">JSON that <see cref="JsonDocument"/> has parsed with <paramref name="options"/>, so reading it cannot fail.</param>
    public static List<BanListError> Find(ReadOnlySpan<byte> utf8, JsonReaderOptions options)
    {
        var errors = new List<BanListError>();
        var reader = new Utf8JsonReader(utf8, options);
        var containers = new Stack<Container>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    containers.Push(new Container(PathOfValue(containers), reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    containers.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    var parent = containers.Peek();
                    if (IsUnpaired(ref reader))
                    {
                        parent.PropertyPath = JsonPaths.PropertyAsWritten(parent.Path, Encoding.UTF8.GetString(reader.ValueSpan));
                        errors.Add(new BanListError(parent.PropertyPath, NameMessage));
                    }
                    else
                    {
                        parent.PropertyPath = JsonPaths.Property(parent.Path, reader.GetString()!);
                    }

                    break;
                case JsonTokenType.String:
                    var path = PathOfValue(containers);
                    if (IsUnpaired(ref reader))
                    {
                        errors.Add(new BanListError(path, ValueMessage));
                    }

                    break;
                default:
                    PathOfValue(containers);
                    break;
            }
        }

        return errors;
    }

    /// <summary>The path of the value being read; in an array, counts it.</summary>
    private static string PathOfValue(Stack<Container> containers)
    {
        if (!containers.TryPeek(out var container))
        {
            return JsonPaths.Root;
        }

        return container.IsArray ? JsonPaths.Index(container.Path, container.Count++) : container.PropertyPath!;
    }

    private static bool IsUnpaired(ref Utf8JsonReader reader) => reader.ValueIsEscaped && HasUnpairedSurrogate(reader.ValueSpan);

    /// <summary>
    /// Unescaped UTF-8 cannot hold a surrogate (the reader rejects it as invalid UTF-8), so only <c>\uXXXX</c> escapes can:
    /// a high one not followed by a low one, or a low one on its own.
    /// </summary>
    private static bool HasUnpairedSurrogate(ReadOnlySpan<byte> escaped)
    {
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != '\\')
            {
                continue;
            }

            if (escaped[i + 1] != 'u')
            {
                i++;
                continue;
            }

            var unit = CodeUnit(escaped.Slice(i + 2, 4));
            i += 5;
            if (char.IsLowSurrogate(unit))
            {
                return true;
            }

            if (char.IsHighSurrogate(unit))
            {
                var pairedWithLow = i + 6 < escaped.Length && escaped[i + 1] == '\\' && escaped[i + 2] == 'u'
                    && char.IsLowSurrogate(CodeUnit(escaped.Slice(i + 3, 4)));
                if (!pairedWithLow)
                {
                    return true;
                }

                i += 6;
            }
        }

        return false;
    }

    private static char CodeUnit(ReadOnlySpan<byte> hex) =>
        ushort.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit) ? (char)unit : '\0';

    private sealed class Container(string path, bool isArray)
    {
        public string Path { get; } = path;

        public bool IsArray { get; } = isArray;

        public int Count { get; set; }

        public string? PropertyPath { get; set; }
    }
}
