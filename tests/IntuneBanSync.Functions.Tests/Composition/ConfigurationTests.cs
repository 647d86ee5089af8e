namespace IntuneBanSync.Functions.Tests.Composition;

/// <summary>
/// A bad or missing setting stops the Function App when it starts, with a message naming the setting. A good configuration
/// starts it against Azurite: the host creates its tables and queue when it starts.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConfigurationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Host_starts_with_a_good_configuration()
    {
        using var host = FunctionHost.CreateBuilder(OnAzurite(FunctionHost.ValidSettings())).Build();

        await host.StartAsync();

        await host.StopAsync();
    }

    [Fact]
    public async Task Host_does_not_start_without_a_tenant()
    {
        var settings = FunctionHost.ValidSettings();
        settings.Remove("IntuneBanSync:Tenant");

        var error = await StartFailureAsync(settings);

        Assert.Contains("IntuneBanSyncOptions", error.Message);
        Assert.Contains("Tenant", error.Message);
    }

    [Fact]
    public async Task Host_does_not_start_with_a_schedule_that_is_not_six_field_ncrontab()
    {
        var settings = FunctionHost.ValidSettings();
        settings["IntuneBanSync:Schedule"] = "0 */4 * * *";

        var error = await StartFailureAsync(settings);

        Assert.Contains("'Schedule'", error.Message);
        Assert.Contains("0 */4 * * *", error.Message);
    }

    [Fact]
    public async Task Host_does_not_start_with_both_a_storage_connection_string_and_a_table_service_uri()
    {
        var settings = FunctionHost.ValidSettings();
        settings["IntuneBanSync:Storage:TableServiceUri"] = "https://contoso.table.core.windows.net";

        var error = await StartFailureAsync(settings);

        Assert.Contains("StorageOptions", error.Message);
        Assert.Contains("ConnectionString", error.Message);
        Assert.Contains("TableServiceUri", error.Message);
    }

    [Fact]
    public async Task Host_does_not_start_with_neither_a_storage_connection_string_nor_a_table_service_uri()
    {
        var settings = FunctionHost.ValidSettings();
        settings.Remove("IntuneBanSync:Storage:ConnectionString");

        var error = await StartFailureAsync(settings);

        Assert.Contains("StorageOptions", error.Message);
        Assert.Contains("ConnectionString", error.Message);
        Assert.Contains("TableServiceUri", error.Message);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public async Task Host_does_not_start_with_an_attestation_token_key_that_is_not_32_bytes_of_base64(string key)
    {
        var settings = FunctionHost.ValidSettings();
        settings["IntuneBanSync:Attestation:TokenKey"] = key;

        var error = await StartFailureAsync(settings);

        Assert.Contains("AttestationOptions", error.Message);
        Assert.Contains("TokenKey", error.Message);
    }

    [Fact]
    public async Task Host_does_not_start_with_a_graph_base_url_that_is_not_a_url()
    {
        var settings = FunctionHost.ValidSettings();
        settings["IntuneBanSync:Graph:BaseUrl"] = "graph.microsoft.com/v1.0";

        var error = await StartFailureAsync(settings);

        Assert.Contains("GraphOptions", error.Message);
        Assert.Contains("BaseUrl", error.Message);
    }

    [Fact]
    public async Task Host_does_not_start_with_more_than_ten_graph_retries()
    {
        var settings = FunctionHost.ValidSettings();
        settings["IntuneBanSync:Graph:MaxRetry"] = "11";

        var error = await StartFailureAsync(settings);

        Assert.Contains("GraphOptions", error.Message);
        Assert.Contains("MaxRetry", error.Message);
    }

    [Fact]
    public async Task Host_starts_with_two_tenants_one_of_them_the_default()
    {
        var settings = OnAzurite(TwoTenants());
        using var host = FunctionHost.CreateBuilder(settings).Build();

        await host.StartAsync();

        await host.StopAsync();
    }

    [Fact]
    public async Task Host_does_not_start_with_a_tenant_whose_tenant_id_is_not_a_guid()
    {
        var settings = TwoTenants();
        settings["IntuneBanSync:Tenants:1:TenantId"] = "regional.onmicrosoft.com";

        var error = await StartFailureAsync(settings);

        Assert.Contains("IntuneBanSyncOptions", error.Message);
        Assert.Contains("Tenants:1:TenantId", error.Message);
    }

    [Fact]
    public async Task Host_does_not_start_when_the_default_tenant_is_not_one_of_the_tenants()
    {
        var settings = TwoTenants();
        settings["IntuneBanSync:Tenant"] = "municipal";

        var error = await StartFailureAsync(settings);

        Assert.Contains("IntuneBanSyncOptions", error.Message);
        Assert.Contains("'Tenant'", error.Message);
        Assert.Contains("municipal", error.Message);
    }

    [Theory]
    [InlineData("regional\n")]
    [InlineData("regional/x")]
    [InlineData("")]
    public async Task Host_does_not_start_with_a_tenant_name_that_breaks_the_rule(string name)
    {
        var settings = TwoTenants();
        settings["IntuneBanSync:Tenants:1:Name"] = name;

        var error = await StartFailureAsync(settings);

        Assert.Contains("Tenants:1:Name", error.Message);
    }

    [Fact]
    public async Task Host_does_not_start_with_a_default_tenant_name_ending_in_a_newline()
    {
        var settings = FunctionHost.ValidSettings();
        settings["IntuneBanSync:Tenant"] = "contoso\n";

        var error = await StartFailureAsync(settings);

        Assert.Contains("'Tenant'", error.Message);
    }

    [Fact]
    public async Task Host_does_not_start_with_two_tenants_whose_names_differ_only_in_case()
    {
        var settings = TwoTenants();
        settings["IntuneBanSync:Tenants:1:Name"] = "FEDERAL";

        var error = await StartFailureAsync(settings);

        Assert.Contains("Tenants:1:Name", error.Message);
        Assert.Contains("twice", error.Message);
    }

    [Theory]
    [InlineData("ibs\n")]
    [InlineData("1ibs")]
    [InlineData("ibs-test")]
    [InlineData("")]
    public async Task Host_does_not_start_with_a_table_prefix_the_journal_refuses(string prefix)
    {
        var settings = FunctionHost.ValidSettings();
        settings["IntuneBanSync:Storage:TablePrefix"] = prefix;

        var error = await StartFailureAsync(settings);

        Assert.Contains("TablePrefix", error.Message);
    }

    [Fact]
    public async Task Host_does_not_start_with_a_table_prefix_longer_than_the_journal_allows()
    {
        var settings = FunctionHost.ValidSettings();
        settings["IntuneBanSync:Storage:TablePrefix"] = "t" + new string('0', Journal.JournalKeys.MaxTablePrefixLength);

        var error = await StartFailureAsync(settings);

        Assert.Contains("TablePrefix", error.Message);
    }

    [Fact]
    public async Task Host_starts_with_a_table_prefix_as_long_as_the_journal_allows()
    {
        var settings = OnAzurite(FunctionHost.ValidSettings());
        settings["IntuneBanSync:Storage:TablePrefix"] = AzuriteFixture.NewTablePrefix().PadRight(Journal.JournalKeys.MaxTablePrefixLength, '0');
        using var host = FunctionHost.CreateBuilder(settings).Build();

        await host.StartAsync();

        await host.StopAsync();
    }

    [Fact]
    public async Task Host_does_not_start_when_a_tenants_AllowDeploymentRoles_is_not_true_or_false()
    {
        var settings = TwoTenants();
        settings["IntuneBanSync:Tenants:1:AllowDeploymentRoles"] = "sometimes";

        var error = await StartFailureAsync(settings);

        Assert.Contains("IntuneBanSyncOptions", error.Message);
        Assert.Contains("Tenants:1:AllowDeploymentRoles", error.Message);
    }

    private Dictionary<string, string?> OnAzurite(Dictionary<string, string?> settings)
    {
        settings["IntuneBanSync:Storage:ConnectionString"] = azurite.ConnectionString;
        settings["IntuneBanSync:Storage:TablePrefix"] = AzuriteFixture.NewTablePrefix();
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        return settings;
    }

    private static Dictionary<string, string?> TwoTenants()
    {
        var settings = FunctionHost.ValidSettings();
        settings["IntuneBanSync:Tenant"] = "federal";
        settings["IntuneBanSync:Tenants:0:Name"] = "federal";
        settings["IntuneBanSync:Tenants:1:Name"] = "regional";
        settings["IntuneBanSync:Tenants:1:TenantId"] = "0b9c2f1e-4d3a-4e5f-9a8b-7c6d5e4f3a2b";
        return settings;
    }

    [Fact]
    public async Task Host_does_not_start_with_an_inventory_source_it_does_not_know()
    {
        var settings = FunctionHost.ValidSettings();
        settings["IntuneBanSync:Sweep:InventorySource"] = "Sideways";
        using var host = FunctionHost.CreateBuilder(settings).Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("IntuneBanSync:Sweep:InventorySource", error.Message);
    }

    [Theory]
    [InlineData("IntuneBanSync:Sweep:InventorySource", "7", "InventorySource")]
    [InlineData("IntuneBanSync:Sweep:ExportJobPatienceMinutes", "0", "ExportJobPatienceMinutes")]
    [InlineData("IntuneBanSync:Sweep:ExportJobPollSeconds", "0", "ExportJobPollSeconds")]
    public async Task Host_does_not_start_with_an_export_job_setting_out_of_range(string key, string value, string named)
    {
        var settings = FunctionHost.ValidSettings();
        settings[key] = value;

        var error = await StartFailureAsync(settings);

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task Host_starts_with_the_export_job_inventory_source()
    {
        var settings = OnAzurite(FunctionHost.ValidSettings());
        settings["IntuneBanSync:Sweep:InventorySource"] = "ExportJob";
        using var host = FunctionHost.CreateBuilder(settings).Build();

        await host.StartAsync();

        await host.StopAsync();
    }

    private static async Task<OptionsValidationException> StartFailureAsync(Dictionary<string, string?> settings)
    {
        using var host = FunctionHost.CreateBuilder(settings).Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }
}
