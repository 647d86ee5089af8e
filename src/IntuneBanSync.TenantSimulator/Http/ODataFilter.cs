using System.Globalization;
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

    /// <summary>
    /// <c>p gt 2026-01-01T00:00:00Z</c>, <c>p lt …</c>, or both joined by <c>and</c>: the range forms managedDevice documents for its
    /// instants ("Supports $filter operator 'lt' and 'gt'", api-reference/v1.0/resources/intune-devices-manageddevice.md). Anything
    /// else (ge, le, a quoted instant, another property) does not match, and the route refuses it.
    /// </summary>
    public static bool TryRange(string filter, string property, out DateTimeOffset? after, out DateTimeOffset? before)
    {
        after = null;
        before = null;
        var match = RangePattern().Match(filter);
        if (!match.Success)
            return false;
        for (var i = 0; i < match.Groups["property"].Captures.Count; i++)
        {
            if (!match.Groups["property"].Captures[i].Value.Equals(property, StringComparison.OrdinalIgnoreCase)
                || !DateTimeOffset.TryParse(match.Groups["instant"].Captures[i].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            {
                return false;
            }

            var isAfter = match.Groups["op"].Captures[i].Value == "gt";
            if ((isAfter ? after : before) is not null)
                return false;
            if (isAfter)
                after = instant;
            else
                before = instant;
        }

        return true;
    }

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

    [GeneratedRegex(@"^\s*(?<property>[A-Za-z]+)\s+(?<op>gt|lt)\s+(?<instant>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?(?:Z|[+-]\d{2}:\d{2}))(?:\s+and\s+(?<property>[A-Za-z]+)\s+(?<op>gt|lt)\s+(?<instant>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?(?:Z|[+-]\d{2}:\d{2})))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^\s*isof\(\s*'microsoft\.graph\.(?<type>[A-Za-z]+)'\s*\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex IsOfPattern();
}
