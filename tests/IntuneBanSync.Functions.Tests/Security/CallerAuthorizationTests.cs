using System.Text;

namespace IntuneBanSync.Functions.Tests.Security;

/// <summary>Who may call the HTTP functions: an Entra principal vouched for by App Service Authentication, holding an app role.</summary>
public sealed class CallerAuthorizationTests
{
    private const string AliceObjectId = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    private const string RoleUri = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

    [Fact]
    public async Task Request_without_a_principal_is_unauthorized()
    {
        var request = new DefaultHttpContext().Request;

        var check = Authorization(platformAuth: "True").Check(request, AppRoles.Helpdesk);

        Assert.False(check.Allowed);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await HttpCalls.ExecuteAsync(check.Denied!)).Status);
    }

    [Fact]
    public async Task Forged_principal_on_an_app_without_platform_authentication_is_unauthorized_saying_why()
    {
        var request = Request(Principal(roles: [AppRoles.Admin]));

        var check = Authorization(platformAuth: null).Check(request, AppRoles.Helpdesk);

        var answer = await HttpCalls.ExecuteAsync(check.Denied!);
        Assert.False(check.Allowed);
        Assert.Equal(StatusCodes.Status401Unauthorized, answer.Status);
        Assert.Contains("WEBSITE_AUTH_ENABLED", answer.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Forged_principal_name_alone_on_an_app_without_platform_authentication_is_unauthorized()
    {
        var request = new DefaultHttpContext().Request;
        request.Headers[CallerAuthorization.PrincipalNameHeader] = "alice@contoso.com";

        var check = Authorization(platformAuth: "False").Check(request, AppRoles.Helpdesk);

        var answer = await HttpCalls.ExecuteAsync(check.Denied!);
        Assert.Equal(StatusCodes.Status401Unauthorized, answer.Status);
        Assert.Contains("cannot be trusted", answer.Body.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("bm90IGpzb24=")] // "not json"
    [InlineData("W10=")] // "[]"
    [InlineData("bnVsbA==")] // "null"
    [InlineData("eyJjbGFpbXMiOlt7InR5cCI6InJvbGVzIiwidmFsIjo0Mn1dfQ==")] // a claim whose val is a number
    public async Task Malformed_principal_is_unauthorized(string header)
    {
        var request = Request(header);

        var check = Authorization(platformAuth: "True").Check(request, AppRoles.Helpdesk);

        var answer = await HttpCalls.ExecuteAsync(check.Denied!);
        Assert.Equal(StatusCodes.Status401Unauthorized, answer.Status);
        Assert.Contains("base64", answer.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Principal_without_any_name_or_id_is_unauthorized()
    {
        var request = Request(Encode("""{"auth_typ":"aad","claims":[{"typ":"roles","val":"IntuneBanSync.Admin"}]}"""));

        var check = Authorization(platformAuth: "True").Check(request, AppRoles.Helpdesk);

        Assert.Equal(StatusCodes.Status401Unauthorized, (await HttpCalls.ExecuteAsync(check.Denied!)).Status);
    }

    [Fact]
    public void Helpdesk_may_call_a_helpdesk_function()
    {
        var request = Request(Principal(roles: [AppRoles.Helpdesk]));

        var check = Authorization(platformAuth: "True").Check(request, AppRoles.Helpdesk);

        Assert.True(check.Allowed);
        Assert.Null(check.Denied);
        Assert.Equal("alice@contoso.com", check.Caller!.Name);
        Assert.Equal(AliceObjectId, check.Caller.ObjectId);
        Assert.Equal([AppRoles.Helpdesk], check.Caller.Roles);
    }

    [Fact]
    public async Task Helpdesk_may_not_call_an_admin_function()
    {
        var request = Request(Principal(roles: [AppRoles.Helpdesk]));

        var check = Authorization(platformAuth: "True").Check(request, AppRoles.Admin);

        var answer = await HttpCalls.ExecuteAsync(check.Denied!);
        Assert.False(check.Allowed);
        Assert.Equal(StatusCodes.Status403Forbidden, answer.Status);
        Assert.Contains(AppRoles.Admin, answer.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Principal_without_roles_may_not_call_a_helpdesk_function()
    {
        var request = Request(Principal(roles: []));

        var check = Authorization(platformAuth: "True").Check(request, AppRoles.Helpdesk);

        Assert.Equal(StatusCodes.Status403Forbidden, (await HttpCalls.ExecuteAsync(check.Denied!)).Status);
    }

    [Theory]
    [InlineData(AppRoles.Helpdesk)]
    [InlineData(AppRoles.Admin)]
    public void Admin_may_call_any_function(string requiredRole)
    {
        var request = Request(Principal(roles: [AppRoles.Admin]));

        var check = Authorization(platformAuth: "True").Check(request, requiredRole);

        Assert.True(check.Allowed);
    }

    [Fact]
    public void Roles_are_read_from_the_claim_type_named_by_role_typ()
    {
        var request = Request(Principal(roles: [AppRoles.Admin], roleType: RoleUri));

        var check = Authorization(platformAuth: "True").Check(request, AppRoles.Admin);

        Assert.True(check.Allowed);
        Assert.Equal([AppRoles.Admin], check.Caller!.Roles);
    }

    [Fact]
    public void Roles_are_read_as_azure_sends_them_typed_roles_under_a_role_typ_uri()
    {
        // App Service Authentication in Azure names the role URI in role_typ and keeps Entra's "roles" as the claims' type.
        var request = Request(Encode($$"""
            {"auth_typ":"aad",
             "claims":[
              {"typ":"aud","val":"api://5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d"},
              {"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"{{AliceObjectId}}"},
              {"typ":"name","val":"Alice"},
              {"typ":"preferred_username","val":"alice@contoso.com"},
              {"typ":"roles","val":"{{AppRoles.Helpdesk}}"},
              {"typ":"ver","val":"2.0"}],
             "name_typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
             "role_typ":"{{RoleUri}}"}
            """));

        var check = Authorization(platformAuth: "True").Check(request, AppRoles.Helpdesk);

        Assert.True(check.Allowed);
        Assert.Equal([AppRoles.Helpdesk], check.Caller!.Roles);
    }

    [Fact]
    public void Admin_named_for_a_tenant_may_act_on_that_tenant_only()
    {
        var request = Request(Principal(roles: [AppRoles.ForTenant(AppRoles.Admin, "federal")]));
        var caller = Authorization(platformAuth: "True").Check(request, AppRoles.Admin).Caller!;

        var federal = CallerAuthorization.Authorize(caller, AppRoles.Helpdesk, new TenantScope("federal", AllowsDeploymentRoles: false));
        var regional = CallerAuthorization.Authorize(caller, AppRoles.Admin, new TenantScope("regional", AllowsDeploymentRoles: true));

        Assert.True(federal.Allowed);
        Assert.False(regional.Allowed);
    }

    [Fact]
    public void Tenant_part_of_a_role_is_read_in_any_case_and_its_role_part_exactly()
    {
        var caller = new Caller("alice", null, new HashSet<string> { "IntuneBanSync.Helpdesk.FEDERAL", "intunebansync.admin.federal" });
        var federal = new TenantScope("federal", AllowsDeploymentRoles: false);

        Assert.True(caller.Holds(AppRoles.Helpdesk, federal));
        Assert.False(caller.Holds(AppRoles.Admin, federal));
    }

    [Fact]
    public async Task Deployment_wide_admin_may_not_act_on_a_tenant_that_does_not_allow_deployment_roles()
    {
        var caller = new Caller("alice", null, new HashSet<string> { AppRoles.Admin });

        var check = CallerAuthorization.Authorize(caller, AppRoles.Helpdesk, new TenantScope("regional", AllowsDeploymentRoles: false));

        var answer = await HttpCalls.ExecuteAsync(check.Denied!);
        Assert.Equal(StatusCodes.Status403Forbidden, answer.Status);
        Assert.Contains("IntuneBanSync.Helpdesk.regional", answer.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_claim_of_another_type_carrying_a_role_name_grants_nothing()
    {
        var request = Request(Encode($$"""
            {"auth_typ":"aad","role_typ":"roles","claims":[
              {"typ":"groups","val":"{{AppRoles.Admin}}"},
              {"typ":"preferred_username","val":"mallory@contoso.com"}]}
            """));

        var check = Authorization(platformAuth: "True").Check(request, AppRoles.Helpdesk);

        Assert.Equal(StatusCodes.Status403Forbidden, (await HttpCalls.ExecuteAsync(check.Denied!)).Status);
    }

    [Fact]
    public void Role_values_are_compared_exactly()
    {
        var request = Request(Principal(roles: ["intunebansync.admin"]));

        var check = Authorization(platformAuth: "True").Check(request, AppRoles.Helpdesk);

        Assert.False(check.Allowed);
    }

    [Theory]
    [InlineData("alice@contoso.com", "Alice", "alice-header", "alice@contoso.com")]
    [InlineData(null, "Alice", "alice-header", "Alice")]
    [InlineData(null, null, "alice-header", "alice-header")]
    public void Caller_name_is_preferred_username_then_name_claim_then_principal_name_header(
        string? preferredUsername, string? name, string? header, string expected)
    {
        var request = Request(Principal(roles: [AppRoles.Helpdesk], preferredUsername: preferredUsername, name: name));
        request.Headers[CallerAuthorization.PrincipalNameHeader] = header;

        var check = Authorization(platformAuth: "True").Check(request, AppRoles.Helpdesk);

        Assert.Equal(expected, check.Caller!.Name);
    }

    [Fact]
    public void Caller_object_id_falls_back_to_the_principal_id_header()
    {
        var request = Request(Principal(roles: [AppRoles.Helpdesk], objectId: null));
        request.Headers[CallerAuthorization.PrincipalIdHeader] = AliceObjectId;

        var check = Authorization(platformAuth: "True").Check(request, AppRoles.Helpdesk);

        Assert.Equal(AliceObjectId, check.Caller!.ObjectId);
    }

    [Theory]
    [InlineData("True", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("False", false)]
    [InlineData("1", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Platform_authentication_is_on_only_when_WEBSITE_AUTH_ENABLED_is_true(string? setting, bool expected)
    {
        var options = new PlatformAuthOptions { WEBSITE_AUTH_ENABLED = setting };

        var enabled = options.Enabled;

        Assert.Equal(expected, enabled);
    }

    [Fact]
    public void Checking_for_a_role_that_is_not_an_app_role_is_a_programming_error()
    {
        var request = Request(Principal(roles: [AppRoles.Admin]));

        var check = () => Authorization(platformAuth: "True").Check(request, "IntuneBanSync.Helpdesks");

        Assert.Throws<ArgumentException>(check);
    }

    private static CallerAuthorization Authorization(string? platformAuth) =>
        new(Options.Create(new PlatformAuthOptions { WEBSITE_AUTH_ENABLED = platformAuth }));

    private static HttpRequest Request(string principalHeader)
    {
        var request = new DefaultHttpContext().Request;
        request.Headers[CallerAuthorization.PrincipalHeader] = principalHeader;
        return request;
    }

    private static string Principal(
        IReadOnlyList<string> roles,
        string? roleType = "roles",
        string? preferredUsername = "alice@contoso.com",
        string? name = "Alice",
        string? objectId = AliceObjectId)
    {
        var claims = roles.Select(role => new { typ = roleType ?? "roles", val = role }).ToList();
        if (name is not null)
            claims.Add(new { typ = "name", val = name });
        if (preferredUsername is not null)
            claims.Add(new { typ = "preferred_username", val = preferredUsername });
        if (objectId is not null)
            claims.Add(new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId });
        return Encode(JsonSerializer.Serialize(new
        {
            auth_typ = "aad",
            name_typ = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
            role_typ = roleType,
            claims,
        }));
    }

    private static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
}
