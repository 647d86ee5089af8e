using System.Net.Sockets;
using IntuneBanSync.TenantSimulator.Azurite;

namespace IntuneBanSync.IntegrationTests.Infrastructure;

public sealed class AzuriteServerTests
{
    [Fact]
    public async Task Two_servers_started_at_once_listen_on_different_ports_and_both_serve_tables()
    {
        var starting = new[] { AzuriteServer.StartAsync(), AzuriteServer.StartAsync() };
        await using var first = await starting[0];
        await using var second = await starting[1];

        await new TableServiceClient(first.ConnectionString).CreateTableAsync("onlyInFirst");
        var inSecond = await new TableServiceClient(second.ConnectionString).QueryAsync(TableClient.CreateQueryFilter($"TableName eq {"onlyInFirst"}")).ToListAsync();
        var inFirst = await new TableServiceClient(first.ConnectionString).QueryAsync(TableClient.CreateQueryFilter($"TableName eq {"onlyInFirst"}")).ToListAsync();

        int[] ports = [first.BlobPort, first.QueuePort, first.TablePort, second.BlobPort, second.QueuePort, second.TablePort];
        Assert.Equal(ports.Length, ports.Distinct().Count());
        Assert.Single(inFirst);
        Assert.Empty(inSecond);
    }

    [Fact]
    public async Task A_disposed_server_refuses_connections()
    {
        var server = await AzuriteServer.StartAsync();
        var port = server.TablePort;
        using (var beforeDispose = new TcpClient())
        {
            await beforeDispose.ConnectAsync("127.0.0.1", port);
        }

        await server.DisposeAsync();

        using var afterDispose = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => afterDispose.ConnectAsync("127.0.0.1", port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task Connection_string_names_the_development_account_at_the_actual_ports()
    {
        await using var server = await AzuriteServer.StartAsync();

        var connectionString = server.ConnectionString;

        Assert.Contains("AccountName=devstoreaccount1;", connectionString, StringComparison.Ordinal);
        Assert.Contains($"TableEndpoint=http://127.0.0.1:{server.TablePort}/devstoreaccount1;", connectionString, StringComparison.Ordinal);
        Assert.Contains($"QueueEndpoint=http://127.0.0.1:{server.QueuePort}/devstoreaccount1;", connectionString, StringComparison.Ordinal);
        Assert.Contains($"BlobEndpoint=http://127.0.0.1:{server.BlobPort}/devstoreaccount1;", connectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_without_Azurite_installed_fails_with_the_command_to_run()
    {
        var folder = Directory.CreateTempSubdirectory("ibs-no-azurite-");
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "package.json"), "{}");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AzuriteServer.StartAsync(folder.FullName));

        Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Azurite_stopping_before_it_listens_fails_the_start_with_what_it_printed()
    {
        var folder = Directory.CreateTempSubdirectory("ibs-failing-azurite-");
        var entryPoint = Directory.CreateDirectory(Path.Combine(folder.FullName, "node_modules", "azurite", "dist", "src"));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "package.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(entryPoint.FullName, "azurite.js"), "console.log('Azurite Blob service is successfully listening at http://127.0.0.1:1'); console.error('EADDRINUSE on purpose'); process.exit(3);");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AzuriteServer.StartAsync(folder.FullName));

        Assert.Contains("code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("EADDRINUSE on purpose", error.Message, StringComparison.Ordinal);
        folder.Delete(recursive: true);
    }
}
