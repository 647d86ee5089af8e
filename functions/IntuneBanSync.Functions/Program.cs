using IntuneBanSync.Functions.Composition;
using IntuneBanSync.Functions.Security;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// HTTP triggers take ASP.NET Core's HttpRequest and return IResult, so tests call them with DefaultHttpContext.
builder.ConfigureFunctionsWebApplication();

// Every setting is validated when the host starts: a bad one stops it with the setting's name.
builder.Services.AddIntuneBanSyncOptions();

// One credential for Graph and storage: managed identity in Azure, developer sign-in locally.
builder.Services.AddAzureCredential();

// Only Entra principals with an IntuneBanSync app role, vouched for by App Service Authentication, call the HTTP functions.
builder.Services.AddCallerAuthorization();

// Each tenant's Graph client (over GraphClientFactory's handlers, with its own credential) and sweep engine.
builder.Services.AddTenants();

// Journal, tenant locks and the stored ban lists, in Table Storage.
builder.Services.AddJournal();

// Whole-tenant sweeps asked for over HTTP continue from a queue (HTTP calls are cut at 230 s).
builder.Services.AddSweepQueue();

// The same sweep engine the CLI runs, and the ban list it reads.
builder.Services.AddSweeps();

// The self-attestation page: any signed-in user confirms removing a banned app from their own device.
builder.Services.AddAttestation();

// Tables and the sweep queue are created once, when the host starts, not on every request.
builder.Services.AddStorageSetup();

// Each tenant's token is checked against the permission manifest at start: a missing grant is logged before a sweep meets it.
builder.Services.AddPermissionSelfCheck();

builder.Build().Run();
