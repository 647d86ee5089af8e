using IntuneBanSync.Benchmark;
using IntuneBanSync.TenantSimulator.Azurite;

// Our sweep and the per-device baseline, side by side on the simulated tenant (in its own process, so its data does not count
// against the sweep's memory), with Intune's limits enforced and an optional latency model. See docs/benchmarks.md.
if (!BenchArguments.TryParse(args, out var arguments, out var error))
{
    await Console.Error.WriteLineAsync(error);
    await Console.Error.WriteLineAsync(BenchArguments.Usage);
    return 2;
}

await using var azurite = await AzuriteServer.StartAsync();
var failures = new List<string>();
foreach (var devices in arguments.Devices)
{
    var results = await SideBySide.RunAsync(arguments, devices, azurite.ConnectionString, () => azurite.ProcessorTime);
    Tables.Print(Console.Out, arguments, devices, results);
    failures.AddRange(Gates.Check(arguments, devices, results));
}

foreach (var failure in failures)
    await Console.Error.WriteLineAsync($"gate failed: {failure}");
Console.WriteLine(failures.Count == 0 ? "gates: all passed" : $"gates: {failures.Count.ToString(CultureInfo.InvariantCulture)} failed");
return failures.Count == 0 ? 0 : 1;
