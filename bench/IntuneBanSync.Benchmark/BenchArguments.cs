namespace IntuneBanSync.Benchmark;

/// <summary>The benchmark's command line.</summary>
internal sealed record BenchArguments
{
    public const string Usage =
        "usage: IntuneBanSync.Benchmark [--quick] [--devices N[,N…]] [--time-factor X] [--latency-ms N] [--latency-per-item-ms X] " +
        "[--offender-share X] [--baseline-concurrency N] [--no-baseline] [--no-enforce] [--timings]";

    public IReadOnlyList<int> Devices { get; init; } = [10_000, 100_000];

    /// <summary>Scales the 20 s throttling window, the same for the simulator and our pacing, so both sides meet the same limits sooner.</summary>
    public double TimeFactor { get; init; } = 1.0;

    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    public TimeSpan LatencyPerItem { get; init; } = TimeSpan.Zero;

    public double OffenderShare { get; init; } = 0.05;

    public int BaselineConcurrency { get; init; } = 4;

    public bool Baseline { get; init; } = true;

    public bool Enforce { get; init; } = true;

    public bool Quick { get; init; }

    /// <summary>Our sweeps' steps and how long each took, on standard error (the engine's Debug log of each step).</summary>
    public bool Timings { get; init; }

    public TimeSpan Window => TimeSpan.FromSeconds(20 * TimeFactor);

    public static bool TryParse(string[] args, out BenchArguments parsed, out string error)
    {
        parsed = new BenchArguments();
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            var consumed = true;
            switch (args[i])
            {
                case "--quick":
                    // Large enough that the per-app listings (one request per detected version of a banned app) weigh what they do in a real tenant.
                    parsed = parsed with { Quick = true, Devices = [20_000], TimeFactor = 0.05, Enforce = false };
                    consumed = false;
                    break;
                case "--no-baseline":
                    parsed = parsed with { Baseline = false };
                    consumed = false;
                    break;
                case "--no-enforce":
                    parsed = parsed with { Enforce = false };
                    consumed = false;
                    break;
                case "--timings":
                    parsed = parsed with { Timings = true };
                    consumed = false;
                    break;
                case "--devices" when value is not null && Counts(value) is { } counts:
                    parsed = parsed with { Devices = counts };
                    break;
                case "--time-factor" when Number(value) is > 0 and <= 10 and var factor:
                    parsed = parsed with { TimeFactor = factor };
                    break;
                case "--latency-ms" when Number(value) is >= 0 and var latency:
                    parsed = parsed with { Latency = TimeSpan.FromMilliseconds(latency) };
                    break;
                case "--latency-per-item-ms" when Number(value) is >= 0 and var perItem:
                    parsed = parsed with { LatencyPerItem = TimeSpan.FromMilliseconds(perItem) };
                    break;
                case "--offender-share" when Number(value) is >= 0 and <= 1 and var share:
                    parsed = parsed with { OffenderShare = share };
                    break;
                case "--baseline-concurrency" when Number(value) is >= 1 and <= 64 and var concurrency && concurrency == Math.Floor(concurrency):
                    parsed = parsed with { BaselineConcurrency = (int)concurrency };
                    break;
                default:
                    error = $"Invalid argument '{args[i]}'" + (value is null ? "." : $" '{value}'.");
                    return false;
            }

            if (consumed)
                i++;
        }

        return true;
    }

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static IReadOnlyList<int>? Counts(string text)
    {
        var counts = new List<int>();
        foreach (var part in text.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
                return null;
            counts.Add(count);
        }

        return counts;
    }
}
