using System.Reflection;

namespace IntuneBanSync.Functions.Tests.Metadata;

/// <summary>What the Functions host is told about our functions: the Worker SDK's functions.metadata, generated at build.</summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Lazy<JsonElement> Functions = new(ReadMetadata);

    public static TheoryData<string, string, string, string> HttpFunctions => new()
    {
        { "SweepNow", "post", "sweeps", "IntuneBanSync.Functions.Sweeps.SweepNow.Run" },
        { "GetSweep", "get", "sweeps/{runId}", "IntuneBanSync.Functions.Sweeps.GetSweep.Run" },
        { "GetDevice", "get", "devices/{id}", "IntuneBanSync.Functions.Devices.GetDevice.Run" },
        { "GetBanList", "get", "banlist", "IntuneBanSync.Functions.Admin.BanListApi.GetBanList" },
        { "PutBanList", "put", "banlist", "IntuneBanSync.Functions.Admin.BanListApi.PutBanList" },
        { "AddExemption", "post", "exemptions", "IntuneBanSync.Functions.Admin.BanListApi.AddExemption" },
        { "DeleteExemption", "delete", "exemptions/{id}", "IntuneBanSync.Functions.Admin.BanListApi.DeleteExemption" },
    };

    /// <summary>The self-attestation page: end users follow a link and have no function key; App Service Authentication signs them in.</summary>
    public static TheoryData<string, string, string, string> AnonymousHttpFunctions => new()
    {
        { "ShowAttestations", "get", "attest", "IntuneBanSync.Functions.SelfAttestation.AttestationPage.ShowAttestations" },
        { "RecordAttestation", "post", "attest", "IntuneBanSync.Functions.SelfAttestation.AttestationPage.RecordAttestation" },
    };

    public static TheoryData<string, string, string> QueueFunctions => new()
    {
        { "RunQueuedSweep", "ibs-sweeps", "IntuneBanSync.Functions.Sweeps.QueuedSweeps.RunQueuedSweep" },
        { "FailPoisonedSweep", "ibs-sweeps-poison", "IntuneBanSync.Functions.Sweeps.QueuedSweeps.FailPoisonedSweep" },
    };

    /// <summary>The names of the functions with an HTTP trigger, as the metadata lists them.</summary>
    public static IReadOnlyList<string> HttpFunctionNames() =>
    [
        .. Functions.Value.EnumerateArray()
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == "httpTrigger"))
            .Select(f => f.GetProperty("name").GetString()!),
    ];

    /// <summary>The names of the HTTP functions that need a function key (every one but the attestation page).</summary>
    public static IReadOnlyList<string> FunctionKeyHttpFunctionNames() =>
    [
        .. Functions.Value.EnumerateArray()
            .Where(f => f.GetProperty("bindings").EnumerateArray()
                .Any(b => b.GetProperty("type").GetString() == "httpTrigger" && b.GetProperty("authLevel").GetString() == "Function"))
            .Select(f => f.GetProperty("name").GetString()!),
    ];

    [Fact]
    public void Metadata_lists_exactly_the_timer_the_queue_triggers_and_the_http_api()
    {
        var names = Functions.Value.EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order();

        Assert.Equal(
            ["AddExemption", "DeleteExemption", "FailPoisonedSweep", "GetBanList", "GetDevice", "GetSweep", "PutBanList", "RecordAttestation", "RunQueuedSweep", "ScheduledSweep", "ShowAttestations", "SweepNow"],
            names);
    }

    [Fact]
    public void ScheduledSweep_is_a_timer_on_the_configured_schedule_that_does_not_run_on_startup()
    {
        var function = Function("ScheduledSweep");

        var binding = Assert.Single(function.GetProperty("bindings").EnumerateArray());
        Assert.Equal("timerTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("In", binding.GetProperty("direction").GetString());
        Assert.Equal("%IntuneBanSync:Schedule%", binding.GetProperty("schedule").GetString());
        Assert.False(binding.GetProperty("runOnStartup").GetBoolean());
        Assert.Equal("IntuneBanSync.Functions.Sweeps.ScheduledSweep.Run", function.GetProperty("entryPoint").GetString());
    }

    [Fact]
    public void Queued_sweeps_run_one_per_instance_so_the_platform_spreads_tenants_over_instances()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(LocateMetadata())!, "host.json")));

        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");
        Assert.Equal((1, 0), (queues.GetProperty("batchSize").GetInt32(), queues.GetProperty("newBatchThreshold").GetInt32()));
        var timeout = TimeSpan.Parse(host.RootElement.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(timeout > TimeSpan.FromMinutes(new IntuneBanSync.Sweeps.SweepSettings().DeadlineMinutes), "a sweep must reach its own deadline and close its run before the host stops it");
    }

    [Theory]
    [MemberData(nameof(QueueFunctions))]
    public void Queue_function_is_triggered_by_its_queue_with_a_string_message(string name, string queue, string entryPoint)
    {
        var function = Function(name);

        var binding = Assert.Single(function.GetProperty("bindings").EnumerateArray());
        Assert.Equal("queueTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("In", binding.GetProperty("direction").GetString());
        Assert.Equal(queue, binding.GetProperty("queueName").GetString());
        Assert.Equal("String", binding.GetProperty("dataType").GetString());
        Assert.Equal(entryPoint, function.GetProperty("entryPoint").GetString());
    }

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void Http_function_is_a_function_key_trigger_on_its_route_and_method(string name, string method, string route, string entryPoint)
    {
        var function = Function(name);

        var trigger = Binding(function, "httpTrigger");
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal(entryPoint, function.GetProperty("entryPoint").GetString());
    }

    [Theory]
    [MemberData(nameof(AnonymousHttpFunctions))]
    public void Attestation_page_is_an_anonymous_trigger_on_its_route_and_method(string name, string method, string route, string entryPoint)
    {
        var function = Function(name);

        var trigger = Binding(function, "httpTrigger");
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal(entryPoint, function.GetProperty("entryPoint").GetString());
    }

    [Theory]
    [InlineData("ShowAttestations")]
    [InlineData("RecordAttestation")]
    [InlineData("SweepNow")]
    [InlineData("GetSweep")]
    [InlineData("GetDevice")]
    [InlineData("GetBanList")]
    [InlineData("PutBanList")]
    [InlineData("AddExemption")]
    [InlineData("DeleteExemption")]
    public void Http_function_answers_with_its_return_value_over_http(string name)
    {
        var function = Function(name);

        var output = Binding(function, "http");
        Assert.Equal("$return", output.GetProperty("name").GetString());
        Assert.Equal("Out", output.GetProperty("direction").GetString());
        Assert.Equal(2, function.GetProperty("bindings").GetArrayLength());
    }

    private static JsonElement Function(string name) =>
        Assert.Single(Functions.Value.EnumerateArray(), f => f.GetProperty("name").GetString() == name);

    private static JsonElement Binding(JsonElement function, string type) =>
        Assert.Single(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == type);

    private static JsonElement ReadMetadata()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(LocateMetadata()));
        return document.RootElement.Clone();
    }

    /// <summary>The copy the build puts beside the tests, else the functions project's own build output in our configuration.</summary>
    private static string LocateMetadata()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        if (File.Exists(beside))
            return beside;

        var configuration = typeof(FunctionsMetadataTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "IntuneBanSync.sln")))
            {
                var built = Path.Combine(folder.FullName, "functions", "IntuneBanSync.Functions", "bin", configuration, "net10.0", "functions.metadata");
                return File.Exists(built)
                    ? built
                    : throw new FileNotFoundException($"Build functions/IntuneBanSync.Functions in {configuration} first: the Worker SDK writes functions.metadata there.", built);
            }
        }

        throw new DirectoryNotFoundException($"No IntuneBanSync.sln above {AppContext.BaseDirectory}.");
    }
}
