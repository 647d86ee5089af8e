using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace IntuneBanSync.Sweeps;

/// <summary>
/// The one rule for a tenant's short name, and its one canonical form. Everything a tenant keys (its lock, its journal
/// partitions, its stored ban list, its queued sweeps) uses <see cref="Canonical"/>, so "FEDERAL" and "federal" are one tenant.
/// </summary>
public static partial class TenantName
{
    public const int MaxLength = 64;

    /// <summary>What a valid name looks like, for error messages.</summary>
    public const string Rule = "1 to 64 letters, digits, '.', '-' or '_'";

    public static bool IsValid([NotNullWhen(true)] string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>The name in its canonical form (lower case); throws <see cref="ArgumentException"/> for a name that breaks <see cref="Rule"/>.</summary>
    public static string Canonical(string? name) =>
        IsValid(name) ? name.ToLowerInvariant() : throw new ArgumentException($"A tenant name must be {Rule}.", nameof(name));

    /// <summary>Whether two valid names are the same tenant.</summary>
    public static bool Same(string? a, string? b) => IsValid(a) && IsValid(b) && Canonical(a) == Canonical(b);

    // \z, not $: "$" also matches before a trailing newline.
    [GeneratedRegex(@"\A[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex Pattern();
}
