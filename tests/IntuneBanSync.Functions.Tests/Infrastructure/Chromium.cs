using Microsoft.Playwright;

namespace IntuneBanSync.Functions.Tests.Infrastructure;

/// <summary>
/// Debian's chromium, driven by Playwright (never Playwright's own browser download, which cannot reach its servers here).
/// CI installs the package (.ci/run); on a machine without it the browser tests are skipped, saying so.
/// </summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public const string Missing = $"{ExecutablePath} is missing: install Debian's chromium package (apt-get install -y chromium), as .ci/run does, to run the browser tests.";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }
}

/// <summary>A test that needs <see cref="Chromium"/>: skipped, with the reason, where it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!Chromium.IsInstalled)
            Skip = Chromium.Missing;
    }
}

/// <summary>One headless Chromium for a test class.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(Chromium.Missing);

    public async Task InitializeAsync()
    {
        if (Chromium.IsInstalled)
            (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
