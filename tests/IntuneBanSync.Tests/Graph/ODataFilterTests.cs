namespace IntuneBanSync.Tests.Graph;

public sealed class ODataFilterTests
{
    [Theory]
    [InlineData("TikTok", "'TikTok'")]
    [InlineData("", "''")]
    [InlineData("O'Brien's phone", "'O''Brien''s phone'")]
    [InlineData("'", "''''")]
    [InlineData("x' or 1 eq 1 or 'a' eq 'a", "'x'' or 1 eq 1 or ''a'' eq ''a'")]
    public void Quote_wraps_the_value_in_single_quotes_and_doubles_its_quotes(string value, string expected)
    {
        var literal = ODataFilter.Quote(value);

        Assert.Equal(expected, literal);
    }

    [Fact]
    public void Quote_rejects_null()
    {
        var quote = () => ODataFilter.Quote(null!);

        Assert.Throws<ArgumentNullException>(quote);
    }

    [Theory]
    [InlineData("6b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d")]
    [InlineData("6B1D2C3E-4F50-4A6B-8C7D-9E0F1A2B3C4D")]
    [InlineData(" 6b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d ")]
    public void Guid_returns_the_canonical_lowercase_form(string value)
    {
        var literal = ODataFilter.Guid(value, "azureADDeviceId");

        Assert.Equal("6b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", literal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-guid")]
    [InlineData("6b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4")]
    [InlineData("6b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d' or 'a' eq 'a")]
    [InlineData("{6b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d}")]
    public void Guid_rejects_anything_but_a_plain_guid_naming_the_field(string value)
    {
        var guid = () => ODataFilter.Guid(value, "azureADDeviceId");

        var error = Assert.Throws<ArgumentException>(guid);
        Assert.Equal("azureADDeviceId", error.ParamName);
        Assert.StartsWith("azureADDeviceId must be a GUID", error.Message);
    }

    [Fact]
    public void Guid_rejects_null_naming_the_field()
    {
        var guid = () => ODataFilter.Guid(null!, "userId");

        var error = Assert.Throws<ArgumentException>(guid);
        Assert.Equal("userId", error.ParamName);
    }
}
