using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IntuneBanSync.Functions.Tests.Infrastructure;

/// <summary>Calls an HTTP function as a method and runs its IResult the way the worker's ASP.NET Core integration does.</summary>
internal static class HttpCalls
{
    public static HttpRequest JsonPost(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        return context.Request;
    }

    /// <summary>A POST without a body, as curl sends it with or without a Content-Type header.</summary>
    public static HttpRequest EmptyPost(string? contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = contentType;
        context.Request.ContentLength = 0;
        return context.Request;
    }

    public static async Task<HttpAnswer> ExecuteAsync(IResult result)
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        using var body = new MemoryStream();
        context.Response.Body = body;

        await result.ExecuteAsync(context);

        body.Position = 0;
        using var json = await JsonDocument.ParseAsync(body);
        return new HttpAnswer(context.Response.StatusCode, json.RootElement.Clone());
    }
}

internal sealed record HttpAnswer(int Status, JsonElement Body)
{
    public int Int(string property) => Body.GetProperty(property).GetInt32();

    public bool HasError(string field) => Body.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _);
}
