using Azure.Core.Pipeline;

namespace IntuneBanSync.IntegrationTests.Infrastructure;

/// <summary>Counts the HTTP requests a client sends, so a test can prove that a call sent none.</summary>
public sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}
