using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace IntuneBanSync.Functions.Tests.Infrastructure;

/// <summary>Every request the app's Table and Queue clients send, as "METHOD /path?query", seen from inside their pipelines.</summary>
internal sealed class StorageRequests : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<string> _requests = new();

    public IReadOnlyList<string> All => [.. _requests];

    /// <summary>Table creations (POST …/Tables) and queue creations (PUT on a queue itself, not on its messages or metadata).</summary>
    public IReadOnlyList<string> Creations => [.. All.Where(IsCreation)];

    /// <summary>Replaces the app's storage client options with ones carrying this policy.</summary>
    public void Watch(IServiceCollection services)
    {
        var tables = new TableClientOptions();
        tables.AddPolicy(this, HttpPipelinePosition.PerCall);
        var queues = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        queues.AddPolicy(this, HttpPipelinePosition.PerCall);
        services.AddSingleton(tables);
        services.AddSingleton(queues);
    }

    public void Clear() => _requests.Clear();

    public override void OnSendingRequest(HttpMessage message) =>
        _requests.Enqueue($"{message.Request.Method} {message.Request.Uri.ToUri().PathAndQuery}");

    private static bool IsCreation(string request)
    {
        var (method, target) = (request[..request.IndexOf(' ')], request[(request.IndexOf(' ') + 1)..]);
        var path = target.Split('?')[0];
        return (method == "POST" && path.EndsWith("/Tables", StringComparison.Ordinal))
            || (method == "PUT" && path.EndsWith("/" + Functions.Sweeps.SweepQueue.Name, StringComparison.Ordinal) && !target.Contains("comp=", StringComparison.Ordinal));
    }
}
