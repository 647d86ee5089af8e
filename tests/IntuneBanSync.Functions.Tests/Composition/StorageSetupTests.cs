using Azure.Data.Tables;

namespace IntuneBanSync.Functions.Tests.Composition;

/// <summary>The tables and the sweep queue are created once, when the host starts; a request never asks to create them.</summary>
public sealed class StorageSetupTests(AzuriteFixture azurite, TenantFixture fixture) : SweepHostTests(azurite, fixture)
{
    private readonly StorageRequests _requests = new();

    [Fact]
    public async Task Host_start_creates_every_table_and_the_sweep_queue()
    {
        var tables = new List<string>();
        await foreach (var table in new TableServiceClient(Azurite.ConnectionString).QueryAsync(t => t.Name.CompareTo(Host.TablePrefix) >= 0))
            if (table.Name.StartsWith(Host.TablePrefix, StringComparison.Ordinal))
                tables.Add(table.Name[Host.TablePrefix.Length..]);
        Assert.Equal(["Attestations", "Audit", "BanListAudit", "BanLists", "BanResources", "DeviceStates", "Findings", "Locks", "Runs"], tables.Order());
        Assert.True((await Host.SweepQueue().ExistsAsync()).Value);
    }

    [Fact]
    public async Task Http_functions_ask_to_create_no_table_and_no_queue()
    {
        var stored = await Host.ImportBanListAsync();
        var run = await Host.RunReportSweepAsync();
        var device = (await Host.Journal.GetDeviceStatesAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None)).Keys.First();
        var exemption = JsonNode.Parse(stored.Json)!["exemptions"]![0]!.AsObject();
        exemption["id"] = "setup-exemption";
        Assert.NotEmpty(_requests.Creations);
        _requests.Clear();

        var answers = new List<int>
        {
            await CallAsync(HttpCalls.Get().As(AppRoles.Admin), r => Host.Create<BanListApi>().GetBanList(r, CancellationToken.None)),
            await CallAsync(Put(stored.Json, stored.ETag).As(AppRoles.Admin), r => Host.Create<BanListApi>().PutBanList(r, CancellationToken.None)),
            await CallAsync(HttpCalls.JsonPost(exemption.ToJsonString()).As(AppRoles.Admin), r => Host.Create<BanListApi>().AddExemption(r, CancellationToken.None)),
            await CallAsync(HttpCalls.Request(HttpMethods.Delete).As(AppRoles.Admin), r => Host.Create<BanListApi>().DeleteExemption(r, "setup-exemption", CancellationToken.None)),
            await CallAsync(HttpCalls.Get().As(AppRoles.Helpdesk), r => Host.Create<GetSweep>().Run(r, run.RunId, CancellationToken.None)),
            await CallAsync(HttpCalls.Get().As(AppRoles.Helpdesk), r => Host.Create<GetDevice>().Run(r, device, CancellationToken.None)),
        };
        var user = SelfAttestation.Attesters.WithCoveredDevices(Tenant, 1);
        var attestable = SelfAttestation.Attesters.CoveredDevicesOf(Tenant, user.Id)[0].Id;
        var page = HttpCalls.Get().AsUser(user.Id, user.UserPrincipalName);
        var shown = await HttpCalls.ExecuteAsync(await Host.Create<AttestationPage>().ShowAttestations(page, CancellationToken.None), page);
        var form = HttpCalls.FormPost(new Dictionary<string, string>
        {
            ["device"] = attestable,
            ["ban"] = "tiktok",
            ["token"] = SelfAttestation.Attesters.TokenFor(shown.Text, attestable),
        }).AsUser(user.Id, user.UserPrincipalName);
        answers.Add(shown.Status);
        answers.Add(await CallAsync(form, r => Host.Create<AttestationPage>().RecordAttestation(r, CancellationToken.None)));
        var queue = HttpCalls.JsonPost("{}").As(AppRoles.Helpdesk);
        var queued = await HttpCalls.ExecuteAsync(await Host.Create<SweepNow>().Run(queue, CancellationToken.None), queue);

        Assert.Equal([200, 200, 201, 204, 200, 200, 200, 200], answers);
        Assert.Equal(StatusCodes.Status202Accepted, queued.Status);
        Assert.NotEmpty(_requests.All);
        Assert.Empty(_requests.Creations);
        await Host.ReceiveQueuedAsync(queued.String("runId")!);
    }

    protected override void ConfigureHostServices(IServiceCollection services) => _requests.Watch(services);

    private static HttpRequest Put(string json, string etag)
    {
        var request = HttpCalls.Request(HttpMethods.Put, json);
        request.Headers.IfMatch = etag;
        return request;
    }

    private static async Task<int> CallAsync(HttpRequest request, Func<HttpRequest, Task<IResult>> function) =>
        (await HttpCalls.ExecuteAsync(await function(request), request)).Status;
}
