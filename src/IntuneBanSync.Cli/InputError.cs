namespace IntuneBanSync.Cli;

/// <summary>Bad input, found before anything is read from the tenant or written to storage.</summary>
public sealed class InputError(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
}
