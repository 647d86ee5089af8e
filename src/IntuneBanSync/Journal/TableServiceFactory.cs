using Azure.Core;
using Azure.Data.Tables;

namespace IntuneBanSync.Journal;

/// <summary>
/// The one place a <see cref="TableServiceClient"/> is built. The SDK's defaults (100 s per try, 3 retries) let a paused
/// storage account hold a sweep for many minutes per call; ours give up on one call after about two minutes.
/// </summary>
public static class TableServiceFactory
{
    public static TableServiceClient Create(string connectionString, TableTimeouts? timeouts = null) =>
        new(connectionString, Options(timeouts ?? TableTimeouts.Default));

    public static TableServiceClient Create(Uri serviceUri, TokenCredential credential, TableTimeouts? timeouts = null) =>
        new(serviceUri, credential, Options(timeouts ?? TableTimeouts.Default));

    public static TableClientOptions Options(TableTimeouts timeouts)
    {
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.NetworkTimeout = timeouts.NetworkTimeout;
        options.Retry.MaxRetries = timeouts.MaxRetries;
        options.Retry.Delay = TimeSpan.FromSeconds(1);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        return options;
    }
}

/// <summary>How long one try of a storage call may take, and how often a failed try is repeated.</summary>
public sealed record TableTimeouts(TimeSpan NetworkTimeout, int MaxRetries)
{
    public static TableTimeouts Default { get; } = new(TimeSpan.FromSeconds(30), 3);
}
