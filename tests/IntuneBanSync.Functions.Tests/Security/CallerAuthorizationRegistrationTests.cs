using Microsoft.Extensions.Configuration;

namespace IntuneBanSync.Functions.Tests.Security;

/// <summary>The platform's WEBSITE_AUTH_ENABLED app setting reaches CallerAuthorization from the configuration root.</summary>
public sealed class CallerAuthorizationRegistrationTests
{
    [Theory]
    [InlineData("True", true)]
    [InlineData("False", false)]
    public void Platform_authentication_is_read_from_the_root_app_setting(string setting, bool expected)
    {
        using var services = Services(new() { ["WEBSITE_AUTH_ENABLED"] = setting });

        var enabled = services.GetRequiredService<IOptions<PlatformAuthOptions>>().Value.Enabled;

        Assert.Equal(expected, enabled);
    }

    [Fact]
    public void Platform_authentication_is_off_when_the_app_setting_is_absent_or_only_inside_a_section()
    {
        using var services = Services(new() { ["IntuneBanSync:WEBSITE_AUTH_ENABLED"] = "True" });

        var enabled = services.GetRequiredService<IOptions<PlatformAuthOptions>>().Value.Enabled;

        Assert.False(enabled);
    }

    [Fact]
    public void Caller_authorization_is_registered()
    {
        using var services = Services([]);

        var authorization = services.GetService<CallerAuthorization>();

        Assert.NotNull(authorization);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddCallerAuthorization()
            .BuildServiceProvider();
    }
}
