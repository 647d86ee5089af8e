namespace IntuneBanSync.Tests.Enforcement.Remediation;

public sealed class RemediationRunStateTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("fail", "success", false, Reach.Removed)]
    [InlineData("fail", "remediationFailed", false, Reach.Failed)]
    [InlineData("fail", "scriptError", false, Reach.Failed)]
    [InlineData("scriptError", "skipped", false, Reach.Failed)]
    [InlineData("success", "skipped", true, Reach.Removed)]
    [InlineData("success", "skipped", false, Reach.Pending)]
    [InlineData("fail", "skipped", false, Reach.Pending)]
    [InlineData("pending", "unknown", false, Reach.Pending)]
    [InlineData("notApplicable", "unknown", false, Reach.Pending)]
    public void A_run_state_proves_what_it_proves(string detection, string remediation, bool removedBefore, Reach expected)
    {
        var run = new RemediationRunState("d1", detection, remediation, At, RemediationError: "Access is denied");

        var (reach, _) = RemediationRunState.Judge(run, notBefore: null, removedBefore);

        Assert.Equal(expected, reach);
    }

    [Fact]
    public void A_failed_remediation_reports_the_scripts_error()
    {
        var run = new RemediationRunState("d1", "fail", "remediationFailed", At, RemediationError: "Remove-AppxPackage: Access is denied");

        var (_, reason) = RemediationRunState.Judge(run, null, false);

        Assert.Contains("Remove-AppxPackage: Access is denied", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_run_yet_is_pending()
    {
        Assert.Equal(Reach.Pending, RemediationRunState.Judge(null, null, false).Reach);
    }

    [Fact]
    public void A_run_from_before_the_device_was_last_resolved_proves_nothing_now()
    {
        var stale = new RemediationRunState("d1", "fail", "success", At);

        var (reach, _) = RemediationRunState.Judge(stale, notBefore: At.AddDays(1), removedBefore: false);

        Assert.Equal(Reach.Pending, reach);
    }

    [Fact]
    public void The_device_is_read_from_the_expanded_managed_device_or_else_from_the_key()
    {
        using var expanded = JsonDocument.Parse("""{"id":"s1:other","managedDevice":{"id":"dev-1"},"detectionState":"fail","remediationState":"success","lastStateUpdateDateTime":"2026-11-28T10:00:00Z"}""");
        using var keyed = JsonDocument.Parse("""{"id":"s1:dev-2","detectionState":"success"}""");

        var first = RemediationRunState.FromJson(expanded.RootElement);
        var second = RemediationRunState.FromJson(keyed.RootElement);

        Assert.Equal(("dev-1", At), (first!.DeviceId, first.LastStateUpdate!.Value));
        Assert.Equal("dev-2", second!.DeviceId);
    }
}
