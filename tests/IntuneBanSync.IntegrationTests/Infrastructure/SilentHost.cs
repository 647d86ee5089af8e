using System.Net.Sockets;

namespace IntuneBanSync.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback port that accepts connections and never answers (or, with <see cref="SendHeadersOnly"/>, answers the
/// headers of a body it never sends): a hung Graph host or a paused storage account.
/// </summary>
internal sealed class SilentHost : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accepting;
    private int _requests;

    private SilentHost(bool headersOnly)
    {
        SendHeadersOnly = headersOnly;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public bool SendHeadersOnly { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Requests whose headers arrived (each attempt of a retried call is one).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static SilentHost Start(bool sendHeadersOnly = false) => new(sendHeadersOnly);

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients)
                    _clients.Add(client);
                _ = HoldAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HoldAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var seen = new StringBuilder();
            while (!_stop.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                    return;
                seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
                // One request per connection is all a silent host ever gets: the client gives up on it before a second.
                if (seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    seen.Clear();
                    Interlocked.Increment(ref _requests);
                    if (SendHeadersOnly)
                        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"value\":["u8.ToArray(), _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients)
                client.Dispose();
        }

        await _accepting;
        _stop.Dispose();
    }
}
