using IntuneBanSync.Inventory;

namespace IntuneBanSync.Enforcement.Notifications;

/// <summary>
/// Company Portal notifications to the users of a ban's devices (iOS/iPadOS and Android personal work profiles, the platforms
/// Intune's custom notifications reach): a reminder at each of the ban's offsets before its uninstall deadline (the advisory text
/// to advised devices), and a notice when enforcement starts. At most one per device per step, never repeated: the audit holds
/// every send, its step in the write's target. Graph's 10 per device per hour is kept over every ban's sends; the rest waits
/// for the next sweep. Nothing is created in the tenant, so nothing is wound down.
/// </summary>
public sealed class CompanyPortalNotifications(INotificationGraph graph, int limitPerHour = HourlyLimit.PerDevicePerHour) : IEnforcementMechanism
{
    public static readonly MechanismName Id = new("notification");

    /// <summary>The helpdesk device view lists a device's notifications as its writes with this action.</summary>
    public static readonly WriteAction SendNotification = new("send-notification");

    private const string Reconciled =
        "reconciled: the sweep that sent this notification was interrupted before journaling its outcome; a notification leaves no trace to read, so it counts as sent and is never repeated";

    // sendCustomNotificationToCompanyPortal: application permission DeviceManagementManagedDevices.ReadWrite.All
    // (microsoft-graph-docs-contrib api-reference/beta/api/intune-devices-manageddevice-sendcustomnotificationtocompanyportal.md).
    public static IReadOnlyList<PermissionUse> Required { get; } =
    [
        new(GraphPermissions.ManagedDevicesReadWrite, "send Company Portal notifications (reminders, the enforcement notice) to the users of iOS/iPadOS and Android work profile devices (sendCustomNotificationToCompanyPortal)", Id.Name),
        new(GraphPermissions.UserRead, "read the preferred language of the users to notify, those users only (users?$filter=id in (…)&$select=…,preferredLanguage in $batch)", Id.Name),
    ];

    // The sends of this instance for every ban, in this process: the audit a mechanism is given holds one ban's writes only.
    private readonly List<Sent> _sent = [];

    public MechanismName Name => Id;

    public IReadOnlyList<PermissionUse> Permissions => Required;

    public static CompanyPortalNotifications Over(GraphServiceClient client, GraphOptions options) => new(new GraphNotifications(client, options));

    /// <summary>The route label administrators read for a device notified.</summary>
    public static string RouteLabel(DeviceClass deviceClass) =>
        deviceClass == DeviceClass.AndroidPersonalWorkProfile ? "company portal notification (android work profile)" : "company portal notification (ios)";

    /// <summary>A device the notifications may concern: its class takes the route, a banned app was seen on it, and the ban may still remind or notify it.</summary>
    public static bool Concerns(BanObservation observation) =>
        observation.Routes.Takes(Route.Notification) && observation.Apps.Count > 0
        && observation.Decision.Kind is DecisionKind.Grace or DecisionKind.Offending or DecisionKind.Advised;

    /// <summary>Targets the devices that may be due a step this sweep; none is "newly reached": a notification enforces nothing, so the blast radius does not count it.</summary>
    public MechanismPlan Plan(BanSweep ban)
    {
        var candidates = ban.Devices.Values.Where(Concerns).ToList();
        return new NotificationPlan(candidates.Select(o => o.Device.Id).ToHashSet(StringComparer.OrdinalIgnoreCase), new HashSet<string>(), candidates);
    }

    public async Task<MechanismResult> ApplyAsync(MechanismPlan plan, MechanismContext context, CancellationToken ct)
    {
        var ban = context.Ban!;
        var now = context.Time.GetUtcNow();
        var candidates = ((NotificationPlan)plan).Candidates;
        var devices = new Dictionary<string, DeviceReach>(StringComparer.OrdinalIgnoreCase);
        var earlier = SentBefore(context.Audit);

        var due = new List<(BanObservation Observation, NotificationStep Step)>();
        foreach (var observation in candidates)
        {
            if (NotificationSchedule.Due(ban, observation.Decision.Kind, observation.Apps.Count > 0, now) is not { } step)
                continue;
            if (earlier.GetValueOrDefault(observation.Device.Id)?.FirstOrDefault(s => s.Step.IsSameStepAs(step)) is { } already)
                devices[observation.Device.Id] = Reached(observation, Reach.Notified, $"{already.Step.Describe()} sent on {already.At:yyyy-MM-dd}");
            else
                due.Add((observation, step));
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var deferred = 0;
        if (due.Count > 0)
        {
            var languages = await graph.PreferredLanguagesAsync(
                [.. due.Select(d => d.Observation.Device.UserId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)], ct);
            var contact = NotificationContact.Of(context);
            var ready = new List<Prepared>();
            foreach (var (observation, step) in due)
            {
                var (send, notSent) = Prepare(ban, observation, step, languages.GetValueOrDefault(observation.Device.UserId ?? ""), contact, context, now);
                if (send is not null)
                    ready.Add(send);
                else
                    devices[observation.Device.Id] = notSent!;
            }

            foreach (var (sent, reach) in await SendAsync(ready, context, now, ct))
            {
                devices[sent.Observation.Device.Id] = reach;
                if (reach is { Reach: Reach.Notified, Newly: true })
                    counts[sent.Step.Describe()] = counts.GetValueOrDefault(sent.Step.Describe()) + 1;
            }

            deferred = devices.Values.Count(d => d.Reach == Reach.Pending);
        }

        return new MechanismResult(Id, devices, Notes: Notes(counts, deferred));
    }

    public Task<IReadOnlyList<ReconciledWrite>> ReconcileAsync(IReadOnlyList<WriteIntent> open, MechanismContext context, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ReconciledWrite>>([.. open.Select(intent => new ReconciledWrite(intent, WriteResult.Unknown, Reconciled))]);

    /// <summary>A notification leaves nothing in the tenant to take back.</summary>
    public Task<MechanismResult> WindDownAsync(MechanismContext context, CancellationToken ct) =>
        Task.FromResult(new MechanismResult(Id, new Dictionary<string, DeviceReach>(), WoundDown: true));

    /// <summary>The notification due to one device, composed; or why none goes (the device's hour is used up, a template lacks a value).</summary>
    private (Prepared? Send, DeviceReach? NotSent) Prepare(
        Ban ban, BanObservation observation, NotificationStep step, string? preferredLanguage, BanListContact contact, MechanismContext context, DateTimeOffset now)
    {
        var deviceId = observation.Device.Id;
        var recent = RecentSends(deviceId, context.Audit, now);
        if (HourlyLimit.Left(recent, now, limitPerHour) == 0)
            return (null, Reached(observation, Reach.Pending, Deferred(step, HourlyLimit.NextAt(recent, now, limitPerHour))));

        try
        {
            var text = NotificationText.Compose(ban, step.Kind, preferredLanguage, contact, AppOf(ban, observation));
            var intent = context.Log.Plan(Id, ban.Id, deviceId, SendNotification, step.Target);
            return (new Prepared(observation, step, intent, text, NotificationText.LanguageFor(ban, step.Kind, preferredLanguage)), null);
        }
        catch (ArgumentException e)
        {
            // Validation measured the templates with the ban list's contact; a template needing a value this sweep lacks is not sent half-filled.
            return (null, Reached(observation, Reach.Failed, $"{step.Describe()} not sent: {e.Message}"));
        }
    }

    /// <summary>The composed notifications, 20 to a request; a 429 for a device means someone else (an administrator in the portal) used up its hour.</summary>
    private async Task<List<(Prepared Sent, DeviceReach Reach)>> SendAsync(List<Prepared> ready, MechanismContext context, DateTimeOffset now, CancellationToken ct)
    {
        var byWrite = ready.ToDictionary(r => r.Intent.WriteId, StringComparer.Ordinal);
        var answers = await context.Log.SendEachAsync(
            [.. ready.Select(r => r.Intent)],
            step => graph.SendEachAsync([.. step.Select(i => new NotificationSend(i.WriteId, i.DeviceId!, byWrite[i.WriteId].Text.Title, byWrite[i.WriteId].Text.Body))], ct),
            intent => $"{byWrite[intent.WriteId].Language}: {byWrite[intent.WriteId].Text.Title}",
            ct);
        var reached = new List<(Prepared, DeviceReach)>();
        foreach (var prepared in ready)
        {
            var (observation, step, intent, _, language) = prepared;
            var answer = answers[intent.WriteId];
            if (answer.Done)
            {
                lock (_sent)
                    _sent.Add(new Sent(intent.WriteId, observation.Device.Id, now));
            }

            reached.Add((prepared, answer switch
            {
                { Done: true } => Reached(observation, Reach.Notified, $"{step.Describe()} sent in {language}", newly: true),
                { Status: 429 } => Reached(observation, Reach.Pending, Deferred(step, null)),
                _ => Reached(observation, Reach.Failed, $"{step.Describe()} refused: {answer.Detail}"),
            }));
        }

        return reached;
    }

    /// <summary>What each device was sent before, from the audit: sends not refused (an outcome a crash lost counts as sent).</summary>
    private static Dictionary<string, List<SentStep>> SentBefore(AuditView audit)
    {
        var sent = new Dictionary<string, List<SentStep>>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in Sends(audit))
        {
            if (NotificationStep.Parse(entry.Intent.Target) is not { } step)
                continue;
            if (!sent.TryGetValue(entry.Intent.DeviceId!, out var steps))
                sent[entry.Intent.DeviceId!] = steps = [];
            steps.Add(new SentStep(step, entry.Intent.At));
        }

        return sent;
    }

    /// <summary>Our sends to a device within the hour: this ban's from the audit, every other ban's from this process.</summary>
    private List<DateTimeOffset> RecentSends(string deviceId, AuditView audit, DateTimeOffset now)
    {
        var mine = audit.OfDevice(deviceId).Where(IsSend).ToList();
        var known = mine.Select(e => e.Intent.WriteId).ToHashSet(StringComparer.Ordinal);
        lock (_sent)
        {
            _sent.RemoveAll(s => s.At <= now - HourlyLimit.Window);
            return [.. mine.Select(e => e.Intent.At), .. _sent.Where(s => !known.Contains(s.WriteId) && string.Equals(s.DeviceId, deviceId, StringComparison.OrdinalIgnoreCase)).Select(s => s.At)];
        }
    }

    private static IEnumerable<AuditEntry> Sends(AuditView audit) => audit.Entries.Where(IsSend);

    private static bool IsSend(AuditEntry e) =>
        e.Intent.Action == SendNotification && e.Intent.DeviceId is not null && e.Outcome?.Result is not (WriteResult.Failed or WriteResult.NotApplied);

    /// <summary>The app as the ban spells it, when the device's detected app is one of its display names; the ban's first name otherwise.</summary>
    private static string? AppOf(Ban ban, BanObservation observation) =>
        observation.Apps.Select(a => a.DisplayName.Trim())
            .FirstOrDefault(name => ban.Apps.DisplayNames.Contains(name, StringComparer.OrdinalIgnoreCase));

    private static string Deferred(NotificationStep step, DateTimeOffset? from) =>
        $"{step.Describe()} deferred to the next sweep: Graph allows {HourlyLimit.PerDevicePerHour} notifications per device per hour" +
        (from is { } at ? $" and this device had them (the next may go from {at:yyyy-MM-dd HH:mm} UTC)" : " and answered 429 for this device");

    private static DeviceReach Reached(BanObservation observation, Reach reach, string reason, bool newly = false) =>
        new(Id, reach, RouteLabel(observation.Class), newly, reason);

    private static List<string>? Notes(Dictionary<string, int> counts, int deferred)
    {
        var notes = new List<string>();
        if (counts.Count > 0)
            notes.Add("Company Portal notifications sent: " + string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}")));
        if (deferred > 0)
            notes.Add($"{deferred} Company Portal notification{(deferred == 1 ? "" : "s")} deferred to the next sweep by Graph's limit of {HourlyLimit.PerDevicePerHour} per device per hour");
        return notes.Count == 0 ? null : notes;
    }

    private sealed record Prepared(BanObservation Observation, NotificationStep Step, WriteIntent Intent, RenderedNotification Text, string Language);

    private sealed record Sent(string WriteId, string DeviceId, DateTimeOffset At);

    private sealed record SentStep(NotificationStep Step, DateTimeOffset At);
}

/// <summary>The devices the notifications may concern this sweep; which step is due is decided at apply, on the sweep's clock and the audit.</summary>
public sealed record NotificationPlan(IReadOnlySet<string> Targets, IReadOnlySet<string> NewlyReached, IReadOnlyList<BanObservation> Candidates)
    : MechanismPlan(CompanyPortalNotifications.Id, Targets, NewlyReached);

/// <summary>Where the values of {helpdesk} and {attestationLink} come from.</summary>
internal static class NotificationContact
{
    public static BanListContact Of(MechanismContext context) => context.Sweep?.Contact ?? BanListContact.None;
}
