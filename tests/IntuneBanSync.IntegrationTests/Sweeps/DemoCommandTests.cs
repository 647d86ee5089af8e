using System.Text.RegularExpressions;

namespace IntuneBanSync.IntegrationTests.Sweeps;

public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task Demo_progress_on_redirected_output_shows_counts_and_no_percentage()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await CliApp.RunAsync(["demo", "--devices", "10"], stdout, stderr);

        var output = stdout.ToString();
        Assert.True(exit == ExitCodes.Completed, $"exit {exit}: {stderr}");
        Assert.DoesNotContain("%", output);
        Assert.Contains("Sweeping (report mode)…", output);
        Assert.Matches(PhaseCount(), output);
    }

    [GeneratedRegex(@"(?m)^  [A-Z][a-z ]+: [\d,]+$")]
    private static partial Regex PhaseCount();
}
