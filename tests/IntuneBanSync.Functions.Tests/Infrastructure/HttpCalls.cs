using System.Text;

namespace IntuneBanSync.Functions.Tests.Infrastructure;

/// <summary>Calls an HTTP function as a method and runs its IResult the way the worker's ASP.NET Core integration does.</summary>
internal static class HttpCalls
{
    public const string CallerName = "Alice";

    public static HttpRequest JsonPost(string json) => Request(HttpMethods.Post, json);

    /// <summary>A POST without a body, as curl sends it with or without a Content-Type header.</summary>
    public static HttpRequest EmptyPost(string? contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = contentType;
        context.Request.ContentLength = 0;
        return context.Request;
    }

    public static HttpRequest Get(string? query = null) => Request(HttpMethods.Get, null, query);

    public static HttpRequest Request(string method, string? json = null, string? query = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (query is not null)
            context.Request.QueryString = new QueryString(query);
        if (json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = bytes.Length;
            context.Request.Body = new MemoryStream(bytes);
        }

        return context.Request;
    }

    /// <summary>The request as App Service Authentication forwards it for a signed-in Entra principal holding <paramref name="roles"/>.</summary>
    public static HttpRequest As(this HttpRequest request, params string[] roles)
    {
        request.Headers[CallerAuthorization.PrincipalHeader] = Principal(CallerName, roles);
        return request;
    }

    /// <summary>The request as App Service Authentication forwards it for a signed-in Entra user without any app role.</summary>
    public static HttpRequest AsUser(this HttpRequest request, string objectId, string userPrincipalName)
    {
        request.Headers[CallerAuthorization.PrincipalHeader] = UserPrincipal(objectId, userPrincipalName);
        return request;
    }

    /// <summary>A signed-in user's X-MS-CLIENT-PRINCIPAL: object id and UPN as Entra sends them, no roles.</summary>
    public static string UserPrincipal(string objectId, string userPrincipalName)
    {
        object[] claims =
        [
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId },
            new { typ = "preferred_username", val = userPrincipalName },
            new { typ = "name", val = userPrincipalName },
        ];
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", name_typ = "name", role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", claims });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>A form POST as a browser sends it.</summary>
    public static HttpRequest FormPost(IReadOnlyDictionary<string, string> fields, string? query = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        if (query is not null)
            context.Request.QueryString = new QueryString(query);
        var bytes = Encoding.UTF8.GetBytes(string.Join("&", fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}")));
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        return context.Request;
    }

    public static HttpRequest WithQuery(this HttpRequest request, string query)
    {
        request.QueryString = new QueryString(query);
        return request;
    }

    /// <summary>The base64 JSON client principal App Service Authentication puts in X-MS-CLIENT-PRINCIPAL.</summary>
    public static string Principal(string name, IEnumerable<string> roles)
    {
        var claims = roles.Select(role => new { typ = "roles", val = role }).Append(new { typ = "name", val = name });
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", name_typ = "name", role_typ = "roles", claims });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Runs the result on the request's own context, so headers the function set (ETag) and the result's own (Location) are both answered.</summary>
    public static async Task<HttpAnswer> ExecuteAsync(IResult result, HttpRequest? request = null)
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var context = request?.HttpContext ?? new DefaultHttpContext();
        context.RequestServices = services;
        using var body = new MemoryStream();
        context.Response.Body = body;

        await result.ExecuteAsync(context);

        var text = Encoding.UTF8.GetString(body.ToArray());
        var isJson = context.Response.ContentType is not { } type || type.Contains("json", StringComparison.OrdinalIgnoreCase);
        var json = text.Length == 0 || !isJson ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new HttpAnswer(context.Response.StatusCode, json, text, context.Response.Headers);
    }
}

internal sealed record HttpAnswer(int Status, JsonElement Body, string Text, IHeaderDictionary Headers)
{
    public int Int(string property) => Body.GetProperty(property).GetInt32();

    public string? String(string property) => Body.GetProperty(property).GetString();

    public bool HasError(string field) => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _);

    public string? ETag => Headers.ETag.FirstOrDefault();

    public string? Location => Headers.Location.FirstOrDefault();
}
