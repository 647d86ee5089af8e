using System.Globalization;
using System.Text;

namespace IntuneBanSync.TenantSimulator;

/// <summary>Server-driven paging: an opaque $skiptoken in an absolute @odata.nextLink, as Graph does.</summary>
internal static class Paging
{
    public static GraphResponse Page<T>(
        GraphRequest request,
        IReadOnlyList<T> items,
        int pageSize,
        int maxTop,
        string context,
        Func<T, JsonNode> shape,
        DateTimeOffset now)
    {
        if (request.QueryValue("$top") is { } topText)
        {
            if (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out var top) || top < 1)
            {
                return GraphJson.BadRequest($"Invalid $top value '{topText}'.", now);
            }

            pageSize = Math.Min(top, maxTop);
        }

        var offset = 0;
        if (request.QueryValue("$skiptoken") is { } token
            && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > items.Count))
        {
            return GraphJson.BadRequest("The $skiptoken is invalid.", now);
        }

        var body = new JsonObject
        {
            ["@odata.context"] = $"{request.VersionRoot}$metadata#{context}",
            ["value"] = new JsonArray([.. items.Skip(offset).Take(pageSize).Select(item => Select(request, shape(item)))]),
        };
        if (offset + pageSize < items.Count)
        {
            body["@odata.nextLink"] = NextLink(request, offset + pageSize);
        }

        return GraphResponse.Ok(body);
    }

    /// <summary>$select returns only the properties selected (and the type annotation), as Graph does: a client must ask for what it reads.</summary>
    public static JsonNode Select(GraphRequest request, JsonNode item)
    {
        if (request.Selected is not { } wanted || item is not JsonObject shaped)
            return item;
        // Trimmed in place: a page of a thousand devices is shaped once, not copied node by node into a second tree.
        foreach (var name in shaped.Select(p => p.Key).Where(name => !name.StartsWith('@') && !wanted.Contains(name)).ToList())
            shaped.Remove(name);
        return shaped;
    }

    private static string NextLink(GraphRequest request, int offset)
    {
        var link = new StringBuilder(request.VersionRoot).Append(request.Path).Append('?');
        foreach (var (name, value) in request.Query.Where(q => q.Key != "$skiptoken"))
        {
            link.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        }

        return link.Append("$skiptoken=").Append(offset.ToString(CultureInfo.InvariantCulture)).ToString();
    }
}
