namespace IntuneBanSync.IntegrationTests.Journal;

/// <summary>{prefix}Attestations in Azurite: who said, when, that they removed which ban's app from which device.</summary>
public sealed class AttestationStoreTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    private const string Tenant = "contoso";
    private const string Device = "d0000000-0000-4000-8000-000000000001";
    private const string OtherDevice = "d0000000-0000-4000-8000-000000000002";
    private static readonly DateTimeOffset At = new(2027, 3, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Recorded_attestation_reads_back_with_who_when_which_device_and_ban()
    {
        var store = await NewStoreAsync();
        var attestation = new Attestation("tiktok", Device, "u0000000-0000-4000-8000-000000000001", "alex@contoso.example", At, "iPhone of Alex");

        await store.RecordAsync(Tenant, attestation, CancellationToken.None);
        var listed = await store.ListAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Equal(attestation, Assert.Single(listed).Value);
        Assert.Equal(Device, listed.Keys.Single());
    }

    [Fact]
    public async Task List_answers_the_latest_attestation_of_each_device_for_the_ban()
    {
        var store = await NewStoreAsync();
        var first = Attested("tiktok", Device, At);
        var latest = Attested("tiktok", Device, At.AddDays(3));
        var other = Attested("tiktok", OtherDevice, At.AddDays(1));
        var otherBan = Attested("wechat", Device, At.AddDays(5));
        foreach (var attestation in (Attestation[])[latest, first, other, otherBan])
            await store.RecordAsync(Tenant, attestation, CancellationToken.None);

        var listed = await store.ListAsync(Tenant, "tiktok", CancellationToken.None);

        Assert.Equal(2, listed.Count);
        Assert.Equal(latest, listed[Device]);
        Assert.Equal(other, listed[OtherDevice]);
    }

    [Fact]
    public async Task Device_answers_every_attestation_of_every_ban_oldest_first_and_no_other_devices_or_tenants()
    {
        var store = await NewStoreAsync();
        var first = Attested("tiktok", Device, At);
        var second = Attested("wechat", Device, At.AddHours(1));
        var third = Attested("tiktok", Device, At.AddDays(2));
        foreach (var attestation in (Attestation[])[third, first, second])
            await store.RecordAsync(Tenant, attestation, CancellationToken.None);
        await store.RecordAsync(Tenant, Attested("tiktok", OtherDevice, At), CancellationToken.None);
        await store.RecordAsync("fabrikam", Attested("tiktok", Device, At), CancellationToken.None);
        await store.RecordAsync("contosoeu", Attested("tiktok", Device, At), CancellationToken.None);

        var found = await store.ForDeviceAsync(Tenant, Device, CancellationToken.None);

        Assert.Equal([first, second, third], found);
    }

    [Fact]
    public async Task Ban_id_holding_the_key_separator_is_refused_before_any_request()
    {
        var store = await NewStoreAsync();

        var record = () => store.RecordAsync(Tenant, Attested("tik|tok", Device, At), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ArgumentException>(record);
        Assert.Equal("banId", error.ParamName);
    }

    private static Attestation Attested(string ban, string device, DateTimeOffset at) =>
        new(ban, device, "u0000000-0000-4000-8000-000000000001", "alex@contoso.example", at, "iPhone of Alex");

    private async Task<AttestationStore> NewStoreAsync()
    {
        var store = new AttestationStore(Azurite.CreateTableService(), Azurite.NewTablePrefix());
        await store.EnsureCreatedAsync(CancellationToken.None);
        return store;
    }
}
