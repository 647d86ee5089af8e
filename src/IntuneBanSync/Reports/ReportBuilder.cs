using IntuneBanSync.Inventory;

namespace IntuneBanSync.Reports;

/// <summary>Counts decisions as devices stream past; keeps only counters and the ids needed for distinct counts.</summary>
public sealed class ReportBuilder(IReadOnlyList<Ban> bans, IReadOnlyDictionary<string, EnforcementMode> banModes)
{
    // Most pressing first: a device is counted once overall, under the first of these any ban gave it.
    private static readonly DecisionKind[] Precedence =
    [
        DecisionKind.Offending, DecisionKind.Grace, DecisionKind.Exempt, DecisionKind.Advised, DecisionKind.Unverified,
        DecisionKind.Attested, DecisionKind.Clean, DecisionKind.OutOfScope, DecisionKind.BanNotActive,
    ];

    private readonly Dictionary<(string Platform, string Ownership), int[]> _overall = [];
    private readonly Dictionary<string, BanTally> _perBan = bans.ToDictionary(b => b.Id, _ => new BanTally());
    private readonly People _people = new();
    private int _devices;

    /// <summary>Every user of a device with a banned app seen in a ban's scope, in grace or past the deadline: whose department the report wants.</summary>
    public IReadOnlyCollection<string> AffectedUserIds => _people.All;

    /// <param name="deviceClass">How the device is managed (<see cref="DeviceClasses.Of"/>), for the per-class reach table.</param>
    public void Add(DeviceRecord device, IReadOnlyList<Decision> decisions, DeviceClass deviceClass = DeviceClass.Unknown)
    {
        _devices++;
        var key = (Platform: PlatformLabel(device), Ownership: OwnershipLabel(device));
        var overall = Precedence.First(k => decisions.Any(d => d.Kind == k) || k == DecisionKind.BanNotActive);
        Count(_overall, key, overall);

        foreach (var decision in decisions)
        {
            var tally = _perBan[decision.BanId];
            Count(tally.Rows, key, decision.Kind);
            if (decision.Kind is DecisionKind.Offending or DecisionKind.Grace && device.UserId is { } user)
            {
                tally.People.Add(user, decision.Kind, key.Platform, key.Ownership);
                _people.Add(user, decision.Kind, key.Platform, key.Ownership);
            }
            if (decision.Kind == DecisionKind.Unverified)
                Increment(tally.UnverifiedReasons, decision.ReasonCode);
            if (decision.Kind == DecisionKind.Advised && decision.Reason == DecisionReason.Detected)
            {
                tally.AdvisedWithApp++;
                if (device.UserId is { } advised)
                    tally.AdvisedPeople.Add(advised);
            }
            if (decision.Kind == DecisionKind.Attested && device.UserId is { } attesting)
                tally.AttestedPeople.Add(attesting);
            if (decision.Kind == DecisionKind.OutOfScope)
                Increment(tally.OutOfScopeReasons, decision.ReasonCode);
            if (decision.Kind.CountsInScope())
            {
                var counts = tally.Classes.GetValueOrDefault(deviceClass);
                tally.Classes[deviceClass] = (counts.InScope + 1, counts.Offending + (decision.Kind == DecisionKind.Offending ? 1 : 0));
            }
        }
    }

    public SweepReport Build(
        string runId, string tenant, string trigger, EnforcementMode mode, SweepStatus status,
        DateTimeOffset startedAt, DateTimeOffset endedAt, DateTimeOffset asOf,
        IReadOnlyList<WriteRecord> writes, IReadOnlyList<string> problems, IReadOnlyDictionary<string, UserRecord>? users = null)
    {
        var rows = Rows(_overall);
        return new SweepReport(
            runId, tenant, trigger, mode, status, startedAt, endedAt, asOf,
            DevicesEvaluated: _devices,
            OffendingDevices: rows.Sum(r => r.Offending),
            AffectedPeople: _people.All.Count,
            ExemptDevices: rows.Sum(r => r.Exempt),
            OutOfScopeDevices: rows.Sum(r => r.OutOfScope),
            GraceDevices: rows.Sum(r => r.Grace),
            UnverifiedDevices: rows.Sum(r => r.Unverified),
            CleanDevices: rows.Sum(r => r.Clean),
            BanNotActiveDevices: rows.Sum(r => r.BanNotActive),
            rows,
            bans.Select(b => BanReportOf(b, asOf, users)).ToList(),
            writes,
            problems)
        {
            People = _people.Report(users),
            AdvisedDevices = rows.Sum(r => r.Advised),
            AttestedDevices = rows.Sum(r => r.Attested),
        };
    }

    private BanReport BanReportOf(Ban ban, DateTimeOffset asOf, IReadOnlyDictionary<string, UserRecord>? users)
    {
        var tally = _perBan[ban.Id];
        var rows = Rows(tally.Rows);
        return new BanReport(
            ban.Id, ban.Name, banModes.GetValueOrDefault(ban.Id, EnforcementMode.Report), ban.IsActiveAt(asOf),
            rows.Sum(r => r.Offending), tally.People.All.Count, rows.Sum(r => r.Grace), rows.Sum(r => r.Exempt),
            rows.Sum(r => r.Unverified), rows.Sum(r => r.Clean), rows.Sum(r => r.OutOfScope), rows.Sum(r => r.BanNotActive),
            rows,
            new SortedDictionary<string, int>(tally.UnverifiedReasons),
            new SortedDictionary<string, int>(tally.OutOfScopeReasons))
        {
            ByClass = [.. tally.Classes.OrderBy(c => c.Key).Select(c => new ClassReach(WireName.Of(c.Key), c.Value.InScope, c.Value.Offending))],
            People = tally.People.Report(users),
            Advisory = new AdvisoryReport(rows.Sum(r => r.Advised), tally.AdvisedWithApp, tally.AdvisedPeople.Count),
            Attested = new AttestedReport(rows.Sum(r => r.Attested), tally.AttestedPeople.Count),
        };
    }

    private static List<BreakdownRow> Rows(Dictionary<(string Platform, string Ownership), int[]> counts) =>
        counts.OrderBy(c => c.Key.Platform, StringComparer.Ordinal).ThenBy(c => c.Key.Ownership, StringComparer.Ordinal)
            .Select(c => new BreakdownRow(
                c.Key.Platform, c.Key.Ownership, c.Value.Sum(),
                c.Value[(int)DecisionKind.Offending], c.Value[(int)DecisionKind.Grace], c.Value[(int)DecisionKind.Exempt],
                c.Value[(int)DecisionKind.Unverified], c.Value[(int)DecisionKind.Clean], c.Value[(int)DecisionKind.OutOfScope],
                c.Value[(int)DecisionKind.BanNotActive])
            {
                Advised = c.Value[(int)DecisionKind.Advised],
                Attested = c.Value[(int)DecisionKind.Attested],
            })
            .ToList();

    private static void Count(Dictionary<(string, string), int[]> counts, (string, string) key, DecisionKind kind)
    {
        if (!counts.TryGetValue(key, out var row))
            counts[key] = row = new int[Enum.GetValues<DecisionKind>().Length];
        row[(int)kind]++;
    }

    private static void Increment(Dictionary<string, int> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    public static string PlatformLabel(DeviceRecord device) => device.Platform is { } p ? WireName.Of(p) : "other";

    public static string OwnershipLabel(DeviceRecord device) => device.Ownership is { } o ? WireName.Of(o) : "unknown";

    private sealed class BanTally
    {
        public Dictionary<(string, string), int[]> Rows { get; } = [];
        public People People { get; } = new();
        public Dictionary<string, int> UnverifiedReasons { get; } = [];
        public Dictionary<string, int> OutOfScopeReasons { get; } = [];
        public Dictionary<DeviceClass, (int InScope, int Offending)> Classes { get; } = [];
        public int AdvisedWithApp { get; set; }
        public HashSet<string> AdvisedPeople { get; } = new(StringComparer.OrdinalIgnoreCase);
        public HashSet<string> AttestedPeople { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Distinct people, split by deadline and counted by platform, ownership and (once read) department.</summary>
    private sealed class People
    {
        private readonly HashSet<string> _all = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _before = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _past = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, HashSet<string>> _byPlatform = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> _byOwnership = new(StringComparer.Ordinal);

        public IReadOnlyCollection<string> All => _all;

        public void Add(string user, DecisionKind kind, string platform, string ownership)
        {
            _all.Add(user);
            (kind == DecisionKind.Grace ? _before : _past).Add(user);
            Set(_byPlatform, platform).Add(user);
            Set(_byOwnership, ownership).Add(user);
        }

        public PeopleReport Report(IReadOnlyDictionary<string, UserRecord>? users) =>
            new(_all.Count, _before.Count, _past.Count, Counts(_byPlatform), Counts(_byOwnership),
                new SortedDictionary<string, int>(_all
                    .GroupBy(u => users is null ? "unknown" : users.GetValueOrDefault(u)?.Department ?? "(none)", StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal));

        private static SortedDictionary<string, int> Counts(Dictionary<string, HashSet<string>> sets) =>
            new(sets.ToDictionary(s => s.Key, s => s.Value.Count), StringComparer.Ordinal);

        private static HashSet<string> Set(Dictionary<string, HashSet<string>> sets, string key) =>
            sets.TryGetValue(key, out var set) ? set : sets[key] = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    }
}
