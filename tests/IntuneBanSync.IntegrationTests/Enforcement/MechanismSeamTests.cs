namespace IntuneBanSync.IntegrationTests.Enforcement;

/// <summary>
/// A mechanism that is not the uninstall assignment, registered with the engine as any mechanism is: the engine plans it, counts
/// its new reaches against the blast radius, applies it through the write log, reconciles it after a crash and winds it down on
/// expiry — the engine's code knows nothing of it. Its "tenant" is a test double; inventory and journal are the real ones.
/// </summary>
public sealed class MechanismSeamTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    [Fact]
    public async Task Engine_plans_and_applies_a_new_mechanism_through_the_write_log()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var pins = new PinBoard();

        var report = await EnforceAsync(harness, pins);

        var offending = await OffendingAsync(harness, report.RunId);
        Assert.NotEmpty(offending);
        Assert.Equal(offending.Order(), pins.Pinned.Order());
        Assert.Equal(offending.Count, report.Enforcement.NewlyEnforced);
        var audit = await harness.Journal.GetAuditAsync("contoso", "tiktok", CancellationToken.None);
        Assert.All(audit, e => Assert.Equal((PinBoard.Mechanism, WriteResult.Done), (e.Intent.Mechanism, e.Outcome?.Result)));
        Assert.Equal(offending.Count + 1, audit.Count);
        var states = await harness.Journal.GetDeviceStatesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.All(offending, id => Assert.Equal((LifecycleState.Enforcing, "pin (board)"), (states[id].State, states[id].Route)));
        var resources = await harness.Journal.GetBanResourcesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.Equal(PinBoard.Board, Assert.Single(resources!.Resources).Kind);
    }

    [Fact]
    public async Task A_second_sweep_with_nothing_changed_sends_the_new_mechanism_no_write()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var pins = new PinBoard();
        await EnforceAsync(harness, pins);
        var calls = pins.Calls;

        var second = await EnforceAsync(harness, pins);

        Assert.Equal(calls, pins.Calls);
        Assert.Empty(second.Writes);
    }

    [Fact]
    public async Task The_blast_radius_counts_the_devices_the_new_mechanism_would_newly_reach()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var pins = new PinBoard();

        var report = await EnforceAsync(harness, pins, harness.EnforceBan("""{"maxDevices": 1}"""));

        Assert.Equal(SweepStatus.Held, report.Status);
        Assert.Empty(pins.Pinned);
        Assert.Equal(0, pins.Calls);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task After_a_crash_the_engine_reconciles_the_open_write_and_never_sends_it_again(int crashAfter)
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var pins = new PinBoard { CrashAfter = crashAfter };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => EnforceAsync(harness, pins));
        pins.CrashAfter = null;
        var recovered = await EnforceAsync(harness, pins);

        Assert.Equal(SweepStatus.Completed, recovered.Status);
        Assert.Equal((await OffendingAsync(harness, recovered.RunId)).Order(), pins.Pinned.Order());
        Assert.All(pins.CallsPerDevice.Values, count => Assert.Equal(1, count));
        var audit = await harness.Journal.GetAuditAsync("contoso", "tiktok", CancellationToken.None);
        Assert.All(audit, entry => Assert.NotNull(entry.Outcome));
        Assert.Single(audit, entry => entry.Outcome!.Detail == PinBoard.Reconciled);
    }

    [Fact]
    public async Task On_expiry_the_engine_winds_the_new_mechanism_down_and_its_resource_is_retired()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var pins = new PinBoard();
        await EnforceAsync(harness, pins);
        harness.Clock.Advance(TimeSpan.FromDays(151));

        var report = await EnforceAsync(harness, pins);

        Assert.True(report.Bans.Single().Enforcement!.WoundDown);
        Assert.Empty(pins.Pinned);
        var resources = await harness.Journal.GetBanResourcesAsync("contoso", "tiktok", CancellationToken.None);
        Assert.True(resources!.WoundDown);
        Assert.NotNull(Assert.Single(resources.Resources).RetiredAt);
    }

    private static Task<Reports.SweepReport> EnforceAsync(SweepHarness harness, PinBoard pins, BanListDocument? banList = null) =>
        harness.Engine(mechanisms: [pins]).RunAsync(
            new SweepRequest(banList ?? harness.EnforceBan(), "contoso", "test", SweepTarget.WholeTenant, EnforcementMode.Enforce), null, CancellationToken.None);

    private static async Task<List<string>> OffendingAsync(SweepHarness harness, string runId)
    {
        var offending = new List<string>();
        await foreach (var finding in harness.Journal.GetFindingsAsync("contoso", runId, CancellationToken.None))
        {
            if (finding.Decision == DecisionKind.Offending)
                offending.Add(finding.DeviceId);
        }

        return offending;
    }

    /// <summary>A mechanism that pins offending devices to a board it creates once; the board is the test double of a tenant.</summary>
    private sealed class PinBoard : IEnforcementMechanism
    {
        public const string Reconciled = "reconciled from the board";
        public static readonly MechanismName Mechanism = new("pin");
        public static readonly ResourceKind Board = new("pin-board");
        private static readonly WriteAction CreateBoard = new("create-board");
        private static readonly WriteAction Pin = new("pin");
        private static readonly WriteAction Unpin = new("unpin");

        private readonly HashSet<string> _pinned = new(StringComparer.OrdinalIgnoreCase);
        private int _writes;

        public int? CrashAfter { get; set; }

        public IReadOnlyCollection<string> Pinned => _pinned;

        public int Calls { get; private set; }

        public Dictionary<string, int> CallsPerDevice { get; } = new(StringComparer.OrdinalIgnoreCase);

        public MechanismName Name => Mechanism;

        public IReadOnlyList<IntuneBanSync.Graph.PermissionUse> Permissions => [];

        public MechanismPlan Plan(BanSweep ban)
        {
            var targets = ban.WithDecision(DecisionKind.Offending).Select(o => o.Device.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var newly = targets.Where(id => ban.EarlierStateOf(id)?.State != LifecycleState.Enforcing).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return new MechanismPlan(Mechanism, targets, newly);
        }

        public async Task<MechanismResult> ApplyAsync(MechanismPlan plan, MechanismContext context, CancellationToken ct)
        {
            var devices = new Dictionary<string, DeviceReach>(StringComparer.OrdinalIgnoreCase);
            if (plan.IsEmpty)
                return new MechanismResult(Mechanism, devices);
            if (!context.Resources.Live(Mechanism, Board).Any())
            {
                var intent = context.Log.Plan(Mechanism, context.BanId, null, CreateBoard, "board");
                var id = await context.Log.SendAsync(intent, () => Send(() => "board-1"), id => (WriteResult.Done, id), ct);
                await context.Resources.RecordAsync(new CreatedResource(Board, id, Mechanism, context.Time.GetUtcNow()), ct);
            }

            foreach (var deviceId in plan.Targets)
            {
                var newly = !_pinned.Contains(deviceId);
                if (newly)
                {
                    var intent = context.Log.Plan(Mechanism, context.BanId, deviceId, Pin, $"board/{deviceId}");
                    await context.Log.SendAsync(intent, () => Send(() => PinDevice(deviceId)), _ => (WriteResult.Done, null), ct);
                }

                devices[deviceId] = new DeviceReach(Mechanism, Reach.LaunchBlocked, "pin (board)", newly);
            }

            return new MechanismResult(Mechanism, devices);
        }

        public Task<IReadOnlyList<ReconciledWrite>> ReconcileAsync(IReadOnlyList<WriteIntent> open, MechanismContext context, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<ReconciledWrite>>(
                [.. open.Select(i => new ReconciledWrite(i, i.DeviceId is { } d && !_pinned.Contains(d) ? WriteResult.NotApplied : WriteResult.Done, Reconciled))]);

        public async Task<MechanismResult> WindDownAsync(MechanismContext context, CancellationToken ct)
        {
            foreach (var deviceId in _pinned.ToList())
            {
                var intent = context.Log.Plan(Mechanism, context.BanId, deviceId, Unpin, $"board/{deviceId}");
                await context.Log.SendAsync(intent, () => Send(() => _pinned.Remove(deviceId)), _ => (WriteResult.Done, null), ct);
            }

            foreach (var board in context.Resources.Live(Mechanism, Board).ToList())
                await context.Resources.RetireAsync(board, context.Time.GetUtcNow(), ct);
            return new MechanismResult(Mechanism, new Dictionary<string, DeviceReach>(), WoundDown: true);
        }

        private bool PinDevice(string deviceId)
        {
            CallsPerDevice[deviceId] = CallsPerDevice.GetValueOrDefault(deviceId) + 1;
            return _pinned.Add(deviceId);
        }

        /// <summary>The write reaches the board; a crash after it loses the answer, as a process dying after the request would.</summary>
        private Task<T> Send<T>(Func<T> write)
        {
            Calls++;
            var answer = write();
            if (++_writes == CrashAfter)
                throw new OperationCanceledException($"crash injected after write {CrashAfter}");
            return Task.FromResult(answer);
        }
    }
}
