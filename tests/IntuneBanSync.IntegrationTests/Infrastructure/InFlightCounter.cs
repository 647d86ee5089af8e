namespace IntuneBanSync.IntegrationTests.Infrastructure;

/// <summary>The Graph client's last handler: the most requests (those <paramref name="counts"/> picks, all by default) it had on the wire at once.</summary>
internal sealed class InFlightCounter(Func<HttpRequestMessage, bool>? counts = null) : DelegatingHandler(new HttpClientHandler())
{
    private int _now;
    private int _max;

    public int Max => Volatile.Read(ref _max);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (counts is not null && !counts(request))
            return await base.SendAsync(request, cancellationToken);
        var now = Interlocked.Increment(ref _now);
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }

        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _now);
        }
    }
}
