namespace IntuneBanSync.Journal;

/// <summary>The Table service's rules for PartitionKey and RowKey values, enforced before any request (Azurite does not enforce them all).</summary>
public static class TableKeys
{
    /// <summary>The service allows 1 KiB of UTF-16; 512 characters keeps every key within it.</summary>
    public const int MaxLength = 512;

    /// <summary>Returns <paramref name="key"/> when the service would accept it; otherwise throws an <see cref="ArgumentException"/> naming <paramref name="field"/>.</summary>
    public static string Validate(string? key, string field)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException($"The {field} must not be empty: it is part of a Table Storage key.", field);
        }

        if (key.Length > MaxLength)
        {
            throw new ArgumentException($"The {field} is {key.Length} characters long; a Table Storage key allows at most {MaxLength}.", field);
        }

        var index = key.AsSpan().IndexOfAny(Forbidden);
        if (index >= 0)
        {
            throw new ArgumentException($"The {field} contains {Describe(key[index])} at position {index}; Table Storage keys cannot contain '/', '\\', '#', '?' or control characters.", field);
        }

        return key;
    }

    private static readonly System.Buffers.SearchValues<char> Forbidden = System.Buffers.SearchValues.Create(ForbiddenCharacters());

    private static string ForbiddenCharacters()
    {
        IEnumerable<char> control = [.. Enumerable.Range(0x00, 0x20).Select(c => (char)c), .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c)];
        return string.Concat(control) + "/\\#?";
    }

    private static string Describe(char c) => char.IsControl(c) ? $"the control character U+{(int)c:X4}" : $"'{c}'";
}
