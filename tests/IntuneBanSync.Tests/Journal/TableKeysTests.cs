namespace IntuneBanSync.Tests.Journal;

public sealed class TableKeysTests
{
    [Theory]
    [InlineData("contoso.onmicrosoft.com")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("TikTok Lite | ç 字 😀")]
    [InlineData("~!@$%^&*()_+=-`'\"[]{};:,.<>")]
    public void Validate_accepts_keys_the_service_accepts(string key)
    {
        var validated = TableKeys.Validate(key, "deviceId");

        Assert.Equal(key, validated);
    }

    [Fact]
    public void Validate_accepts_a_key_of_the_maximum_length()
    {
        var key = new string('k', TableKeys.MaxLength);

        var validated = TableKeys.Validate(key, "deviceId");

        Assert.Equal(key, validated);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("")]
    public void Validate_rejects_forbidden_keys_naming_the_field(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => TableKeys.Validate(key, "banId"));

        Assert.Equal("banId", error.ParamName);
        Assert.Contains("banId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_rejects_a_null_key()
    {
        var error = Assert.Throws<ArgumentException>(() => TableKeys.Validate(null, "tenant"));

        Assert.Equal("tenant", error.ParamName);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x09)]
    [InlineData(0x0A)]
    [InlineData(0x1F)]
    [InlineData(0x7F)]
    [InlineData(0x85)]
    [InlineData(0x9F)]
    public void Validate_rejects_control_characters(int character)
    {
        var key = $"device{(char)character}1";

        var error = Assert.Throws<ArgumentException>(() => TableKeys.Validate(key, "deviceId"));

        Assert.Equal("deviceId", error.ParamName);
        Assert.Contains($"U+{character:X4}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x20)]
    [InlineData(0x7E)]
    [InlineData(0xA0)]
    public void Validate_accepts_the_characters_next_to_the_control_ranges(int character)
    {
        var key = $"device{(char)character}1";

        var validated = TableKeys.Validate(key, "deviceId");

        Assert.Equal(key, validated);
    }

    [Fact]
    public void Validate_rejects_a_key_longer_than_the_maximum()
    {
        var key = new string('k', TableKeys.MaxLength + 1);

        var error = Assert.Throws<ArgumentException>(() => TableKeys.Validate(key, "runId"));

        Assert.Equal("runId", error.ParamName);
    }
}
