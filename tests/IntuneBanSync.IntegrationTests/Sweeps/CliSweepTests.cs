using System.Text.Json;

namespace IntuneBanSync.IntegrationTests.Sweeps;

public sealed class CliSweepTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    public static TheoryData<string, string, string> BadBanLists => new()
    {
        { "not JSON", "{ this is not json", "$" },
        { "missing field", """{"version":1,"bans":[{"id":"tiktok","apps":{"displayNames":["TikTok"]},"scope":{"ownership":["company"],"platforms":["ios"]},"effectiveFrom":"2026-01-01T00:00:00Z","uninstallBy":"2026-02-01T00:00:00Z","expiresOn":"2026-07-01T00:00:00Z"}]}""", "$.bans[0].name" },
        { "malformed date", Ban(effectiveFrom: "next tuesday"), "$.bans[0].effectiveFrom" },
        { "unknown platform", Ban(platforms: """["ios","symbian"]"""), "$.bans[0].scope.platforms[1]" },
        { "unknown ownership", Ban(ownership: """["corporate"]"""), "$.bans[0].scope.ownership[0]" },
        { "uninstallBy before effectiveFrom", Ban(uninstallBy: "2025-12-01T00:00:00Z"), "$.bans[0].uninstallBy" },
        { "expiresOn before uninstallBy", Ban(expiresOn: "2026-01-15T00:00:00Z"), "$.bans[0].expiresOn" },
        { "empty app list", Ban(displayNames: "[]"), "$.bans[0].apps.displayNames" },
        { "duplicate ids", Ban(second: true), "$.bans[1].id" },
        { "exemption naming no subject", Ban(exemption: """{"id":"x","ban":"tiktok","justification":"j","approvedBy":"CISO"}"""), "$.exemptions[0]" },
        { "exemption naming two subjects", Ban(exemption: """{"id":"x","ban":"tiktok","user":"3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b","device":"3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5c","justification":"j","approvedBy":"CISO"}"""), "$.exemptions[0]" },
        { "exemption for an unknown ban", Ban(exemption: """{"id":"x","ban":"snapchat","user":"3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b","justification":"j","approvedBy":"CISO"}"""), "$.exemptions[0].ban" },
    };

    [Theory]
    [MemberData(nameof(BadBanLists))]
    public async Task Bad_ban_list_exits_2_naming_the_field_with_no_graph_request_and_nothing_stored(string problem, string json, string path)
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var file = harness.WriteBanList(json);

        var (exit, _, stderr) = await RunAsync(harness, "sweep", "--banlist", file);

        Assert.True(exit == ExitCodes.InvalidInput, $"{problem}: exit {exit}, {stderr}");
        Assert.Contains(path + ":", stderr);
        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Reads + harness.Tenant.Requests.Snapshot().Writes);
        Assert.Empty(await TablesNamed(harness.TablePrefix));
    }

    [Fact]
    public async Task Sweep_prints_one_json_object_and_exits_0_when_complete()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var file = harness.WriteBanList(harness.TikTokBanJson());

        var (exit, stdout, stderr) = await RunAsync(harness, "sweep", "--banlist", file, "--json", "--as-of", "2026-11-28T00:00:00Z");

        Assert.True(exit == ExitCodes.Completed, stderr);
        var json = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal("completed", (string?)json["status"]);
        Assert.Equal("report", (string?)json["mode"]);
        foreach (var field in new[] { "runId", "devicesEvaluated", "offendingDevices", "affectedPeople", "exemptDevices", "writes" })
            Assert.True(json.ContainsKey(field), $"--json lacks {field}");
        Assert.Equal(harness.Tenant.State.ManagedDevices.Count, (int)json["devicesEvaluated"]!);
        Assert.True((int)json["offendingDevices"]! > 0);
        Assert.Empty(json["writes"]!.AsArray());
    }

    [Fact]
    public async Task Persistently_failing_app_listing_exits_3_with_status_incomplete()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var file = harness.WriteBanList(harness.TikTokBanJson());
        harness.Tenant.Faults.FailPath(@"deviceManagement/detectedApps/[^/]+/managedDevices");

        var (exit, stdout, _) = await RunAsync(harness, "sweep", "--banlist", file, "--json", "--as-of", "2026-11-28T00:00:00Z");

        Assert.Equal(ExitCodes.Incomplete, exit);
        Assert.Equal("incomplete", (string?)JsonNode.Parse(stdout)!["status"]);
    }

    [Fact]
    public async Task As_of_with_enforcement_exits_2_naming_it()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var file = harness.WriteBanList(harness.TikTokBanJson());

        var (exit, _, stderr) = await RunAsync(harness, "sweep", "--banlist", file, "--mode", "enforce", "--as-of", "2026-11-28T00:00:00Z");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--as-of", stderr);
        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Reads + harness.Tenant.Requests.Snapshot().Writes);
    }

    [Fact]
    public async Task Unknown_device_exits_2_naming_it_and_journals_nothing()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var file = harness.WriteBanList(harness.TikTokBanJson());

        var (exit, _, stderr) = await RunAsync(harness, "sweep", "--banlist", file, "--device", Guid.NewGuid().ToString());

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--device", stderr);
        // The tenant's lock table may exist: the lock is taken before the device is looked up.
        Assert.DoesNotContain(await TablesNamed(harness.TablePrefix), t => !t.EndsWith("Locks", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--mode", "observe", "--mode")]
    [InlineData("--as-of", "2026-11-28", "--as-of")]
    [InlineData("--device", "not-a-guid", "--device")]
    [InlineData("--graph-url", "http://graph.example.com/v1.0", "--graph-url")]
    [InlineData("--storage", "this=is;not=a;connection", "--storage")]
    public Task Bad_option_exits_2_naming_it_with_no_graph_request_and_nothing_stored(string option, string value, string named) =>
        AssertRefusedAsync(option, value, named);

    [Theory]
    [InlineData("--as-of", "12/01/2026 10:00 +01:00", "--as-of")]
    [InlineData("--as-of", "2026-11-28T00:00:00", "--as-of")]
    [InlineData("--user", "{6b1d2c3e-4f50}", "--user")]
    [InlineData("--user", "alice", "--user")]
    [InlineData("--tenant", "contoso\n", "--tenant")]
    [InlineData("--tenant", "con/toso", "--tenant")]
    [InlineData("--table-prefix", "ibs\n", "--table-prefix")]
    [InlineData("--table-prefix", "ibs-test", "--table-prefix")]
    public Task Bad_value_exits_2_naming_its_option_with_no_graph_request_and_nothing_stored(string option, string value, string named) =>
        AssertRefusedAsync(option, value, named + ":");

    [Theory]
    [InlineData("--user", "--mode")]
    [InlineData("--device", "--mode")]
    [InlineData("--user", "--override-blast-radius")]
    public async Task Enforcement_of_one_user_or_device_exits_2_naming_it_with_no_graph_request(string target, string named)
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var file = harness.WriteBanList(harness.TikTokBanJson());
        var value = target == "--user" ? "alice@contoso.com" : harness.Tenant.State.ManagedDevices[0].Id;
        string[] enforcement = named == "--mode" ? ["--mode", "enforce"] : ["--override-blast-radius"];

        var (exit, _, stderr) = await RunAsync(harness, ["sweep", "--banlist", file, target, value, .. enforcement]);

        Assert.True(exit == ExitCodes.InvalidInput, $"exit {exit}: {stderr}");
        Assert.Contains(named + ":", stderr);
        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Reads + harness.Tenant.Requests.Snapshot().Writes);
    }

    [Fact]
    public async Task As_of_with_the_blast_radius_override_exits_2_naming_as_of()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var file = harness.WriteBanList(harness.TikTokBanJson());

        var (exit, _, stderr) = await RunAsync(harness, "sweep", "--banlist", file, "--mode", "report", "--override-blast-radius", "--as-of", "2026-11-28T00:00:00Z");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--as-of:", stderr);
    }

    [Fact]
    public async Task User_id_in_braces_sweeps_that_users_devices()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var file = harness.WriteBanList(harness.TikTokBanJson());
        var userId = harness.Tenant.State.ManagedDevices.First(d => d.UserId is not null).UserId!;
        var devices = harness.Tenant.State.ManagedDevices.Count(d => d.UserId == userId);

        var (exit, stdout, stderr) = await RunAsync(harness, "sweep", "--banlist", file, "--json", "--user", "{" + userId.ToUpperInvariant() + "}");

        Assert.True(exit == ExitCodes.Completed, $"exit {exit}: {stderr}");
        Assert.Equal(devices, (int)JsonNode.Parse(stdout)!["devicesEvaluated"]!);
    }

    [Fact]
    public async Task Tenant_is_journaled_under_its_name_in_lower_case()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var file = harness.WriteBanList(harness.TikTokBanJson());

        var (exit, stdout, stderr) = await RunAsync(harness, "sweep", "--banlist", file, "--json", "--tenant", "Contoso");

        Assert.True(exit == ExitCodes.Completed, $"exit {exit}: {stderr}");
        Assert.Equal("contoso", (string?)JsonNode.Parse(stdout)!["tenant"]);
        var run = Assert.Single(await harness.Journal.ListRunsAsync("contoso", CancellationToken.None).ToListAsync());
        Assert.Equal("contoso", run.Tenant);
        Assert.Empty(await harness.Journal.ListRunsAsync("Contoso", CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Names_from_the_tenant_and_the_ban_list_reach_the_terminal_without_control_characters()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var report = await harness.SweepAsync(harness.TikTokBan());
        var findings = await harness.Journal.GetFindingsAsync("contoso", report.RunId, CancellationToken.None).ToListAsync();
        var evil = "evil\u001b[2J\u0007\u202e";
        var offenders = findings.Select(f => f with { DeviceName = evil, UserPrincipalName = evil, AppName = evil }).ToList();
        var hostile = report with { Bans = [.. report.Bans.Select(b => b with { Name = evil })], Problems = [evil] };
        var output = new StringWriter();

        var console = ReportRenderer.ConsoleFor(output);
        ReportRenderer.Render(hostile, console);
        ReportRenderer.RenderOffenders(offenders, console);

        var text = output.ToString();
        Assert.Contains("evil[2J", text);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.DoesNotContain('\u202e', text);
    }

    [Fact]
    public async Task The_reach_table_is_printed_once_per_ban()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var report = await harness.SweepAsync(harness.TikTokBan());
        var output = new StringWriter();

        ReportRenderer.RenderReach(report, ReportRenderer.ConsoleFor(output));

        Assert.True(report.Bans.Single().ByClass.Count > 0, "the sweep must report reach by class");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(output.ToString(), "Reach by device class"));
    }

    [Fact]
    public async Task Ctrl_c_ends_the_sweep_cleanly_the_run_cancelled_and_the_lock_released()
    {
        await using var harness = await SweepHarness.StartAsync(Azurite, latency: TimeSpan.FromMilliseconds(100));
        var file = harness.WriteBanList(harness.TikTokBanJson());
        using var ctrlC = new CancellationTokenSource();
        var pressed = PressCtrlCOnceRunningAsync(harness, ctrlC);

        var (exit, _, stderr) = await RunAsync(harness, ctrlC.Token, "sweep", "--banlist", file);
        await pressed;

        Assert.Equal(ExitCodes.Cancelled, exit);
        Assert.Contains("cancelled", stderr, StringComparison.Ordinal);
        var runs = await harness.Journal.ListRunsAsync("contoso", CancellationToken.None).ToListAsync();
        Assert.Equal(IntuneBanSync.Journal.SweepStatus.Cancelled, Assert.Single(runs).Status);
        var locks = new IntuneBanSync.Sweeps.TenantLocks(Azurite.CreateTableService(), harness.TablePrefix, TimeProvider.System);
        Assert.Null(await locks.PeekAsync("contoso", CancellationToken.None));
    }

    [Theory]
    [InlineData("--timeout", "0")]
    [InlineData("--inventory", "sideways")]
    public async Task A_timeout_out_of_range_or_an_inventory_source_it_does_not_know_exits_2_naming_it_with_no_graph_read(string option, string value)
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var file = harness.WriteBanList(harness.TikTokBanJson());

        var (exit, _, stderr) = await RunAsync(harness, "sweep", "--banlist", file, option, value);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Reads);
    }

    /// <summary>Sweeps the TikTok ban list with one option given this value: asserts the CLI refused it (exit 2) naming it, read and wrote nothing.</summary>
    private async Task AssertRefusedAsync(string option, string value, string named)
    {
        await using var harness = await SweepHarness.StartAsync(Azurite);
        var file = harness.WriteBanList(harness.TikTokBanJson());

        var (exit, _, stderr) = await RunAsync(harness, "sweep", "--banlist", file, option, value);

        Assert.True(exit == ExitCodes.InvalidInput, $"exit {exit}: {stderr}");
        Assert.Contains(named, stderr);
        Assert.Equal(0, harness.Tenant.Requests.Snapshot().Reads + harness.Tenant.Requests.Snapshot().Writes);
        Assert.Empty(await TablesNamed(harness.TablePrefix));
    }

    /// <summary>Presses Ctrl+C once the sweep has opened its run, so the interruption lands in the middle of it.</summary>
    private static async Task PressCtrlCOnceRunningAsync(SweepHarness harness, CancellationTokenSource ctrlC)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await harness.Journal.ListRunsAsync("contoso", CancellationToken.None).AnyAsync(r => r.Status == IntuneBanSync.Journal.SweepStatus.Running))
                {
                    await ctrlC.CancelAsync();
                    return;
                }
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                // The sweep has not created its tables yet.
            }

            await Task.Delay(20);
        }
    }

    private Task<(int Exit, string Stdout, string Stderr)> RunAsync(SweepHarness harness, params string[] args) =>
        RunAsync(harness, CancellationToken.None, args);

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(SweepHarness harness, CancellationToken ct, params string[] args)
    {
        var all = new List<string>(args);
        if (!all.Contains("--graph-url"))
            all.AddRange(["--graph-url", harness.Tenant.GraphUrl]);
        if (!all.Contains("--storage"))
            all.AddRange(["--storage", Azurite.ConnectionString]);
        if (!all.Contains("--table-prefix"))
            all.AddRange(["--table-prefix", harness.TablePrefix]);
        if (!all.Contains("--tenant"))
            all.AddRange(["--tenant", "contoso"]);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync([.. all], stdout, stderr, g => g.RetryDelaySeconds = 0, ct);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private async Task<List<string>> TablesNamed(string prefix)
    {
        var names = new List<string>();
        await foreach (var table in Azurite.CreateTableService().QueryAsync())
            if (table.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                names.Add(table.Name);
        return names;
    }

    private static string Ban(
        string effectiveFrom = "2026-01-01T00:00:00Z", string uninstallBy = "2026-02-01T00:00:00Z", string expiresOn = "2026-07-01T00:00:00Z",
        string platforms = """["ios","android"]""", string ownership = """["company","personal"]""", string displayNames = """["TikTok"]""",
        bool second = false, string? exemption = null)
    {
        var ban = $$"""{"id":"tiktok","name":"TikTok","apps":{"displayNames":{{displayNames}}},"scope":{"ownership":{{ownership}},"platforms":{{platforms}}},"effectiveFrom":"{{effectiveFrom}}","uninstallBy":"{{uninstallBy}}","expiresOn":"{{expiresOn}}"}""";
        var bans = second ? $"{ban},{ban}" : ban;
        var exemptions = exemption is null ? "" : $",\"exemptions\":[{exemption}]";
        return $$"""{"version":1,"bans":[{{bans}}]{{exemptions}}}""";
    }
}
