namespace IntuneBanSync.Inventory;

/// <summary>
/// The tenant's managed devices cut by lastSyncDateTime into slices that are listed side by side, instead of one nextLink after
/// another. The bounds are quantiles of a sample (the listing's first page), so the slices hold about as many devices each.
/// Together they cover every instant: each slice starts a millisecond below the bound the one before it ends at, and the devices
/// of that overlap, listed twice, are dropped by id. A device that syncs while the sweep lists moves to a later time, never an
/// earlier one, so the last slice (every device synced since a little before the sweep began) is listed after all the others:
/// a device that moved is found there if it was not found where it had been.
/// </summary>
internal sealed record SyncSlices(IReadOnlyList<SyncWindow> Earlier, SyncWindow Latest)
{
    /// <summary>Our clock against the service's: a device that syncs after the sweep began is stamped after this much before.</summary>
    public static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Overlap = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Up to <paramref name="count"/> slices before <paramref name="startedAt"/> less <see cref="ClockMargin"/>, and the one after it.
    /// Null when a sampled device has no lastSyncDateTime: a filter on it would leave such a device in no slice.
    /// </summary>
    public static SyncSlices? Plan(IReadOnlyList<DateTimeOffset?> sample, DateTimeOffset startedAt, int count)
    {
        if (sample.Count == 0 || sample.Any(t => t is null))
            return null;
        var recent = Millisecond(startedAt - ClockMargin);
        var earlier = sample.Select(t => t!.Value).Where(t => t < recent).Order().ToList();
        var bounds = new List<DateTimeOffset>();
        for (var i = 1; i < count && earlier.Count > 0; i++)
        {
            var bound = Millisecond(earlier[i * earlier.Count / count]);
            if (bound > DateTimeOffset.MinValue + TimeSpan.FromDays(1) && (bounds.Count == 0 || bound > bounds[^1]) && bound < recent)
                bounds.Add(bound);
        }

        bounds.Add(recent);
        var windows = new List<SyncWindow>(bounds.Count);
        DateTimeOffset? after = null;
        foreach (var bound in bounds)
        {
            windows.Add(new SyncWindow(after, bound));
            after = bound - Overlap;
        }

        return new SyncSlices(windows, new SyncWindow(after, null));
    }

    private static DateTimeOffset Millisecond(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
