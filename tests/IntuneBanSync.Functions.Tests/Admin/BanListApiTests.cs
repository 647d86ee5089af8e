namespace IntuneBanSync.Functions.Tests.Admin;

/// <summary>The ban list and its exemptions edited by an administrator over HTTP, versioned by ETag and audited with the caller's name.</summary>
public sealed class BanListApiTests(AzuriteFixture azurite, TenantFixture fixture) : SweepHostTests(azurite, fixture)
{
    [Fact]
    public async Task Get_answers_the_stored_list_with_its_etag()
    {
        var stored = await Host.ImportBanListAsync();

        var answer = await GetAsync(Host);

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Equal(stored.ETag, answer.ETag);
        Assert.Equal(stored.Json, answer.Text);
    }

    [Fact]
    public async Task Put_with_the_current_etag_replaces_the_list_and_answers_a_new_etag()
    {
        var stored = await Host.ImportBanListAsync();
        var changed = Document(stored);
        changed["exemptions"]![0]!["justification"] = "Official communications accounts, renewed";

        var answer = await PutAsync(Host, changed.ToJsonString(), stored.ETag);

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.NotNull(answer.ETag);
        Assert.NotEqual(stored.ETag, answer.ETag);
        Assert.Equal((stored.Version + 1, HttpCalls.CallerName), (answer.Int("version"), answer.String("changedBy")));
        var now = await GetAsync(Host);
        Assert.Equal(answer.ETag, now.ETag);
        Assert.Contains("renewed", now.Text);
    }

    [Fact]
    public async Task Put_with_a_stale_etag_is_refused_with_412_and_changes_nothing()
    {
        var stale = await Host.ImportBanListAsync();
        var theirs = await Host.BanLists.PutAsync(FunctionHost.Tenant, stale.Json, stale.ETag, "bob", CancellationToken.None);
        var before = await GetAsync(Host);
        var mine = Document(stale);
        mine["exemptions"] = new JsonArray();

        var answer = await PutAsync(Host, mine.ToJsonString(), stale.ETag);

        Assert.Equal(StatusCodes.Status412PreconditionFailed, answer.Status);
        var after = await GetAsync(Host);
        Assert.Equal(theirs.ETag, before.ETag);
        Assert.Equal((before.ETag, before.Text), (after.ETag, after.Text));
    }

    [Fact]
    public async Task Put_without_if_match_over_a_stored_list_is_refused_with_412()
    {
        var stored = await Host.ImportBanListAsync();

        var answer = await PutAsync(Host, stored.Json, ifMatch: null);

        Assert.Equal(StatusCodes.Status412PreconditionFailed, answer.Status);
        Assert.Contains("If-Match", answer.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Put_of_an_invalid_list_is_refused_naming_the_json_path_and_changes_nothing()
    {
        var stored = await Host.ImportBanListAsync();
        var invalid = Document(stored);
        invalid["exemptions"]![0]!["ban"] = "no-such-ban";

        var answer = await PutAsync(Host, invalid.ToJsonString(), stored.ETag);

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("$.exemptions[0].ban"), $"expected an error on $.exemptions[0].ban in {answer.Body}");
        var after = await GetAsync(Host);
        Assert.Equal((stored.ETag, stored.Json), (after.ETag, after.Text));
    }

    [Fact]
    public async Task Adding_then_deleting_an_exemption_changes_the_list_and_audits_the_caller()
    {
        var stored = await Host.ImportBanListAsync();
        var exemption = Document(stored)["exemptions"]![0]!.AsObject();
        exemption["id"] = "press-office";

        var added = await CallAsync(HttpCalls.Request(HttpMethods.Post, exemption.ToJsonString()), (api, r) => api.AddExemption(r, CancellationToken.None), Host);
        var afterAdd = await GetAsync(Host);
        var deleted = await CallAsync(HttpCalls.Request(HttpMethods.Delete), (api, r) => api.DeleteExemption(r, "press-office", CancellationToken.None), Host);
        var afterDelete = await GetAsync(Host);

        Assert.Equal(StatusCodes.Status201Created, added.Status);
        Assert.Equal($"/api/exemptions/press-office?tenant={FunctionHost.Tenant}", added.Location);
        Assert.Equal(["comms-team", "press-office"], ExemptionIds(afterAdd.Text));
        Assert.Equal(StatusCodes.Status204NoContent, deleted.Status);
        Assert.Equal(["comms-team"], ExemptionIds(afterDelete.Text));
        Assert.Equal(afterDelete.ETag, deleted.ETag);
        var changes = await Host.BanLists.GetChangesAsync(FunctionHost.Tenant, CancellationToken.None).ToListAsync();
        Assert.Equal(
            [(BanListStore.AddExemptionAction, "press-office", HttpCalls.CallerName), (BanListStore.DeleteExemptionAction, "press-office", HttpCalls.CallerName)],
            changes.Skip(1).Select(c => (c.Action, c.Subject, c.ChangedBy)));
    }

    [Fact]
    public async Task Adding_an_exemption_with_an_id_in_use_is_refused_naming_its_path()
    {
        var stored = await Host.ImportBanListAsync();
        var exemption = Document(stored)["exemptions"]![0]!.AsObject();

        var answer = await CallAsync(HttpCalls.Request(HttpMethods.Post, exemption.ToJsonString()), (api, r) => api.AddExemption(r, CancellationToken.None), Host);

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("$.exemptions[1].id"), $"expected an error on $.exemptions[1].id in {answer.Body}");
        Assert.Equal(stored.ETag, (await GetAsync(Host)).ETag);
    }

    [Fact]
    public async Task Deleting_an_unknown_exemption_is_not_found()
    {
        var stored = await Host.ImportBanListAsync();

        var answer = await CallAsync(HttpCalls.Request(HttpMethods.Delete), (api, r) => api.DeleteExemption(r, "nobody", CancellationToken.None), Host);

        Assert.Equal(StatusCodes.Status404NotFound, answer.Status);
        Assert.Equal(stored.ETag, (await GetAsync(Host)).ETag);
    }

    [Fact]
    public async Task Put_of_a_body_longer_than_any_ban_list_is_refused_naming_the_body_and_changes_nothing()
    {
        var stored = await Host.ImportBanListAsync();

        var answer = await PutAsync(Host, new string(' ', IntuneBanSync.Functions.Api.JsonBody.MaxLength + 1), stored.ETag);

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("body"), $"expected an error on body in {answer.Body}");
        Assert.Equal(stored.ETag, (await GetAsync(Host)).ETag);
    }

    [Fact]
    public async Task Put_with_a_lone_surrogate_in_a_string_is_refused_naming_its_path_and_changes_nothing()
    {
        var stored = await Host.ImportBanListAsync();
        var changed = Document(stored);
        changed["bans"]![0]!["name"] = "TikTok SURROGATE";

        var answer = await PutAsync(Host, LoneSurrogate(changed), stored.ETag);

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("$.bans[0].name"), $"expected an error on $.bans[0].name in {answer.Body}");
        Assert.Equal(stored.ETag, (await GetAsync(Host)).ETag);
    }

    [Fact]
    public async Task Adding_an_exemption_with_a_lone_surrogate_is_refused_naming_its_path_and_changes_nothing()
    {
        var stored = await Host.ImportBanListAsync();
        var exemption = Document(stored)["exemptions"]![0]!.AsObject();
        exemption["id"] = "SURROGATE";

        var answer = await CallAsync(HttpCalls.Request(HttpMethods.Post, LoneSurrogate(exemption)), (api, r) => api.AddExemption(r, CancellationToken.None), Host);

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("$.id"), $"expected an error on $.id in {answer.Body}");
        Assert.Equal(stored.ETag, (await GetAsync(Host)).ETag);
    }

    [Fact]
    public async Task Adding_an_exemption_whose_property_name_holds_a_lone_surrogate_is_refused_naming_its_object()
    {
        var stored = await Host.ImportBanListAsync();

        var answer = await CallAsync(HttpCalls.Request(HttpMethods.Post, """{"id":"x","\ud800":"y"}"""), (api, r) => api.AddExemption(r, CancellationToken.None), Host);

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        Assert.True(answer.HasError("$"), $"expected an error on $ in {answer.Body}");
        Assert.Equal(stored.ETag, (await GetAsync(Host)).ETag);
    }

    /// <summary>The JSON with "SURROGATE" replaced by the escape of a lone high surrogate, which JSON allows and no string can hold.</summary>
    private static string LoneSurrogate(JsonNode json) => json.ToJsonString().Replace("SURROGATE", "\\ud800", StringComparison.Ordinal);

    private static JsonObject Document(StoredBanList stored) => JsonNode.Parse(stored.Json)!.AsObject();

    private static IEnumerable<string?> ExemptionIds(string json) =>
        JsonNode.Parse(json)!["exemptions"]!.AsArray().Select(e => e!["id"]!.GetValue<string>());

    private static Task<HttpAnswer> GetAsync(SweepHost host) =>
        CallAsync(HttpCalls.Get(), (api, r) => api.GetBanList(r, CancellationToken.None), host);

    private static Task<HttpAnswer> PutAsync(SweepHost host, string json, string? ifMatch)
    {
        var request = HttpCalls.Request(HttpMethods.Put, json);
        if (ifMatch is not null)
            request.Headers.IfMatch = ifMatch;
        return CallAsync(request, (api, r) => api.PutBanList(r, CancellationToken.None), host);
    }

    private static async Task<HttpAnswer> CallAsync(HttpRequest request, Func<BanListApi, HttpRequest, Task<IResult>> call, SweepHost host)
    {
        request.As(AppRoles.Admin);
        return await HttpCalls.ExecuteAsync(await call(host.Create<BanListApi>(), request), request);
    }
}
