using IntuneBanSync.Functions.Composition;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// HTTP triggers take ASP.NET Core's HttpRequest and return IResult, so tests call them with DefaultHttpContext.
builder.ConfigureFunctionsWebApplication();

// Every setting is validated when the host starts: a bad one stops it with the setting's name.
builder.Services.AddIntuneBanSyncOptions();

// One credential for Graph and storage: managed identity in Azure, developer sign-in locally.
builder.Services.AddAzureCredential();

// The Graph SDK over GraphClientFactory's handlers, behind the engine's IIntuneGraph.
builder.Services.AddIntuneGraph();

// Runs, findings and device states in Table Storage.
builder.Services.AddJournal();

// The same sweep engine the CLI runs, and the ban list it reads.
builder.Services.AddSweeps();

builder.Build().Run();
