namespace IntuneBanSync.IntegrationTests.Enforcement;

/// <summary>
/// A mechanism that <see cref="IEnforcementMechanism.RunsBesideOthers"/> runs in a lane of its own while the others run in order:
/// a failure in one lane lets the other finish, and the ledger, changed from both, keeps every change.
/// </summary>
public sealed class LaneTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    private static readonly ResourceKind Marker = new("marker");
    private static readonly MechanismName Owner = new("lanes");

    [Fact]
    public async Task A_mechanism_that_runs_beside_the_others_is_applied_while_a_later_one_is()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var later = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Run one after the other, the first would wait for the second for ever (here: until the timeout fails the sweep).
        var beside = new Gate("beside", true, _ => later.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        var inOrder = new Gate("in-order", false, _ =>
        {
            later.TrySetResult();
            return Task.CompletedTask;
        });

        var report = await EnforceAsync(harness, beside, inOrder);

        Assert.Equal(SweepStatus.Completed, report.Status);
        Assert.True(beside.Applied && inOrder.Applied);
    }

    [Fact]
    public async Task A_lane_that_fails_lets_the_other_finish_and_the_ledger_keeps_what_both_recorded()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var beside = new Gate("beside", true, async context =>
        {
            await Record(context, "beside-1");
            await recorded.Task.WaitAsync(TimeSpan.FromSeconds(30));
            throw new InvalidOperationException("the mechanism broke");
        });
        var first = new Gate("first", false, async context =>
        {
            await Record(context, "first-1");
            recorded.TrySetResult();
            await Record(context, "first-2");
        });
        var second = new Gate("second", false, context => Record(context, "second-1"));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => EnforceAsync(harness, beside, first, second));

        Assert.Equal("the mechanism broke", failure.Message);
        Assert.True(first.Applied && second.Applied);
        var resources = await harness.Journal.GetBanResourcesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.Equal(["beside-1", "first-1", "first-2", "second-1"], resources!.Resources.Select(r => r.GraphId).Order());
    }

    private static Task Record(MechanismContext context, string id) =>
        context.Resources.RecordAsync(new CreatedResource(Marker, id, Owner, context.Time.GetUtcNow(), id), CancellationToken.None);

    private static Task<Reports.SweepReport> EnforceAsync(SweepHarness harness, params IEnforcementMechanism[] mechanisms) =>
        harness.Engine(mechanisms: mechanisms).RunAsync(
            new SweepRequest(harness.EnforceBan(), "contoso", "test", SweepTarget.WholeTenant, EnforcementMode.Enforce), null, CancellationToken.None);

    /// <summary>A mechanism that plans nothing and, applied, does what the test says.</summary>
    private sealed class Gate(string name, bool beside, Func<MechanismContext, Task> apply) : IEnforcementMechanism
    {
        public bool Applied { get; private set; }

        public MechanismName Name { get; } = new(name);

        public IReadOnlyList<IntuneBanSync.Graph.PermissionUse> Permissions => [];

        public bool RunsBesideOthers => beside;

        public MechanismPlan Plan(BanSweep ban) => new(Name, new HashSet<string>(), new HashSet<string>());

        public async Task<MechanismResult> ApplyAsync(MechanismPlan plan, MechanismContext context, CancellationToken ct)
        {
            await apply(context);
            Applied = true;
            return MechanismResult.Nothing(Name);
        }

        public Task<IReadOnlyList<ReconciledWrite>> ReconcileAsync(IReadOnlyList<WriteIntent> open, MechanismContext context, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<ReconciledWrite>>([]);

        public Task<MechanismResult> WindDownAsync(MechanismContext context, CancellationToken ct) =>
            Task.FromResult(new MechanismResult(Name, new Dictionary<string, DeviceReach>(), WoundDown: true));
    }
}
