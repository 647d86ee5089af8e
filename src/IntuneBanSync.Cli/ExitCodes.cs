namespace IntuneBanSync.Cli;

/// <summary>The CLI's contract with scripts (DESIGN.md §2).</summary>
public static class ExitCodes
{
    public const int Completed = 0;
    public const int Failure = 1;
    public const int InvalidInput = 2;
    public const int Incomplete = 3;
    public const int Held = 4;
    public const int Locked = 5;

    /// <summary>Interrupted (Ctrl+C): the run is journaled as cancelled and the lock released. 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;

    public static int Of(Journal.SweepStatus status) => status switch
    {
        Journal.SweepStatus.Completed => Completed,
        Journal.SweepStatus.Held => Held,
        Journal.SweepStatus.Incomplete => Incomplete,
        _ => Failure,
    };
}
