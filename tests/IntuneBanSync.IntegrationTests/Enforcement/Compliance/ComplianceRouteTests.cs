namespace IntuneBanSync.IntegrationTests.Enforcement.Compliance;

/// <summary>
/// Tests of the compliance route: the TikTok ban's compliance objects as the simulated tenant holds them, and the ways its tests
/// change the ban and the tenant.
/// </summary>
public abstract class ComplianceRouteTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    private protected const string IosPolicy = "IntuneBanSync – TikTok – compliance – ios";
    private protected const string AndroidPolicy = "IntuneBanSync – TikTok – compliance – android";
    private protected const string TemplateName = "IntuneBanSync – TikTok – notification";

    private protected static IReadOnlyList<PolicyEntity> Policies(SweepHarness harness) => harness.Tenant.State.Policies.Of("deviceCompliancePolicies");

    private protected static IReadOnlyList<PolicyEntity> Named(SweepHarness harness, string name) => [.. Policies(harness).Where(p => p.Text("displayName") == name)];

    private protected static IReadOnlyList<PolicyEntity> Templates(SweepHarness harness) => harness.Tenant.State.Policies.Of("notificationMessageTemplates");

    private protected static IReadOnlyList<string> RestrictedAppIds(PolicyEntity policy) =>
        [.. (policy.Body["restrictedApps"] as JsonArray ?? []).Select(a => a!["appId"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private protected static IEnumerable<JsonObject> Actions(PolicyEntity policy) =>
        (policy.Body["scheduledActionsForRule"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(r => (r["scheduledActionConfigurations"] as JsonArray ?? []).OfType<JsonObject>());

    private protected static int BlockGrace(PolicyEntity policy) => Actions(policy).Single(a => a["actionType"]!.GetValue<string>() == "block")["gracePeriodHours"]!.GetValue<int>();

    /// <summary>Each assignment target as "type" or "type:groupId".</summary>
    private protected static IReadOnlyList<string> Targets(PolicyEntity policy) =>
        [.. policy.Targets.Select(t => $"{t["@odata.type"]!.GetValue<string>().TrimStart('#').Replace("microsoft.graph.", "")}{(t["groupId"] is { } g ? ":" + g.GetValue<string>() : "")}").Order(StringComparer.Ordinal)];

    /// <summary>The exclusion targets every policy of the TikTok ban carries: the police group and the exemption group.</summary>
    private protected static string[] Exclusions(SweepHarness harness) =>
        [$"exclusionGroupAssignmentTarget:{harness.Tenant.State.GroupByName("IBS Police").Id}",
         $"exclusionGroupAssignmentTarget:{harness.Tenant.State.GroupByName("IBS TikTok Exemptions").Id}"];

    /// <summary>The TikTok ban in enforce mode with one change.</summary>
    private protected static BanListDocument Ban(SweepHarness harness, Action<JsonNode>? change = null, Action<JsonNode>? changeDocument = null)
    {
        var json = JsonNode.Parse(harness.TikTokBanJson("enforce"))!;
        change?.Invoke(json["bans"]![0]!);
        changeDocument?.Invoke(json);
        var parsed = BanListParser.Parse(json.ToJsonString());
        return parsed.Document ?? throw new InvalidOperationException(string.Join("; ", parsed.Errors));
    }

    private protected static Task<Reports.SweepReport> EnforceAsync(SweepHarness harness, BanListDocument banList, TokenCredential? credential = null) =>
        SweepEngine.Over(harness.GraphOptions, harness.Journal, harness.Clock, credential: credential).RunAsync(
            new SweepRequest(banList, "contoso", "test", SweepTarget.WholeTenant, EnforcementMode.Enforce), null, CancellationToken.None);

    /// <summary>Removes every Conditional Access policy through Graph, as an administrator would.</summary>
    private protected static async Task RemoveConditionalAccessAsync(SimulatedTenant tenant)
    {
        using var http = SimulatorGraph.Http(new LoopbackCredential(["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"]));
        var list = await http.GetFromJsonAsync<JsonObject>($"{tenant.GraphUrl}/identity/conditionalAccess/policies");
        foreach (var policy in list!["value"]!.AsArray())
            (await http.DeleteAsync($"{tenant.GraphUrl}/identity/conditionalAccess/policies/{policy!["id"]}")).EnsureSuccessStatusCode();
    }

    /// <summary>Adds a Conditional Access policy through Graph.</summary>
    private protected static async Task AddConditionalAccessAsync(SimulatedTenant tenant, JsonObject policy)
    {
        using var http = SimulatorGraph.Http(new LoopbackCredential(["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"]));
        (await http.PostAsJsonAsync($"{tenant.GraphUrl}/identity/conditionalAccess/policies", policy)).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The compliance mechanism alone, applied to a ban with no device observed (the journal, the ledger and Graph are the real ones):
    /// what it returns, notes included, which the sweep report does not carry.
    /// </summary>
    private protected static async Task<MechanismResult> ApplyAsync(SweepHarness harness, BanListDocument banList, LoopbackCredential? credential = null)
    {
        var ban = banList.Bans.Single();
        var journal = harness.Journal;
        await journal.EnsureCreatedAsync(CancellationToken.None);
        var client = GraphClientBuilder.Create(harness.GraphOptions, credential ?? SimulatorGraph.AllPermissions);
        var mechanism = ComplianceMechanism.Over(client, harness.GraphOptions);
        var runId = SweepEngine.NewRunId(harness.Clock.GetUtcNow());
        var sweep = new BanSweep(ban, EnforcementMode.Enforce, new Dictionary<string, DeviceBanState>(), [.. banList.Exemptions]);
        var resources = await journal.GetBanResourcesAsync("contoso", ban.Id, CancellationToken.None) ?? BanResources.None(ban.Id);
        var audit = new AuditView(await journal.GetAuditAsync("contoso", ban.Id, CancellationToken.None)).Of(mechanism);
        var context = new MechanismContext(
            ban.Id, ban, sweep, audit, new WriteLog(journal, "contoso", runId, harness.Clock), new ResourceLedger(journal, "contoso", resources),
            new SweepTrace(NullLogger.Instance, runId), harness.Clock);
        return await mechanism.ApplyAsync(mechanism.Plan(sweep), context, CancellationToken.None);
    }

    private protected static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
