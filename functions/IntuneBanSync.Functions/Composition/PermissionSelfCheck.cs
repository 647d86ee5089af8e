using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntuneBanSync.Functions.Composition;

/// <summary>
/// At start, every tenant's token is compared with the permission manifest and what is missing or superfluous is logged: an
/// administrator sees a missing grant before the first sweep stops a mechanism for it. A token that cannot be had is logged, not fatal
/// (the sweeps say so too).
/// </summary>
public sealed partial class PermissionSelfCheck(TenantSweeps tenants, ILogger<PermissionSelfCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var tenant in tenants.Names)
        {
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(TimeSpan.FromSeconds(30));
                var check = await tenants.CheckPermissionsAsync(tenant, bounded.Token);
                if (check.Granted is null)
                    Unknown(logger, tenant);
                else if (check.Missing.Count > 0)
                    Missing(logger, tenant, string.Join(", ", check.Missing));
                else
                    Granted(logger, tenant);
                if (check.Superfluous.Count > 0)
                    Superfluous(logger, tenant, string.Join(", ", check.Superfluous));
            }
            catch (Exception e) when (e is OperationCanceledException or Azure.Identity.AuthenticationFailedException or Azure.RequestFailedException)
            {
                Failed(logger, e, tenant);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "Tenant {Tenant}: every Graph permission of the manifest is granted")]
    private static partial void Granted(ILogger logger, string tenant);

    [LoggerMessage(2, LogLevel.Warning, "Tenant {Tenant}: the app's token lacks {Permissions}; the mechanisms that need them will not run (ibs permissions)")]
    private static partial void Missing(ILogger logger, string tenant, string permissions);

    [LoggerMessage(3, LogLevel.Information, "Tenant {Tenant}: the app's token holds permissions IntuneBanSync does not use: {Permissions}")]
    private static partial void Superfluous(ILogger logger, string tenant, string permissions);

    [LoggerMessage(4, LogLevel.Warning, "Tenant {Tenant}: the app's token carries no application roles to compare with the manifest")]
    private static partial void Unknown(ILogger logger, string tenant);

    [LoggerMessage(5, LogLevel.Warning, "Tenant {Tenant}: the permission self-check could not get a token")]
    private static partial void Failed(ILogger logger, Exception exception, string tenant);
}
