using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace IntuneBanSync.Functions.Tests.Infrastructure;

/// <summary>
/// The attestation page served over HTTP on a free loopback port, as the Functions host would serve it (Core Tools cannot run here):
/// /api/attest routed to the function methods of a started <see cref="SweepHost"/>, behind a stand-in for App Service
/// Authentication that drops any X-MS-CLIENT-PRINCIPAL a client sends and signs in the simulated user a browser context names
/// in <see cref="TestUserHeader"/>.
/// </summary>
internal sealed class AttestationWebHost : IAsyncDisposable
{
    public const string TestUserHeader = "X-Test-User";

    private readonly WebApplication _app;

    private AttestationWebHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The page's URL, e.g. http://127.0.0.1:41234/api/attest.</summary>
    public Uri Address { get; }

    public static async Task<AttestationWebHost> StartAsync(SweepHost functions, SimulatedTenant tenant)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();

        app.Use(async (context, next) =>
        {
            var headers = context.Request.Headers;
            foreach (var forged in headers.Keys.Where(k => k.StartsWith(CallerAuthorization.PrincipalHeader, StringComparison.OrdinalIgnoreCase)).ToList())
                headers.Remove(forged);
            if (headers[TestUserHeader] is { Count: 1 } chosen && tenant.State.Users.FirstOrDefault(u => u.Id == chosen[0]) is { } user)
                headers[CallerAuthorization.PrincipalHeader] = HttpCalls.UserPrincipal(user.Id, user.UserPrincipalName);
            headers.Remove(TestUserHeader);
            await next(context);
        });
        // As the worker's ASP.NET Core integration does: the function's IResult runs on the request's own context.
        app.MapGet("/api/attest", async context =>
            await (await functions.Create<AttestationPage>().ShowAttestations(context.Request, context.RequestAborted)).ExecuteAsync(context));
        app.MapPost("/api/attest", async context =>
            await (await functions.Create<AttestationPage>().RecordAttestation(context.Request, context.RequestAborted)).ExecuteAsync(context));

        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AttestationWebHost(app, new Uri(new Uri(bound), "/api/attest"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
