using System.Collections.Concurrent;

namespace IntuneBanSync.Journal;

/// <summary>
/// What a <see cref="JournalStore"/> has written since it was made (or last <see cref="Reset"/>): entity-group transactions, single
/// writes, rows, and rows and transactions per partition, so a test can hold the journal to its floor of ⌈rows / 100⌉ transactions
/// per partition (the benchmark counts the same on the wire). Thread-safe; read it between sweeps.
/// </summary>
public sealed class JournalStats
{
    /// <summary>Partitions tracked one by one; beyond that (a host running for weeks) they are summed under <see cref="OtherPartitions"/>.</summary>
    public const int MaxTrackedPartitions = 10_000;

    public const string OtherPartitions = "(other)";

    private readonly ConcurrentDictionary<(string Table, string Partition), Counter> _partitions = new();
    private long _transactions;
    private long _singleWrites;
    private long _rows;
    private int _largestTransaction;

    /// <summary>Entity-group transactions submitted (each holds ≤ 100 rows of one partition).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Rows written one at a time (a run, a ban's resources).</summary>
    public long SingleWrites => Interlocked.Read(ref _singleWrites);

    /// <summary>Every row written, in transactions or alone.</summary>
    public long RowsWritten => Interlocked.Read(ref _rows);

    public int LargestTransaction => Volatile.Read(ref _largestTransaction);

    /// <summary>The fewest transactions the rows written in transactions could have taken: ⌈rows / 100⌉ per partition.</summary>
    public long TransactionFloor => Partitions.Sum(p => (p.TransactionRows + JournalStore.MaxTransactionSize - 1) / JournalStore.MaxTransactionSize);

    /// <summary>Rows and transactions per (table, partition), largest first.</summary>
    public IReadOnlyList<PartitionWrites> Partitions =>
        [.. _partitions.Select(p => p.Value.Snapshot(p.Key.Table, p.Key.Partition)).OrderByDescending(p => p.Rows).ThenBy(p => p.Partition, StringComparer.Ordinal)];

    public void Reset()
    {
        _partitions.Clear();
        Interlocked.Exchange(ref _transactions, 0);
        Interlocked.Exchange(ref _singleWrites, 0);
        Interlocked.Exchange(ref _rows, 0);
        Interlocked.Exchange(ref _largestTransaction, 0);
    }

    internal void Transaction(string table, string partition, int rows)
    {
        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _rows, rows);
        var largest = Volatile.Read(ref _largestTransaction);
        while (rows > largest && Interlocked.CompareExchange(ref _largestTransaction, rows, largest) != largest)
            largest = Volatile.Read(ref _largestTransaction);
        CounterOf(table, partition).Add(rows, transaction: true);
    }

    internal void SingleWrite(string table, string partition)
    {
        Interlocked.Increment(ref _singleWrites);
        Interlocked.Increment(ref _rows);
        CounterOf(table, partition).Add(1, transaction: false);
    }

    private Counter CounterOf(string table, string partition) =>
        _partitions.TryGetValue((table, partition), out var counter) ? counter
            : _partitions.Count >= MaxTrackedPartitions ? _partitions.GetOrAdd((table, OtherPartitions), _ => new Counter())
            : _partitions.GetOrAdd((table, partition), _ => new Counter());

    private sealed class Counter
    {
        private long _rows;
        private long _transactionRows;
        private long _transactions;

        public void Add(int rows, bool transaction)
        {
            Interlocked.Add(ref _rows, rows);
            if (!transaction)
                return;
            Interlocked.Add(ref _transactionRows, rows);
            Interlocked.Increment(ref _transactions);
        }

        public PartitionWrites Snapshot(string table, string partition) =>
            new(table, partition, Interlocked.Read(ref _rows), Interlocked.Read(ref _transactions), Interlocked.Read(ref _transactionRows));
    }
}

/// <summary>What was written to one partition: every row, the transactions, and the rows those transactions held.</summary>
public sealed record PartitionWrites(string Table, string Partition, long Rows, long Transactions, long TransactionRows);
