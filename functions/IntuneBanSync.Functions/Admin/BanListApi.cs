using IntuneBanSync.Functions.Api;
using IntuneBanSync.Functions.Security;
using Microsoft.Azure.Functions.Worker;

namespace IntuneBanSync.Functions.Admin;

/// <summary>
/// The ban list and its exemptions, for administrators: the whole document with GET/PUT (versioned by ETag, If-Match
/// required to replace one, 412 when stale), exemptions one at a time. Validated as the CLI validates; every change audited with who made it.
/// </summary>
public sealed class BanListApi(ApiRequest api, BanListStore store)
{
    [Function(nameof(GetBanList))]
    public async Task<IResult> GetBanList([HttpTrigger(AuthorizationLevel.Function, "get", Route = "banlist")] HttpRequest request, CancellationToken ct)
    {
        if (!api.Allows(request, AppRoles.Admin, out var call, out var refusal))
            return refusal;

        if (await store.GetAsync(call.Tenant, ct) is not { } stored)
            return TypedResults.NotFound(new { error = $"Tenant {call.Tenant} has no stored ban list yet." });
        request.HttpContext.Response.Headers.ETag = stored.ETag;
        return TypedResults.Text(stored.Json, "application/json");
    }

    [Function(nameof(PutBanList))]
    public async Task<IResult> PutBanList([HttpTrigger(AuthorizationLevel.Function, "put", Route = "banlist")] HttpRequest request, CancellationToken ct)
    {
        var put = await api.ReadAsync(request, AppRoles.Admin, JsonBody.ReadAsync, ct);
        if (!put.TryGet(out var call, out var json, out var refusal))
            return refusal;

        var ifMatch = request.Headers.IfMatch.FirstOrDefault();
        try
        {
            var stored = await store.PutAsync(call.Tenant, json, ifMatch, call.Caller.Name, ct);
            request.HttpContext.Response.Headers.ETag = stored.ETag;
            return TypedResults.Ok(new { tenant = call.Tenant, version = stored.Version, changedBy = stored.ChangedBy });
        }
        catch (BanListRejectedException e)
        {
            return Rejected(e);
        }
        catch (BanListConflictException e)
        {
            return TypedResults.Problem(
                ifMatch is null ? $"{e.Message} Send If-Match with the ETag you read to replace it." : e.Message,
                statusCode: StatusCodes.Status412PreconditionFailed);
        }
    }

    [Function(nameof(AddExemption))]
    public async Task<IResult> AddExemption([HttpTrigger(AuthorizationLevel.Function, "post", Route = "exemptions")] HttpRequest request, CancellationToken ct)
    {
        var add = await api.ReadAsync(request, AppRoles.Admin, JsonBody.ReadObjectAsync, ct);
        if (!add.TryGet(out var call, out var exemption, out var refusal))
            return refusal;

        try
        {
            var stored = await store.AddExemptionAsync(call.Tenant, exemption, call.Caller.Name, ct);
            request.HttpContext.Response.Headers.ETag = stored.ETag;
            var id = exemption["id"]?.GetValue<string>() ?? "";
            return TypedResults.Created($"/api/exemptions/{Uri.EscapeDataString(id)}?tenant={Uri.EscapeDataString(call.Tenant)}", new { version = stored.Version });
        }
        catch (BanListRejectedException e)
        {
            return Rejected(e);
        }
        catch (KeyNotFoundException e)
        {
            return TypedResults.NotFound(new { error = e.Message });
        }
    }

    [Function(nameof(DeleteExemption))]
    public async Task<IResult> DeleteExemption(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "exemptions/{id}")] HttpRequest request, string id, CancellationToken ct)
    {
        if (!api.Allows(request, AppRoles.Admin, out var call, out var refusal))
            return refusal;

        try
        {
            var stored = await store.DeleteExemptionAsync(call.Tenant, id, call.Caller.Name, ct);
            request.HttpContext.Response.Headers.ETag = stored.ETag;
            return TypedResults.NoContent();
        }
        catch (KeyNotFoundException e)
        {
            return TypedResults.NotFound(new { error = e.Message });
        }
    }

    private static IResult Rejected(BanListRejectedException e) =>
        TypedResults.ValidationProblem(e.Errors.GroupBy(x => x.Path).ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray()));
}
