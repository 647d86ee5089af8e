namespace IntuneBanSync.Journal;

/// <summary>Creates a store's tables once per process: later calls cost no request; a failed or cancelled attempt is tried again.</summary>
internal sealed class CreateOnce(Func<CancellationToken, Task> create)
{
    private readonly Lock _gate = new();
    private Task? _creating;

    public Task RunAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_creating is null || _creating.IsFaulted || _creating.IsCanceled)
                _creating = create(ct);
            return _creating;
        }
    }
}
