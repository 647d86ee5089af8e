namespace IntuneBanSync.Tests.Sweeps;

/// <summary>One rule for tenant names, one canonical form: a tenant is the same tenant whatever case it is asked for in.</summary>
public sealed class TenantNameTests
{
    [Theory]
    [InlineData("contoso")]
    [InlineData("Contoso.onmicrosoft.com")]
    [InlineData("0b9c2f1e-4d3a-4e5f-9a8b-7c6d5e4f3a2b")]
    [InlineData("federal_gov")]
    [InlineData("a")]
    public void Letters_digits_dots_dashes_and_underscores_make_a_tenant_name(string name)
    {
        var valid = TenantName.IsValid(name);

        Assert.True(valid);
    }

    [Theory]
    [InlineData("federal\n")]
    [InlineData("federal\r\n")]
    [InlineData("\nfederal")]
    [InlineData("")]
    [InlineData("fed eral")]
    [InlineData("federal/regional")]
    [InlineData("fédéral")]
    [InlineData("federal|x")]
    [InlineData(null)]
    public void Anything_else_is_not_a_tenant_name(string? name)
    {
        var valid = TenantName.IsValid(name);

        Assert.False(valid);
    }

    [Fact]
    public void A_tenant_name_has_at_most_64_characters()
    {
        var longest = new string('a', TenantName.MaxLength);

        Assert.True(TenantName.IsValid(longest));
        Assert.False(TenantName.IsValid(longest + "a"));
    }

    [Theory]
    [InlineData("FEDERAL")]
    [InlineData("Federal")]
    [InlineData("federal")]
    public void Canonical_form_is_lower_case(string name)
    {
        var canonical = TenantName.Canonical(name);

        Assert.Equal("federal", canonical);
    }

    [Fact]
    public void Names_differing_only_in_case_are_the_same_tenant()
    {
        Assert.True(TenantName.Same("FEDERAL", "federal"));
        Assert.False(TenantName.Same("federal", "regional"));
        Assert.False(TenantName.Same("federal\n", "federal"));
    }

    [Fact]
    public void Canonical_form_of_an_invalid_name_is_an_error()
    {
        var canonical = () => TenantName.Canonical("federal\n");

        Assert.Throws<ArgumentException>(canonical);
    }
}
