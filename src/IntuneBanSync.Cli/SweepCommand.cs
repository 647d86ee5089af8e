using System.Text.Json;
using Azure.Data.Tables;
using IntuneBanSync.BanList;
using IntuneBanSync.Inventory;
using IntuneBanSync.Sweeps;

namespace IntuneBanSync.Cli;

internal static class SweepCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, Action<GraphOptions>? configureGraph)
    {
        var banlist = new Option<string>("--banlist") { Description = "Ban list JSON file (format v1)", Required = true };
        var mode = new Option<string?>("--mode") { Description = "report or enforce: overrides every ban's enforcement for this run" };
        var graphUrl = new Option<string?>("--graph-url") { Description = $"Graph v1.0 base URL (default {GraphOptions.PublicCloud}); loopback uses no credential" };
        var storage = new Option<string?>("--storage") { Description = "Table Storage connection string (default UseDevelopmentStorage=true)" };
        var asOf = new Option<string?>("--as-of") { Description = "Evaluate deadlines at this ISO 8601 date-time with a time zone, e.g. 2026-03-01T00:00:00Z (report only)" };
        var user = new Option<string?>("--user") { Description = "Sweep only this user's devices (Entra object id or UPN)" };
        var device = new Option<string?>("--device") { Description = "Sweep only this managed device (managed device id)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables" };
        var tenant = new Option<string?>("--tenant") { Description = "Journal partition for this tenant (default: AZURE_TENANT_ID or 'default')" };
        var tablePrefix = new Option<string?>("--table-prefix") { Description = "Prefix of the journal's table names (default ibs)" };
        var overrideBlastRadius = new Option<bool>("--override-blast-radius") { Description = "Enforce even where a ban's new enforcements exceed its blast-radius cap" };
        var timeout = new Option<int?>("--timeout") { Description = "Minutes after which the sweep stops and ends incomplete (default 240)" };
        var inventory = new Option<string?>("--inventory") { Description = "app-devices (default) or export-job: where a whole-tenant sweep reads which devices have a banned app" };

        var command = new Command("sweep", "Sweep a tenant: read inventory, apply the ban list, journal and report.")
        {
            banlist, mode, graphUrl, storage, asOf, user, device, json, tenant, tablePrefix, overrideBlastRadius, timeout, inventory,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var args = new SweepArguments(
                parsed.GetValue(banlist)!, parsed.GetValue(mode), parsed.GetValue(graphUrl), parsed.GetValue(storage),
                parsed.GetValue(asOf), parsed.GetValue(user), parsed.GetValue(device), parsed.GetValue(json),
                parsed.GetValue(tenant), parsed.GetValue(tablePrefix), parsed.GetValue(overrideBlastRadius), parsed.GetValue(timeout),
                parsed.GetValue(inventory));
            return await RunAsync(args, stdout, stderr, configureGraph, ct);
        });
        return command;
    }

    internal static async Task<int> RunAsync(SweepArguments args, TextWriter stdout, TextWriter stderr, Action<GraphOptions>? configureGraph, CancellationToken ct)
    {
        ValidatedSweep sweep;
        try
        {
            sweep = Validate(args, configureGraph);
        }
        catch (InputError e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        try
        {
            var tables = TableServiceFactory.Create(sweep.StorageConnectionString);
            var journal = new JournalStore(tables, sweep.TablePrefix);
            var sweeps = new LockedSweeps(SweepEngine.Over(sweep.Graph, journal, TimeProvider.System, sweep.Settings), new TenantLocks(tables, sweep.TablePrefix, TimeProvider.System), TimeProvider.System);
            var outcome = await sweeps.RunAsync(sweep.Request, $"ibs on {Environment.MachineName}", null, ct);
            if (outcome.Report is not { } report)
            {
                await stderr.WriteLineAsync(PlainText.Strip(
                    $"locked: another sweep of tenant {sweep.Request.Tenant} is running ({outcome.LockedBy?.Holder}, lease until {outcome.LockedBy?.ExpiresAt:u}); nothing was done."));
                return ExitCodes.Locked;
            }

            if (args.Json)
                await stdout.WriteLineAsync(JsonSerializer.Serialize(report, ReportJson.Options));
            else
                ReportRenderer.Render(report, stdout);
            return ExitCodes.Of(report.Status);
        }
        catch (TargetNotFoundException e)
        {
            await stderr.WriteLineAsync($"error: {(args.Device is not null ? "--device" : "--user")}: {PlainText.Strip(e.Message)}");
            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cancelled: the run is journaled as cancelled and the tenant's lock was released.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            // The journal says the same: a sweep that fails saves its run as failed with this message.
            await stderr.WriteLineAsync($"error: the sweep failed: {PlainText.Strip(e.Message)}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Everything is checked before any Graph request or storage write.</summary>
    internal static ValidatedSweep Validate(SweepArguments args, Action<GraphOptions>? configureGraph)
    {
        SweepChoices choices;
        try
        {
            choices = SweepInput.Validate(new SweepAsk(args.User, args.Device, args.Mode, args.AsOf, args.OverrideBlastRadius));
        }
        catch (SweepInputException e)
        {
            throw new InputError(OptionName(e.Field), e.Message);
        }

        var graph = new GraphOptions();
        if (args.GraphUrl is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                throw new InputError("--graph-url", $"'{PlainText.Strip(url)}' is not an absolute http(s) URL.");
            if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
                throw new InputError("--graph-url", "plain http is allowed only on a loopback address (a simulator); use https.");
            graph.BaseUrl = url.TrimEnd('/');
        }

        configureGraph?.Invoke(graph);

        var connection = args.Storage ?? "UseDevelopmentStorage=true";
        try
        {
            _ = TableServiceFactory.Create(connection);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new InputError("--storage", $"not a valid Table Storage connection string ({e.Message}).");
        }

        var prefix = args.TablePrefix ?? "ibs";
        try
        {
            JournalKeys.ValidateTablePrefix(prefix);
        }
        catch (ArgumentException)
        {
            throw new InputError(
                "--table-prefix", $"'{PlainText.Strip(prefix)}' must be 1 to {JournalKeys.MaxTablePrefixLength} ASCII letters and digits, starting with a letter.");
        }

        var tenant = args.Tenant ?? Environment.GetEnvironmentVariable("AZURE_TENANT_ID") ?? "default";
        if (!TenantName.IsValid(tenant))
            throw new InputError("--tenant", $"'{PlainText.Strip(tenant)}' must be {TenantName.Rule}.");

        var parsedList = BanListParser.ParseFile(args.BanList);
        if (!parsedList.IsValid)
            throw new InputError(
                "--banlist",
                $"{PlainText.Strip(args.BanList)} is not a valid ban list; nothing was read or written:{Environment.NewLine}" +
                string.Join(Environment.NewLine, parsedList.Errors.Select(e => $"  {e.Path}: {e.Message}")));

        if (args.TimeoutMinutes is { } minutes && minutes is < 1 or > 1440)
            throw new InputError("--timeout", $"{minutes} is not a number of minutes from 1 to 1440.");

        var settings = new SweepSettings
        {
            InventorySource = args.Inventory switch
            {
                null or "app-devices" => InventorySourceKind.AppDevices,
                "export-job" => InventorySourceKind.ExportJob,
                var other => throw new InputError("--inventory", $"'{PlainText.Strip(other)}' is not app-devices or export-job."),
            },
        };

        var request = choices.ToRequest(parsedList.Document!, TenantName.Canonical(tenant), "cli") with
        {
            Deadline = args.TimeoutMinutes is { } timeout ? TimeSpan.FromMinutes(timeout) : null,
        };
        return new ValidatedSweep(request, graph, connection, prefix, settings);
    }

    private static string OptionName(SweepInputField field) => field switch
    {
        SweepInputField.User => "--user",
        SweepInputField.Device => "--device",
        SweepInputField.Mode => "--mode",
        SweepInputField.AsOf => "--as-of",
        SweepInputField.OverrideBlastRadius => "--override-blast-radius",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}

internal sealed record SweepArguments(
    string BanList,
    string? Mode = null,
    string? GraphUrl = null,
    string? Storage = null,
    string? AsOf = null,
    string? User = null,
    string? Device = null,
    bool Json = false,
    string? Tenant = null,
    string? TablePrefix = null,
    bool OverrideBlastRadius = false,
    int? TimeoutMinutes = null,
    string? Inventory = null);

internal sealed record ValidatedSweep(SweepRequest Request, GraphOptions Graph, string StorageConnectionString, string TablePrefix, SweepSettings Settings);
