using Azure.Core.Pipeline;

namespace IntuneBanSync.IntegrationTests.BanListStore;

public sealed class BanListStoreTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    private const string Tenant = "contoso.onmicrosoft.com";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public async Task Put_ban_list_reads_back_unchanged()
    {
        var store = await NewStoreAsync();

        var put = await store.PutAsync(Tenant, BanLists.Sample, null, "alice", CancellationToken.None);
        var read = await store.GetAsync(Tenant, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(BanLists.Sample, read.Json);
        Assert.Equal(["tiktok"], read.Document.Bans.Select(b => b.Id));
        Assert.Equal(["police-comms"], read.Document.Exemptions.Select(e => e.Id));
        Assert.Equal((1, Start, "alice"), (read.Version, read.ChangedAt, read.ChangedBy));
        Assert.Equal(put.ETag, read.ETag);
    }

    [Fact]
    public async Task Missing_ban_list_reads_as_null()
    {
        var store = await NewStoreAsync();

        var read = await store.GetAsync(Tenant, CancellationToken.None);

        Assert.Null(read);
    }

    [Fact]
    public async Task Create_only_put_conflicts_when_a_ban_list_exists()
    {
        var store = await NewStoreAsync();
        await store.PutAsync(Tenant, BanLists.Sample, null, "alice", CancellationToken.None);

        await Assert.ThrowsAsync<BanListConflictException>(() => store.PutAsync(Tenant, BanLists.WithoutExemptions, null, "bob", CancellationToken.None));

        var read = await store.GetAsync(Tenant, CancellationToken.None);
        Assert.Equal((BanLists.Sample, 1, "alice"), (read!.Json, read.Version, read.ChangedBy));
    }

    [Fact]
    public async Task Put_with_the_etag_read_replaces_the_ban_list()
    {
        var store = await NewStoreAsync();
        var first = await store.PutAsync(Tenant, BanLists.Sample, null, "alice", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(5));

        var second = await store.PutAsync(Tenant, BanLists.WithoutExemptions, first.ETag, "bob", CancellationToken.None);

        var read = await store.GetAsync(Tenant, CancellationToken.None);
        Assert.Equal((BanLists.WithoutExemptions, 2, "bob", Start.AddMinutes(5)), (read!.Json, read.Version, read.ChangedBy, read.ChangedAt));
        Assert.Equal(second.ETag, read.ETag);
        Assert.NotEqual(first.ETag, second.ETag);
    }

    [Fact]
    public async Task Put_with_a_stale_etag_conflicts_and_changes_nothing()
    {
        var store = await NewStoreAsync();
        var first = await store.PutAsync(Tenant, BanLists.Sample, null, "alice", CancellationToken.None);
        await store.PutAsync(Tenant, BanLists.WithoutExemptions, first.ETag, "bob", CancellationToken.None);

        await Assert.ThrowsAsync<BanListConflictException>(() => store.PutAsync(Tenant, BanLists.Sample, first.ETag, "carol", CancellationToken.None));

        var read = await store.GetAsync(Tenant, CancellationToken.None);
        Assert.Equal((BanLists.WithoutExemptions, 2, "bob"), (read!.Json, read.Version, read.ChangedBy));
        Assert.Equal(2, (await store.GetChangesAsync(Tenant, CancellationToken.None).ToListAsync()).Count);
    }

    [Fact]
    public async Task Put_with_a_star_overwrites_whatever_is_stored()
    {
        var store = await NewStoreAsync();
        await store.PutAsync(Tenant, BanLists.Sample, null, "alice", CancellationToken.None);

        var put = await store.PutAsync(Tenant, BanLists.WithoutExemptions, "*", "bob", CancellationToken.None);

        var read = await store.GetAsync(Tenant, CancellationToken.None);
        Assert.Equal((BanLists.WithoutExemptions, 2, "bob"), (read!.Json, read.Version, read.ChangedBy));
        Assert.Equal(put.ETag, read.ETag);
    }

    [Fact]
    public async Task Put_with_a_star_creates_a_missing_ban_list()
    {
        var store = await NewStoreAsync();

        var put = await store.PutAsync(Tenant, BanLists.Sample, "*", "alice", CancellationToken.None);

        Assert.Equal(1, put.Version);
        Assert.Equal(BanLists.Sample, (await store.GetAsync(Tenant, CancellationToken.None))!.Json);
    }

    [Fact]
    public async Task Text_that_is_not_json_is_rejected_at_the_root_and_nothing_is_stored()
    {
        var store = await NewStoreAsync();

        var rejected = await Assert.ThrowsAsync<BanListRejectedException>(() => store.PutAsync(Tenant, "{ \"version\": 1,", null, "alice", CancellationToken.None));

        Assert.Equal(["$"], rejected.Errors.Select(e => e.Path));
        Assert.Null(await store.GetAsync(Tenant, CancellationToken.None));
        Assert.Empty(await store.GetChangesAsync(Tenant, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Invalid_ban_list_is_rejected_at_its_path_and_the_stored_version_is_kept()
    {
        var store = await NewStoreAsync();
        var first = await store.PutAsync(Tenant, BanLists.Sample, null, "alice", CancellationToken.None);
        var invalid = BanLists.Sample.Replace("\"uninstallBy\": \"2023-03-15T00:00:00Z\"", "\"uninstallBy\": \"2023-01-01T00:00:00Z\"", StringComparison.Ordinal);

        var rejected = await Assert.ThrowsAsync<BanListRejectedException>(() => store.PutAsync(Tenant, invalid, first.ETag, "bob", CancellationToken.None));

        Assert.Contains(rejected.Errors, e => e.Path == "$.bans[0].uninstallBy");
        Assert.Contains("$.bans[0].uninstallBy: ", rejected.Message, StringComparison.Ordinal);
        var read = await store.GetAsync(Tenant, CancellationToken.None);
        Assert.Equal((BanLists.Sample, 1, first.ETag), (read!.Json, read.Version, read.ETag));
    }

    [Fact]
    public async Task Ban_list_larger_than_the_store_keeps_is_rejected_at_the_root()
    {
        var store = await NewStoreAsync();
        var huge = BanLists.Sample + new string(' ', 600_000);

        var rejected = await Assert.ThrowsAsync<BanListRejectedException>(() => store.PutAsync(Tenant, huge, null, "alice", CancellationToken.None));

        var error = Assert.Single(rejected.Errors);
        Assert.Equal("$", error.Path);
        Assert.StartsWith("the ban list is larger than the store keeps", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetAsync(Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task Ban_list_of_100_KB_round_trips_through_the_parts()
    {
        var store = await NewStoreAsync();
        var large = BanLists.WithBans(250);
        Assert.True(large.Length > 100_000);

        await store.PutAsync(Tenant, large, null, "alice", CancellationToken.None);
        var read = await store.GetAsync(Tenant, CancellationToken.None);

        Assert.Equal(large, read!.Json);
        Assert.Equal(250, read.Document.Bans.Count);
    }

    [Fact]
    public async Task Blank_changed_by_is_refused_before_anything_is_written()
    {
        var store = await NewStoreAsync();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(Tenant, BanLists.Sample, null, " ", CancellationToken.None));

        Assert.Equal("changedBy", refused.ParamName);
        Assert.Null(await store.GetAsync(Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task Added_exemption_is_in_the_document_and_deleting_it_removes_it()
    {
        var store = await NewStoreAsync();
        await store.PutAsync(Tenant, BanLists.Sample, null, "alice", CancellationToken.None);

        var added = await store.AddExemptionAsync(Tenant, BanLists.Exemption("ceo-phone"), "bob", CancellationToken.None);
        var deleted = await store.DeleteExemptionAsync(Tenant, "ceo-phone", "carol", CancellationToken.None);

        Assert.Equal(["police-comms", "ceo-phone"], added.Document.Exemptions.Select(e => e.Id));
        Assert.Equal((2, "bob"), (added.Version, added.ChangedBy));
        Assert.Equal(["police-comms"], deleted.Document.Exemptions.Select(e => e.Id));
        var read = await store.GetAsync(Tenant, CancellationToken.None);
        Assert.Equal((3, "carol", deleted.ETag), (read!.Version, read.ChangedBy, read.ETag));
        Assert.Equal(["police-comms"], read.Document.Exemptions.Select(e => e.Id));
    }

    [Fact]
    public async Task Exemption_is_added_to_a_ban_list_that_has_none()
    {
        var store = await NewStoreAsync();
        await store.PutAsync(Tenant, BanLists.WithoutExemptions, null, "alice", CancellationToken.None);

        var added = await store.AddExemptionAsync(Tenant, BanLists.Exemption("ceo-phone"), "bob", CancellationToken.None);

        Assert.Equal(["ceo-phone"], added.Document.Exemptions.Select(e => e.Id));
    }

    [Fact]
    public async Task Exemption_with_an_id_already_used_is_rejected_at_its_path()
    {
        var store = await NewStoreAsync();
        var stored = await store.PutAsync(Tenant, BanLists.Sample, null, "alice", CancellationToken.None);

        var rejected = await Assert.ThrowsAsync<BanListRejectedException>(
            () => store.AddExemptionAsync(Tenant, BanLists.Exemption("police-comms"), "bob", CancellationToken.None));

        Assert.Equal(["$.exemptions[1].id"], rejected.Errors.Select(e => e.Path));
        Assert.Equal(stored.ETag, (await store.GetAsync(Tenant, CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task Invalid_exemption_is_rejected_and_nothing_changes()
    {
        var store = await NewStoreAsync();
        var stored = await store.PutAsync(Tenant, BanLists.Sample, null, "alice", CancellationToken.None);
        var exemption = BanLists.Exemption("ceo-phone");
        exemption["ban"] = "wechat";

        var rejected = await Assert.ThrowsAsync<BanListRejectedException>(() => store.AddExemptionAsync(Tenant, exemption, "bob", CancellationToken.None));

        Assert.Equal(["$.exemptions[1].ban"], rejected.Errors.Select(e => e.Path));
        Assert.Equal(stored.ETag, (await store.GetAsync(Tenant, CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task Deleting_an_unknown_exemption_throws_key_not_found()
    {
        var store = await NewStoreAsync();
        var stored = await store.PutAsync(Tenant, BanLists.Sample, null, "alice", CancellationToken.None);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.DeleteExemptionAsync(Tenant, "no-such-exemption", "bob", CancellationToken.None));

        Assert.Equal(stored.ETag, (await store.GetAsync(Tenant, CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task Exemption_changes_without_a_stored_ban_list_throw_key_not_found()
    {
        var store = await NewStoreAsync();

        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.DeleteExemptionAsync(Tenant, "police-comms", "bob", CancellationToken.None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.AddExemptionAsync(Tenant, BanLists.Exemption("ceo-phone"), "bob", CancellationToken.None));

        Assert.Null(await store.GetAsync(Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task Audit_lists_every_change_with_who_when_what_and_versions()
    {
        var store = await NewStoreAsync();
        var first = await store.PutAsync(Tenant, BanLists.Sample, null, "alice", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await store.AddExemptionAsync(Tenant, BanLists.Exemption("ceo-phone"), "bob", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await store.DeleteExemptionAsync(Tenant, "police-comms", "carol", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await store.PutAsync(Tenant, BanLists.Sample, "*", "dave", CancellationToken.None);
        await store.PutAsync("fabrikam.com", BanLists.Sample, null, "eve", CancellationToken.None);

        var changes = await store.GetChangesAsync(Tenant, CancellationToken.None).ToListAsync();

        Assert.Equal(
            [
                new BanListChange(Tenant, 1, "put", null, "alice", Start),
                new BanListChange(Tenant, 2, "add-exemption", "ceo-phone", "bob", Start.AddMinutes(1)),
                new BanListChange(Tenant, 3, "delete-exemption", "police-comms", "carol", Start.AddMinutes(2)),
                new BanListChange(Tenant, 4, "put", null, "dave", Start.AddMinutes(3)),
            ],
            changes);
        Assert.Equal([null, 1, 2, 3], changes.Select(c => c.PreviousVersion));
    }

    [Fact]
    public async Task Concurrent_exemption_additions_both_end_up_in_the_document()
    {
        var bothRead = new ReadBarrier(readers: 2);
        var store = await NewStoreAsync(bothRead);
        await store.PutAsync(Tenant, BanLists.Sample, null, "alice", CancellationToken.None);
        bothRead.Arm();

        await Task.WhenAll(
            store.AddExemptionAsync(Tenant, BanLists.Exemption("ceo-phone"), "bob", CancellationToken.None),
            store.AddExemptionAsync(Tenant, BanLists.Exemption("cfo-phone"), "carol", CancellationToken.None));

        var read = await store.GetAsync(Tenant, CancellationToken.None);
        Assert.True(bothRead.Released, "both writers should have read version 1 before either wrote");
        Assert.Equal(["ceo-phone", "cfo-phone", "police-comms"], read!.Document.Exemptions.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(3, read.Version);
        var changes = await store.GetChangesAsync(Tenant, CancellationToken.None).ToListAsync();
        Assert.Equal([1, 2, 3], changes.Select(c => c.Version));
    }

    private async Task<BanList.BanListStore> NewStoreAsync(HttpPipelinePolicy? policy = null)
    {
        var options = new TableClientOptions();
        if (policy is not null)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerCall);
        }

        var store = new BanList.BanListStore(Azurite.CreateTableService(options), Azurite.NewTablePrefix(), _time);
        await store.EnsureCreatedAsync(CancellationToken.None);
        return store;
    }

    /// <summary>Once armed, holds the first reads of the ban list until <c>readers</c> of them have arrived, so concurrent writers surely read the same version.</summary>
    private sealed class ReadBarrier(int readers) : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;
        private int _arrived;

        public bool Released => _allArrived.Task.IsCompletedSuccessfully;

        public void Arm() => Volatile.Write(ref _armed, 1);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The store is asynchronous.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (Volatile.Read(ref _armed) == 1 && IsBanListRead(message) && Interlocked.Increment(ref _arrived) is var arrival && arrival <= readers)
            {
                if (arrival == readers)
                {
                    _allArrived.TrySetResult();
                }

                await _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }

            await ProcessNextAsync(message, pipeline);
        }

        private static bool IsBanListRead(HttpMessage message) =>
            message.Request.Method == RequestMethod.Get && message.Request.Uri.Path.Contains("BanLists(", StringComparison.Ordinal);
    }
}
