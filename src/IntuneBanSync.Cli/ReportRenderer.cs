using Spectre.Console;

namespace IntuneBanSync.Cli;

/// <summary>The report as tables an administrator reads in a terminal.</summary>
internal static class ReportRenderer
{
    public static void Render(SweepReport report, TextWriter output) => Render(report, ConsoleFor(output));

    public static IAnsiConsole ConsoleFor(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = output == Console.Out ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = output == Console.Out ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });

        // Redirected output has no terminal width; 80 columns would fold the breakdown table.
        if (output != Console.Out || Console.IsOutputRedirected)
            console.Profile.Width = Math.Max(console.Profile.Width, 132);
        return console;
    }

    public static void Render(SweepReport report, IAnsiConsole console)
    {
        var status = report.Status switch
        {
            SweepStatus.Completed => "[green]completed[/]",
            SweepStatus.Incomplete => "[yellow]incomplete[/]: some inventory could not be read; nothing there was treated as clean",
            _ => $"[red]{report.Status.ToString().ToLowerInvariant()}[/]",
        };
        console.MarkupLine($"Run [bold]{Text(report.RunId)}[/] of tenant [bold]{Text(report.Tenant)}[/] ({WireName.Of(report.Mode)} mode, as of {report.AsOf:yyyy-MM-dd HH:mm}Z): {status}");

        var summary = new Table().Title("Summary").AddColumn("").AddColumn(new TableColumn("Devices").RightAligned());
        summary.AddRow("Devices evaluated", report.DevicesEvaluated.ToString("N0"));
        summary.AddRow("[red]Offending devices[/]", report.OffendingDevices.ToString("N0"));
        summary.AddRow("[red]Distinct affected people[/] (a banned app seen on a device in scope)", report.AffectedPeople.ToString("N0"));
        summary.AddRow("  of whom before the uninstall deadline / past it", $"{report.People.BeforeDeadline:N0} / {report.People.PastDeadline:N0}");
        summary.AddRow("In grace (before the uninstall deadline)", report.GraceDevices.ToString("N0"));
        summary.AddRow("Exempt", report.ExemptDevices.ToString("N0"));
        summary.AddRow("[yellow]Unverified[/] (inventory cannot prove absence)", report.UnverifiedDevices.ToString("N0"));
        summary.AddRow("Attested by their user (self-reported)", report.AttestedDevices.ToString("N0"));
        summary.AddRow("Advised (advisory groups, never enforced)", report.AdvisedDevices.ToString("N0"));
        summary.AddRow("Clean", report.CleanDevices.ToString("N0"));
        summary.AddRow("Out of scope", report.OutOfScopeDevices.ToString("N0"));
        if (report.BanNotActiveDevices > 0)
            summary.AddRow("Ban not active", report.BanNotActiveDevices.ToString("N0"));
        console.Write(summary);

        console.Write(Breakdown("By platform and ownership", report.ByPlatformAndOwnership));
        if (report.People.ByDepartment.Count > 0)
            console.MarkupLine("Affected people by department: " + Text(string.Join(", ", report.People.ByDepartment.Select(d => $"{d.Key} {d.Value:N0}"))));

        foreach (var ban in report.Bans)
        {
            console.MarkupLine(
                $"Ban [bold]{Text(ban.Name)}[/] ({Text(ban.BanId)}, {WireName.Of(ban.Mode)}{(ban.Active ? "" : ", not active")}): " +
                $"{ban.Offending:N0} offending devices, {ban.AffectedPeople:N0} people, {ban.Grace:N0} in grace, {ban.Exempt:N0} exempt, {ban.Unverified:N0} unverified");
            if (ban.Advisory.Devices > 0)
                console.MarkupLine(Text($"  advised: {ban.Advisory.Devices:N0} devices, {ban.Advisory.WithApp:N0} with the app, {ban.Advisory.People:N0} people"));
            if (ban.Attested.Devices > 0)
                console.MarkupLine(Text($"  attested by their user: {ban.Attested.Devices:N0} devices, {ban.Attested.People:N0} people"));
            if (ban.UnverifiedReasons.Count > 0)
                console.MarkupLine("  unverified because: " + Text(string.Join(", ", ban.UnverifiedReasons.Select(r => $"{r.Key} {r.Value:N0}"))));
            if (ban.OutOfScopeReasons.Count > 0)
                console.MarkupLine("  out of scope because: " + Text(string.Join(", ", ban.OutOfScopeReasons.Select(r => $"{r.Key} {r.Value:N0}"))));
            if (ban.Enforcement is { } e)
                RenderEnforcement(e, console);
        }

        foreach (var problem in report.Problems)
            console.MarkupLine($"[yellow]![/] {Text(problem)}");
        console.MarkupLine($"Writes to the tenant: {report.Writes.Count}");
    }

    private static void RenderEnforcement(BanEnforcementReport e, IAnsiConsole console)
    {
        if (e.Held is { } held)
            console.MarkupLine($"  [yellow]{Text(held)}[/]");
        if (e.Stopped is { } stopped)
            console.MarkupLine($"  [red]stopped[/]: {Text(stopped)}");
        if (e.WoundDown)
            console.MarkupLine("  wound down: the members and the assignment IntuneBanSync added were removed");
        console.MarkupLine(
            $"  {e.DaysPastDeadline:N0} days past the deadline; newly enforced {e.NewlyEnforced:N0}, enforcing {e.Enforcing:N0}, resolved {e.Resolved:N0}, " +
            $"failed {e.Failed:N0}, released {e.Removed:N0}, not removable by uninstall {e.NotRemovableByUninstall:N0}");
        foreach (var (reason, count) in e.UnenforceableReasons)
            console.MarkupLine($"  unenforceable ({count:N0}): {Text(reason)}");
        if (e.Routes.Count > 0)
            console.MarkupLine("  routes: " + Text(string.Join(", ", e.Routes.Select(r => $"{r.Key} {r.Value:N0}"))));
    }

    /// <summary>Per ban and class of device: what the routes reached, and why the rest is out of reach.</summary>
    public static void RenderReach(SweepReport report, IAnsiConsole console)
    {
        foreach (var ban in report.Bans.Where(b => b.ByClass.Count > 0))
        {
            var table = new Table().Title($"Reach by device class: {Text(ban.Name)}");
            foreach (var column in new[] { "Class", "In scope", "Offending", "Removed", "Uninstall assigned", "Launch-blocked", "Install-blocked", "Noncompliant", "Pending", "Unreachable" })
                table.AddColumn(column == "Class" ? new TableColumn(column) : new TableColumn(column).RightAligned());
            // Reasons are sentences: numbered under the table, so the columns stay readable on a narrow terminal.
            var reasons = ban.ByClass.SelectMany(r => r.Unreachable.Keys).Distinct(StringComparer.Ordinal).ToList();
            foreach (var row in ban.ByClass)
            {
                var why = string.Join(" ", row.Unreachable.Select(u => $"{u.Value:N0} [{reasons.IndexOf(u.Key) + 1}]"));
                table.AddRow(
                    row.Class, N(row.Devices), N(row.Offending), N(row.Removed), N(row.Assigned), N(row.LaunchBlocked), N(row.InstallBlocked),
                    N(row.Noncompliant), N(row.Pending), Text(why));
            }

            console.Write(table);
            for (var i = 0; i < reasons.Count; i++)
                console.MarkupLine(Text($"  [{i + 1}] unreachable: {reasons[i]}"));
        }
    }

    /// <summary>The demo's steps side by side: how offending devices become enforced, then resolved.</summary>
    public static void RenderLifecycle(IReadOnlyList<(string Step, SweepReport Report, long Writes)> steps, IAnsiConsole console)
    {
        var table = new Table().Title("Lifecycle");
        foreach (var column in new[] { "Step", "Offending", "Newly enforced", "Enforcing", "Resolved", "Not removable by uninstall", "Unenforceable", "Graph write requests" })
            table.AddColumn(column == "Step" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        foreach (var (step, report, writes) in steps)
        {
            var e = report.Enforcement;
            table.AddRow(Text(step), N(report.OffendingDevices), N(e.NewlyEnforced), N(e.Enforcing), N(e.Resolved), N(e.NotRemovableByUninstall), N(e.Unenforceable), writes.ToString("N0"));
        }

        console.Write(table);
    }

    /// <summary>The offending devices themselves, with their people: what an administrator acts on.</summary>
    public static void RenderOffenders(IReadOnlyList<Finding> findings, IAnsiConsole console, int max = 15)
    {
        var offending = findings.Where(f => f.Decision == Planning.DecisionKind.Offending).OrderBy(f => f.UserPrincipalName, StringComparer.OrdinalIgnoreCase).ToList();
        if (offending.Count == 0)
            return;
        var table = new Table().Title($"Offending devices (first {Math.Min(max, offending.Count)} of {offending.Count:N0}; all are in the journal)");
        foreach (var column in new[] { "Device", "User", "Platform", "Ownership", "App", "Version" })
            table.AddColumn(column);
        foreach (var f in offending.Take(max))
            table.AddRow(
                Text(f.DeviceName ?? f.DeviceId), Text(f.UserPrincipalName ?? "(no user)"), Text(f.Platform), Text(f.Ownership),
                Text(f.AppName?.Trim()), Text(f.AppVersion));
        console.Write(table);
    }

    private static Table Breakdown(string title, IReadOnlyList<BreakdownRow> rows)
    {
        var table = new Table().Title(title);
        foreach (var column in new[] { "Platform", "Ownership", "Devices", "Offending", "Grace", "Exempt", "Unverified", "Clean", "Out of scope" })
            table.AddColumn(column is "Platform" or "Ownership" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        foreach (var r in rows)
            table.AddRow(Text(r.Platform), Text(r.Ownership), N(r.Devices), N(r.Offending), N(r.Grace), N(r.Exempt), N(r.Unverified), N(r.Clean), N(r.OutOfScope));
        return table;
    }

    private static string N(int value) => value.ToString("N0");

    /// <summary>Names and messages come from the tenant or the ban list: no control character (an escape sequence) reaches the terminal, and no markup.</summary>
    private static string Text(string? value) => Markup.Escape(PlainText.Strip(value));
}
