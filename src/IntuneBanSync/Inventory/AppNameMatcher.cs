namespace IntuneBanSync.Inventory;

/// <summary>
/// Matches a detected app's display name against the bans' display names: trimmed, case-insensitive, exact.
/// Lookalikes ("TikTak Timer", "TikTok Shop Seller Center") never match unless a ban lists them.
/// </summary>
public sealed class AppNameMatcher
{
    private readonly Dictionary<string, IReadOnlyList<Ban>> bansByName;

    public AppNameMatcher(BanListDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);

        bansByName = document.Bans
            .SelectMany(ban => ban.Apps.DisplayNames.Select(name => (Name: name.Trim(), Ban: ban)))
            .GroupBy(entry => entry.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                group => group.Key,
                IReadOnlyList<Ban> (group) => group.Select(entry => entry.Ban).Distinct().ToList(),
                StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The bans (in ban-list order) that list this display name; empty when none does.</summary>
    public IReadOnlyList<Ban> BansMatching(string? displayName) =>
        displayName is not null && bansByName.TryGetValue(displayName.Trim(), out var bans) ? bans : [];

    /// <summary>As <see cref="BansMatching(string?)"/>, keeping only bans whose scope covers the app's platform.</summary>
    public IReadOnlyList<Ban> BansMatching(string? displayName, DevicePlatform platform) =>
        [.. BansMatching(displayName).Where(ban => ban.Scope.Platforms.Contains(platform))];
}
