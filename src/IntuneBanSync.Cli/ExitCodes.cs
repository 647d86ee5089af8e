namespace IntuneBanSync.Cli;

/// <summary>The CLI's contract with scripts (DESIGN.md §2).</summary>
public static class ExitCodes
{
    public const int Completed = 0;
    public const int Failure = 1;
    public const int InvalidInput = 2;
    public const int Incomplete = 3;
}
