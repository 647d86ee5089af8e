using Microsoft.Extensions.DependencyInjection;

namespace IntuneBanSync.Functions.Security;

public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddCallerAuthorization(this IServiceCollection services)
    {
        // The platform sets WEBSITE_AUTH_ENABLED at the root of the app settings, outside our section.
        services.AddOptions<PlatformAuthOptions>().BindConfiguration(string.Empty);
        services.AddSingleton<CallerAuthorization>();
        return services;
    }
}
