using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace IntuneBanSync.TenantSimulator.Azurite;

/// <summary>
/// Azurite from the repository's pinned npm install, on ports the system chooses, in memory. Set IBS_AZURITE_DIR to the
/// folder holding Azurite's package.json and node_modules to use another install.
/// </summary>
public sealed partial class AzuriteServer : IAsyncDisposable
{
    public const string DirectoryVariable = "IBS_AZURITE_DIR";

    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly EventHandler _killOnExit;
    private int _disposed;

    private AzuriteServer(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        _killOnExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>The CPU time Azurite's process has used: the benchmark reports what the stand-ins take from the cores a sweep shares.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.HasExited ? TimeSpan.Zero : _process.TotalProcessorTime;
        }
    }

    /// <summary>The well-known development account, at the ports this server listens on.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    public static async Task<AzuriteServer> StartAsync(CancellationToken ct = default) => await StartAsync(LocateAzuriteDirectory(), ct);

    /// <summary>Starts the Azurite installed in <paramref name="azuriteDirectory"/> (the folder holding its package.json and node_modules).</summary>
    public static async Task<AzuriteServer> StartAsync(string azuriteDirectory, CancellationToken ct = default)
    {
        var entryPoint = LocateEntryPoint(azuriteDirectory);
        var start = new ProcessStartInfo("node")
        {
            // In memory Azurite writes no files; the temporary folder keeps any future one out of the repository.
            WorkingDirectory = Path.GetTempPath(),
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Azurite never reads stdin; its end of file means this process is gone, however it died, so Azurite follows.
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add("process.stdin.on('end', () => process.exit(0)); process.stdin.resume(); require(process.argv[1]);");
        start.ArgumentList.Add("--");
        foreach (var argument in (string[])[entryPoint, "--blobPort", "0", "--queuePort", "0", "--tablePort", "0", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent"])
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var ports = new Dictionary<string, int>();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) =>
        {
            if (listening.Task.IsCompleted)
            {
                return;
            }

            try
            {
                // Waiting again drains what Azurite printed last, which usually says why it stopped.
                process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
                // Disposed by a start that gave up first.
            }

            listening.TrySetException(new InvalidOperationException(
                $"Azurite exited with code {SafeExitCode(process)} before listening on all three services. It printed:{Environment.NewLine}{Printed()}"));
        };

        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException("Could not start 'node' to run Azurite: install Node.js 20 and put it on the PATH.", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = default(AzuriteServer);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(StartTimeout);
            try
            {
                await listening.Task.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"Azurite did not report listening on blob, queue and table within {StartTimeout.TotalSeconds:0} s. It printed:{Environment.NewLine}{Printed()}");
            }

            lock (ports)
            {
                server = new AzuriteServer(process, ports["Blob"], ports["Queue"], ports["Table"]);
            }

            return server;
        }
        finally
        {
            if (server is null)
            {
                await KillAndWaitAsync(process);
                process.Dispose();
            }
        }

        void OnLine(string? line)
        {
            if (line is null || listening.Task.IsCompleted)
            {
                return;
            }

            lock (ports)
            {
                output.AppendLine(line);
                if (ListeningLine().Match(line) is { Success: true } match)
                {
                    ports[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (ports.Count == 3)
                    {
                        listening.TrySetResult();
                    }
                }
            }
        }

        string Printed()
        {
            lock (ports)
            {
                return output.Length == 0 ? "(nothing)" : output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
        await KillAndWaitAsync(_process);
        _process.Dispose();
    }

    /// <summary>The folder holding Azurite's package.json: IBS_AZURITE_DIR, else tools/azurite above the binaries or the current directory.</summary>
    public static string LocateAzuriteDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(Path.Combine(configured, "package.json"))
                ? Path.GetFullPath(configured)
                : throw new InvalidOperationException($"{DirectoryVariable} is '{configured}', which holds no package.json.");
        }

        foreach (var start in (string[])[AppContext.BaseDirectory, Directory.GetCurrentDirectory()])
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "tools", "azurite");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(
            $"Could not find tools/azurite/package.json above '{AppContext.BaseDirectory}' or '{Directory.GetCurrentDirectory()}'. Run from the repository or set {DirectoryVariable}.");
    }

    private static string LocateEntryPoint(string directory)
    {
        var entryPoint = Path.Combine(directory, "node_modules", "azurite", "dist", "src", "azurite.js");
        return File.Exists(entryPoint)
            ? entryPoint
            : throw new InvalidOperationException($"Azurite is not installed in '{directory}': run `npm ci` in that folder (tools/azurite), or build the TenantSimulator project, which does it.");
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Already gone.
        }
    }

    private static async Task KillAndWaitAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            return;
        }

        await process.WaitForExitAsync();
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at https?://[^:\s]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
