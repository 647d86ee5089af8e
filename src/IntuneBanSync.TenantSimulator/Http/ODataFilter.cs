using System.Text.RegularExpressions;

namespace IntuneBanSync.TenantSimulator;

/// <summary>The few $filter forms the product sends; anything else is refused like Graph refuses it.</summary>
internal static partial class ODataFilter
{
    public static bool TryEquals(string filter, out string property, out string value)
    {
        var match = EqualsPattern().Match(filter);
        property = match.Success ? match.Groups["property"].Value : "";
        value = match.Success ? match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal) : "";
        return match.Success;
    }

    public static bool TryIsOf(string filter, out string type)
    {
        var match = IsOfPattern().Match(filter);
        type = match.Success ? match.Groups["type"].Value : "";
        return match.Success;
    }

    /// <summary><c>property in ('a','b')</c>; Graph takes at most 15 values by default (learn.microsoft.com/graph/filter-query-parameter).</summary>
    public static bool TryIn(string filter, out string property, out IReadOnlyList<string> values) => Values(InPattern().Match(filter), out property, out values);

    /// <summary><c>p eq 'a' or p eq 'b'</c> (one property; one clause is a plain eq): Graph counts each eq a child clause of the or.</summary>
    public static bool TryAnyEquals(string filter, out string property, out IReadOnlyList<string> values) =>
        Values(AnyEqualsPattern().Match(filter), out property, out values);

    private static bool Values(Match match, out string property, out IReadOnlyList<string> values)
    {
        property = match.Success ? match.Groups["property"].Value : "";
        values = match.Success ? [.. match.Groups["value"].Captures.Select(c => c.Value.Replace("''", "'", StringComparison.Ordinal))] : [];
        return match.Success;
    }

    [GeneratedRegex(@"^\s*(?<property>[A-Za-z]+)\s+eq\s+'(?<value>(?:[^']|'')*)'(?:\s+or\s+\k<property>\s+eq\s+'(?<value>(?:[^']|'')*)')*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex AnyEqualsPattern();

    [GeneratedRegex(@"^\s*(?<property>[A-Za-z]+)\s+in\s+\(\s*'(?<value>(?:[^']|'')*)'(?:\s*,\s*'(?<value>(?:[^']|'')*)')*\s*\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex InPattern();

    [GeneratedRegex(@"^\s*(?<property>[A-Za-z]+)\s+eq\s+'(?<value>(?:[^']|'')*)'\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex EqualsPattern();

    [GeneratedRegex(@"^\s*isof\(\s*'microsoft\.graph\.(?<type>[A-Za-z]+)'\s*\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex IsOfPattern();
}
