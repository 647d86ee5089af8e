using System.Text.RegularExpressions;

namespace IntuneBanSync.TenantSimulator;

/// <summary>Faults injected on top of throttling; change them while the tenant runs.</summary>
public sealed class FaultOptions(int seed)
{
    private readonly Lock gate = new();
    private readonly Random random = new(seed);
    private readonly List<PathFailure> failures = [];
    private double throttleRate;
    private double throttleWithoutRetryAfterShare;
    private int retryAfterSeconds = 1;
    private double serviceUnavailableRate;

    /// <summary>Share (0..1) of requests answered 429 at random.</summary>
    public double ThrottleRate
    {
        get { lock (gate) { return throttleRate; } }
        set { lock (gate) { throttleRate = Share(value); } }
    }

    /// <summary>Share (0..1) of injected 429s that carry no Retry-After, as Intune sometimes does.</summary>
    public double ThrottleWithoutRetryAfterShare
    {
        get { lock (gate) { return throttleWithoutRetryAfterShare; } }
        set { lock (gate) { throttleWithoutRetryAfterShare = Share(value); } }
    }

    public int RetryAfterSeconds
    {
        get { lock (gate) { return retryAfterSeconds; } }
        set { lock (gate) { retryAfterSeconds = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value)); } }
    }

    /// <summary>Share (0..1) of requests answered 503 at random.</summary>
    public double ServiceUnavailableRate
    {
        get { lock (gate) { return serviceUnavailableRate; } }
        set { lock (gate) { serviceUnavailableRate = Share(value); } }
    }

    /// <summary>Every request whose path (after /v1.0 or /beta) starts with or matches the pattern fails with the status, until cleared.</summary>
    public void FailPath(string pathPrefixOrRegex, int status = 503)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathPrefixOrRegex);
        var regex = TryRegex(pathPrefixOrRegex);
        lock (gate)
        {
            failures.Add(new PathFailure(pathPrefixOrRegex.TrimStart('/'), regex, status));
        }
    }

    public void ClearFailures()
    {
        lock (gate)
        {
            failures.Clear();
        }
    }

    internal InjectedFault? Decide(string path)
    {
        lock (gate)
        {
            foreach (var failure in failures)
            {
                if (failure.Matches(path))
                {
                    return new InjectedFault(failure.Status, null);
                }
            }

            if (throttleRate > 0 && random.NextDouble() < throttleRate)
            {
                var omit = throttleWithoutRetryAfterShare > 0 && random.NextDouble() < throttleWithoutRetryAfterShare;
                return new InjectedFault(429, omit ? null : retryAfterSeconds);
            }

            if (serviceUnavailableRate > 0 && random.NextDouble() < serviceUnavailableRate)
            {
                return new InjectedFault(503, null);
            }

            return null;
        }
    }

    private static double Share(double value) =>
        value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A share lies between 0 and 1.");

    private static Regex? TryRegex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private sealed record PathFailure(string Prefix, Regex? Pattern, int Status)
    {
        public bool Matches(string path) =>
            path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || (Pattern?.IsMatch(path) ?? false);
    }
}

internal sealed record InjectedFault(int Status, int? RetryAfterSeconds);
