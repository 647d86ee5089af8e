using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using IntuneBanSync.Journal;

namespace IntuneBanSync.Benchmark;

/// <summary>Table transactions and the rows they wrote, per table and partition.</summary>
internal sealed record TableCounts(long Transactions, long Rows, IReadOnlyDictionary<string, long> RowsByPartition, IReadOnlyDictionary<string, long> TransactionsByPartition)
{
    /// <summary>The fewest transactions that could have written these rows: ⌈rows / 100⌉ per partition (a transaction is one partition, ≤ 100 entities).</summary>
    public long Floor => RowsByPartition.Values.Sum(rows => (rows + 99) / 100);

    public long MaxRowsInAPartition => RowsByPartition.Count == 0 ? 0 : RowsByPartition.Values.Max();
}

/// <summary>
/// Counts the journal's writes as the storage service sees them, from the requests on the wire: a <c>$batch</c> is one transaction
/// of its operations, any other write one of one row. The journal's own code is untouched (it is another engineer's).
/// </summary>
internal sealed partial class TableCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> _rows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _transactions = new(StringComparer.Ordinal);
    private long _transactionCount;

    public TableServiceClient Client(string connectionString)
    {
        // Azurite on a shared 2-core machine answers a large transaction slower than the storage service: a longer try, not more of them.
        var options = TableServiceFactory.Options(TableTimeouts.Default with { NetworkTimeout = TimeSpan.FromMinutes(3) });
        options.AddPolicy(this, HttpPipelinePosition.PerCall);
        return new TableServiceClient(connectionString, options);
    }

    public TableCounts Counts() => new(
        Interlocked.Read(ref _transactionCount), _rows.Values.Sum(),
        _rows.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), _transactions.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        await ProcessNextAsync(message, pipeline);
    }

    private void Count(HttpMessage message)
    {
        var request = message.Request;
        if (request.Method == RequestMethod.Get || request.Method == RequestMethod.Head)
            return;
        var path = request.Uri.Path;
        var table = TableOf(path);
        if (path.EndsWith("/Tables", StringComparison.OrdinalIgnoreCase) || table is null)
            return; // creating a table is not a journal row
        string body;
        using (var buffer = new MemoryStream())
        {
            request.Content?.WriteTo(buffer, default);
            body = Encoding.UTF8.GetString(buffer.ToArray());
        }

        Interlocked.Increment(ref _transactionCount);
        if (table == "$batch")
        {
            var operations = OperationLine().Matches(body);
            if (operations.Count == 0)
                return;
            var first = operations[0];
            var key = $"{TableOf(first.Groups["url"].Value) ?? "?"}/{PartitionOf(first.Groups["url"].Value, body)}";
            _rows.AddOrUpdate(key, operations.Count, (_, n) => n + operations.Count);
            _transactions.AddOrUpdate(key, 1, (_, n) => n + 1);
            return;
        }

        var single = $"{table}/{PartitionOf(Uri.UnescapeDataString(request.Uri.ToUri().PathAndQuery), body)}";
        _rows.AddOrUpdate(single, 1, (_, n) => n + 1);
        _transactions.AddOrUpdate(single, 1, (_, n) => n + 1);
    }

    private static string? TableOf(string pathOrUrl)
    {
        var path = Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : pathOrUrl;
        var segments = Uri.UnescapeDataString(path).Split('/', StringSplitOptions.RemoveEmptyEntries);
        // Azurite's path style: /devstoreaccount1/Table(...) or /devstoreaccount1/$batch.
        var last = segments.LastOrDefault();
        if (last is null)
            return null;
        var paren = last.IndexOf('(', StringComparison.Ordinal);
        return paren < 0 ? last : last[..paren];
    }

    private static string PartitionOf(string url, string body)
    {
        var fromUrl = PartitionInUrl().Match(Uri.UnescapeDataString(url));
        if (fromUrl.Success)
            return fromUrl.Groups["pk"].Value.Replace("''", "'", StringComparison.Ordinal);
        var fromBody = PartitionInBody().Match(body);
        return fromBody.Success ? fromBody.Groups["pk"].Value : "?";
    }

    [GeneratedRegex(@"^(?:POST|PUT|PATCH|MERGE|DELETE) (?<url>\S+) HTTP/1\.1", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex OperationLine();

    [GeneratedRegex(@"PartitionKey='(?<pk>(?:[^']|'')*)'", RegexOptions.CultureInvariant)]
    private static partial Regex PartitionInUrl();

    [GeneratedRegex("\"PartitionKey\"\\s*:\\s*\"(?<pk>(?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex PartitionInBody();
}
