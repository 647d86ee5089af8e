using System.Diagnostics;

namespace IntuneBanSync.IntegrationTests.Simulator;

public sealed class SimulatorProcessTests
{
    [Fact]
    public async Task Process_prints_its_graph_url_and_serves_until_stopped()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "IntuneBanSync.TenantSimulator.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "--devices", "40", "--seed", "3", "--time-factor", "0.01"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var graphUrl = line!["Graph: ".Length..];
            using var http = SimulatorGraph.Http();

            var devices = JsonNode.Parse(await http.GetStringAsync($"{graphUrl}/deviceManagement/managedDevices?$top=1000"))!;
            var stats = JsonNode.Parse(await http.GetStringAsync(graphUrl.Replace("/v1.0", "/_sim/stats", StringComparison.Ordinal)))!;

            Assert.StartsWith("Graph: http://127.0.0.1:", line, StringComparison.Ordinal);
            Assert.Equal(40, devices["value"]!.AsArray().Count);
            Assert.Equal(1, stats["reads"]!.GetValue<long>());
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
