namespace IntuneBanSync.Functions.Tests.Security;

/// <summary>
/// Every HTTP function, called with everything arranged for it to succeed, answers by who calls: 401 without a principal,
/// 403 without its role, its success with it, and 401 for a principal forged on an app without App Service Authentication.
/// </summary>
public sealed class AuthorizationMatrixTests(AzuriteFixture azurite, TenantFixture fixture) : SimulatedTenantTests(azurite, fixture)
{
    public enum Caller { NoPrincipal, WrongRole, RightRole, ForgedWithoutPlatformAuth }

    /// <summary>Callers of a deployment of two tenants, contoso (the default) and regional, calling about contoso unless said otherwise.</summary>
    public enum TenantCaller
    {
        RoleNamedForThisTenant,
        RoleNamedForThisTenantAskingAboutTheOther,
        DeploymentWideRole,
        DeploymentWideRoleWhereTheTenantAllowsIt,
    }

    /// <summary>Each HTTP function: the role it asks for, how to arrange and call it so that it succeeds, and its success.</summary>
    private static readonly Dictionary<string, HttpFunction> Functions = new()
    {
        [nameof(SweepNow)] = new(AppRoles.Helpdesk, StatusCodes.Status200OK, (host, tenant) =>
        {
            var request = HttpCalls.JsonPost($$"""{ "device": "{{tenant.State.ManagedDevices[0].Id}}" }""");
            return Task.FromResult<(HttpRequest, Func<Task<IResult>>)>((request, () => host.Create<SweepNow>().Run(request, CancellationToken.None)));
        }),
        [nameof(GetSweep)] = new(AppRoles.Helpdesk, StatusCodes.Status200OK, async (host, _) =>
        {
            var run = await host.RunReportSweepAsync();
            var request = HttpCalls.Get();
            return (request, () => host.Create<GetSweep>().Run(request, run.RunId, CancellationToken.None));
        }),
        [nameof(GetDevice)] = new(AppRoles.Helpdesk, StatusCodes.Status200OK, async (host, _) =>
        {
            await host.RunReportSweepAsync();
            var device = (await host.Journal.GetDeviceStatesAsync(FunctionHost.Tenant, "tiktok", CancellationToken.None)).Keys.First();
            var request = HttpCalls.Get();
            return (request, () => host.Create<GetDevice>().Run(request, device, CancellationToken.None));
        }),
        [nameof(BanListApi.GetBanList)] = new(AppRoles.Admin, StatusCodes.Status200OK, async (host, _) =>
        {
            await host.ImportBanListAsync();
            var request = HttpCalls.Get();
            return (request, () => host.Create<BanListApi>().GetBanList(request, CancellationToken.None));
        }),
        [nameof(BanListApi.PutBanList)] = new(AppRoles.Admin, StatusCodes.Status200OK, async (host, _) =>
        {
            var stored = await host.ImportBanListAsync();
            var request = HttpCalls.Request(HttpMethods.Put, stored.Json);
            request.Headers.IfMatch = stored.ETag;
            return (request, () => host.Create<BanListApi>().PutBanList(request, CancellationToken.None));
        }),
        [nameof(BanListApi.AddExemption)] = new(AppRoles.Admin, StatusCodes.Status201Created, async (host, _) =>
        {
            var stored = await host.ImportBanListAsync();
            var exemption = JsonNode.Parse(stored.Json)!["exemptions"]![0]!.AsObject();
            exemption["id"] = "matrix-exemption";
            var request = HttpCalls.Request(HttpMethods.Post, exemption.ToJsonString());
            return (request, () => host.Create<BanListApi>().AddExemption(request, CancellationToken.None));
        }),
        [nameof(BanListApi.DeleteExemption)] = new(AppRoles.Admin, StatusCodes.Status204NoContent, async (host, _) =>
        {
            await host.ImportBanListAsync();
            var request = HttpCalls.Request(HttpMethods.Delete);
            return (request, () => host.Create<BanListApi>().DeleteExemption(request, "comms-team", CancellationToken.None));
        }),
    };

    public static TheoryData<string, Caller> Cases()
    {
        var cases = new TheoryData<string, Caller>();
        foreach (var function in Functions.Keys)
        {
            foreach (var caller in Enum.GetValues<Caller>())
                cases.Add(function, caller);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Http_function_answers_according_to_the_callers_role(string name, Caller caller)
    {
        var function = Functions[name];
        await using var host = await StartHostAsync(settings =>
        {
            if (caller == Caller.ForgedWithoutPlatformAuth)
                settings.Remove(PlatformAuthOptions.Setting);
        });
        var (request, call) = await function.Arrange(host, Tenant);
        Sign(request, function.Role, caller);
        var changesBefore = await ChangesAsync(host);

        var answer = await HttpCalls.ExecuteAsync(await call(), request);

        var expected = caller switch
        {
            Caller.RightRole => function.Success,
            Caller.WrongRole => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status401Unauthorized,
        };
        Assert.True(expected == answer.Status, $"{name} as {caller}: expected {expected}, answered {answer.Status} {answer.Text}");
        if (caller != Caller.RightRole)
            Assert.Equal(changesBefore, await ChangesAsync(host));
    }

    public static TheoryData<string, TenantCaller> TenantCases()
    {
        var cases = new TheoryData<string, TenantCaller>();
        foreach (var function in Functions.Keys)
        {
            foreach (var caller in Enum.GetValues<TenantCaller>())
                cases.Add(function, caller);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(TenantCases))]
    public async Task Http_function_acts_only_on_the_tenants_the_callers_role_reaches(string name, TenantCaller caller)
    {
        var function = Functions[name];
        await using var host = await StartHostAsync(settings =>
        {
            settings["IntuneBanSync:Tenants:0:Name"] = FunctionHost.Tenant;
            settings["IntuneBanSync:Tenants:1:Name"] = "regional";
            settings["IntuneBanSync:Tenants:1:GraphBaseUrl"] = Tenant.GraphUrl;
            if (caller == TenantCaller.DeploymentWideRoleWhereTheTenantAllowsIt)
                settings["IntuneBanSync:Tenants:0:AllowDeploymentRoles"] = "true";
        });
        var (request, call) = await function.Arrange(host, Tenant);
        request.As(caller is TenantCaller.DeploymentWideRole or TenantCaller.DeploymentWideRoleWhereTheTenantAllowsIt
            ? function.Role
            : AppRoles.ForTenant(function.Role, FunctionHost.Tenant));
        if (caller == TenantCaller.RoleNamedForThisTenantAskingAboutTheOther)
            request.WithQuery("?tenant=regional");
        var changesBefore = (await ChangesAsync(host), await ChangesAsync(host, "regional"));

        var answer = await HttpCalls.ExecuteAsync(await call(), request);

        var expected = caller is TenantCaller.RoleNamedForThisTenant or TenantCaller.DeploymentWideRoleWhereTheTenantAllowsIt
            ? function.Success
            : StatusCodes.Status403Forbidden;
        Assert.True(expected == answer.Status, $"{name} as {caller}: expected {expected}, answered {answer.Status} {answer.Text}");
        if (expected == StatusCodes.Status403Forbidden)
            Assert.Equal(changesBefore, (await ChangesAsync(host), await ChangesAsync(host, "regional")));
    }

    [Fact]
    public void The_matrix_covers_every_http_function_that_needs_a_function_key()
    {
        var http = Metadata.FunctionsMetadataTests.FunctionKeyHttpFunctionNames();

        Assert.Equal(http.Order(), Functions.Keys.Order());
    }

    [Fact]
    public void Every_http_function_is_in_the_matrix_or_is_the_attestation_page()
    {
        var http = Metadata.FunctionsMetadataTests.HttpFunctionNames();

        Assert.Equal(http.Order(), Functions.Keys.Concat(["ShowAttestations", "RecordAttestation"]).Order());
    }

    private static void Sign(HttpRequest request, string role, Caller caller)
    {
        switch (caller)
        {
            case Caller.WrongRole:
                if (role == AppRoles.Admin)
                    request.As(AppRoles.Helpdesk);
                else
                    request.As();
                break;
            case Caller.RightRole:
                request.As(role);
                break;
            case Caller.ForgedWithoutPlatformAuth:
                request.As(AppRoles.Admin);
                break;
        }
    }

    private static async Task<int> ChangesAsync(SweepHost host, string tenant = FunctionHost.Tenant)
    {
        await host.BanLists.EnsureCreatedAsync(CancellationToken.None);
        return await host.BanLists.GetChangesAsync(tenant, CancellationToken.None).CountAsync();
    }

    private sealed record HttpFunction(
        string Role, int Success, Func<SweepHost, SimulatedTenant, Task<(HttpRequest Request, Func<Task<IResult>> Call)>> Arrange);
}
