using IntuneBanSync.Functions.Composition;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// HTTP triggers take ASP.NET Core's HttpRequest and return IResult, so tests call them with DefaultHttpContext.
builder.ConfigureFunctionsWebApplication();

// Settings, credential, callers, tenants, journal, sweep queue, sweeps, the attestation page and storage setup, as the tests host them too.
builder.Services.AddIntuneBanSync();

// Each tenant's token is checked against the permission manifest at start: a missing grant is logged before a sweep meets it.
builder.Services.AddPermissionSelfCheck();

builder.Build().Run();
