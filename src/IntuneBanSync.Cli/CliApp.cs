namespace IntuneBanSync.Cli;

/// <summary>The `ibs` command line. Tests call <see cref="RunAsync"/> in-process with their own writers.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Action<GraphOptions>? configureGraph = null, CancellationToken ct = default)
    {
        var root = new RootCommand("IntuneBanSync: enforce government app bans on Microsoft Intune fleets.")
        {
            SweepCommand.Create(stdout, stderr, configureGraph),
            DemoCommand.Create(stdout, stderr),
            PermissionsCommand.Create(stdout, stderr),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                await stderr.WriteLineAsync($"error: {error.Message}");
            await stderr.WriteLineAsync("Run 'ibs --help' for usage.");
            return ExitCodes.InvalidInput;
        }

        // Ctrl+C cancels the sweep, which then journals its run as cancelled and releases the tenant's lock: it is given the time to.
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) }, ct);
    }
}
