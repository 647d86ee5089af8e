namespace IntuneBanSync.TenantSimulator;

internal enum ThrottleCategory
{
    None,
    Devices,
    Apps,
    Directory,
}

/// <summary>Fixed windows per category, as Intune and Entra count requests per app per tenant.</summary>
internal sealed class ThrottleGate(SimulatorOptions options)
{
    private readonly Lock gate = new();
    private readonly Dictionary<ThrottleCategory, Window> windows = [];

    /// <summary>Admits the request, or returns the whole seconds until its window resets.</summary>
    public int? Admit(ThrottleCategory category, bool isWrite)
    {
        if (category == ThrottleCategory.None)
        {
            return null;
        }

        var limit = category switch
        {
            ThrottleCategory.Devices => options.DevicesLimit,
            ThrottleCategory.Apps => options.AppsLimit,
            _ => options.DirectoryLimit,
        };
        var now = options.ThrottleClock.GetUtcNow();
        lock (gate)
        {
            if (!windows.TryGetValue(category, out var window) || now >= window.Start + options.ThrottleWindow)
            {
                window = new Window(now);
                windows[category] = window;
            }

            if (window.Requests >= limit.Requests || (isWrite && window.Writes >= limit.Writes))
            {
                var remaining = window.Start + options.ThrottleWindow - now;
                return Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds));
            }

            window.Requests++;
            if (isWrite)
            {
                window.Writes++;
            }

            return null;
        }
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;
        public int Requests { get; set; }
        public int Writes { get; set; }
    }
}
