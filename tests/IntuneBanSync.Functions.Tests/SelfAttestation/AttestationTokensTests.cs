namespace IntuneBanSync.Functions.Tests.SelfAttestation;

/// <summary>The antiforgery token of the attestation forms: bound to the tenant, the principal, the device, the ban and a time window.</summary>
public sealed class AttestationTokensTests
{
    private const string Tenant = "contoso";
    private const string User = "a0000000-0000-4000-8000-000000000001";
    private const string Device = "d0000000-0000-4000-8000-000000000001";
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);

    [Fact]
    public void Token_checks_for_the_principal_device_and_ban_it_was_issued_for()
    {
        var tokens = Tokens();

        var check = tokens.Check(tokens.Issue(Tenant, User, Device, "tiktok"), Tenant, User.ToUpperInvariant(), Device, "tiktok");

        Assert.Equal(TokenCheck.Valid, check);
    }

    [Theory]
    [InlineData("regional", User, Device, "tiktok")]
    [InlineData(Tenant, "a0000000-0000-4000-8000-000000000002", Device, "tiktok")]
    [InlineData(Tenant, User, "d0000000-0000-4000-8000-000000000002", "tiktok")]
    [InlineData(Tenant, User, Device, "wechat")]
    public void Token_is_invalid_for_any_other_tenant_principal_device_or_ban(string tenant, string user, string device, string ban)
    {
        var tokens = Tokens();

        var check = tokens.Check(tokens.Issue(Tenant, User, Device, "tiktok"), tenant, user, device, ban);

        Assert.Equal(TokenCheck.Invalid, check);
    }

    [Fact]
    public void Token_signed_with_another_key_is_invalid()
    {
        var token = Tokens("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=").Issue(Tenant, User, Device, "tiktok");

        var check = Tokens().Check(token, Tenant, User, Device, "tiktok");

        Assert.Equal(TokenCheck.Invalid, check);
    }

    [Fact]
    public void Token_whose_time_was_changed_is_invalid()
    {
        var tokens = Tokens();
        var parts = tokens.Issue(Tenant, User, Device, "tiktok").Split('.');

        var check = tokens.Check($"{parts[0]}.{long.Parse(parts[1]) + 3600}.{parts[2]}", Tenant, User, Device, "tiktok");

        Assert.Equal(TokenCheck.Invalid, check);
    }

    [Fact]
    public void Token_expires_after_its_lifetime()
    {
        var tokens = Tokens();
        var token = tokens.Issue(Tenant, User, Device, "tiktok");
        _time.Advance(TimeSpan.FromMinutes(120));
        Assert.Equal(TokenCheck.Valid, tokens.Check(token, Tenant, User, Device, "tiktok"));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TokenCheck.Expired, tokens.Check(token, Tenant, User, Device, "tiktok"));
    }

    [Theory]
    [InlineData(null, TokenCheck.Missing)]
    [InlineData("", TokenCheck.Missing)]
    [InlineData("v1.abc.def", TokenCheck.Malformed)]
    [InlineData("v2.1772355600.def", TokenCheck.Malformed)]
    [InlineData("v1.-5.def", TokenCheck.Malformed)]
    [InlineData("v1.99999999999999999999.def", TokenCheck.Malformed)]
    [InlineData("v1.1772355600", TokenCheck.Malformed)]
    [InlineData("v1.1772355600.forged", TokenCheck.Invalid)]
    public void Missing_or_malformed_token_is_refused(string? token, TokenCheck expected)
    {
        var check = Tokens().Check(token, Tenant, User, Device, "tiktok");

        Assert.Equal(expected, check);
    }

    private AttestationTokens Tokens(string key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=") =>
        new(Options.Create(new AttestationOptions { TokenKey = key }), _time);
}
