using System.Globalization;
using System.Runtime.InteropServices;

namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// Runs the simulated tenant as a process for the benchmark:
/// <c>[--devices N] [--users N] [--seed N] [--time-factor X] [--latency-ms N] [--latency-per-item-ms X] [--offender-share X]</c>; prints the Graph URL, serves until stopped.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!TryParse(args, out var seed, out var options, out var error))
        {
            await Console.Error.WriteLineAsync(error);
            await Console.Error.WriteLineAsync("usage: IntuneBanSync.TenantSimulator [--devices N] [--users N] [--seed N] [--time-factor X] [--latency-ms N] [--latency-per-item-ms X] [--offender-share X]");
            return 2;
        }

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await using var tenant = await SimulatedTenant.StartAsync(seed, options);
        // The generated tenant (a hundred thousand devices, their apps, users and groups) is all young objects: promoted by the
        // first collections of the first sweep, it cost that sweep several seconds of the simulator's CPU, on the cores the sweep
        // shares here. A service's data is not a heap built a moment ago; it is settled before the simulator says it listens.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        Console.WriteLine($"Graph: {tenant.GraphUrl}");
        await stopped.Task;
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopped.TrySetResult();
        }
    }

    private static bool TryParse(string[] args, out TenantSeed seed, out SimulatorOptions options, out string error)
    {
        seed = TenantSeed.Small;
        options = new SimulatorOptions();
        error = "";
        int? users = null;
        double? offenders = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--devices" when int.TryParse(value, CultureInfo.InvariantCulture, out var devices) && devices >= 0:
                    seed = TenantSeed.Sized(devices, seed.Seed);
                    break;
                case "--users" when int.TryParse(value, CultureInfo.InvariantCulture, out var userCount) && userCount >= 0:
                    users = userCount;
                    break;
                case "--seed" when int.TryParse(value, CultureInfo.InvariantCulture, out var number):
                    seed = seed with { Seed = number };
                    break;
                case "--time-factor" when double.TryParse(value, CultureInfo.InvariantCulture, out var factor) && factor > 0:
                    options = options with { TimeFactor = factor };
                    break;
                case "--latency-ms" when double.TryParse(value, CultureInfo.InvariantCulture, out var latency) && latency >= 0:
                    options = options with { Latency = TimeSpan.FromMilliseconds(latency) };
                    break;
                case "--latency-per-item-ms" when double.TryParse(value, CultureInfo.InvariantCulture, out var perItem) && perItem >= 0:
                    options = options with { LatencyPerItem = TimeSpan.FromMilliseconds(perItem) };
                    break;
                case "--offender-share" when double.TryParse(value, CultureInfo.InvariantCulture, out var share) && share is >= 0 and <= 1:
                    offenders = share;
                    break;
                default:
                    error = $"Invalid argument '{args[i]}'" + (value is null ? "." : $" '{value}'.");
                    return false;
            }

            i++;
        }

        seed = users is { } count ? seed with { Users = count } : seed;
        seed = offenders is { } tiktok ? seed with { TikTokShare = tiktok } : seed;
        return true;
    }
}
