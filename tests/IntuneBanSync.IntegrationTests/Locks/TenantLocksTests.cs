namespace IntuneBanSync.IntegrationTests.Locks;

public sealed class TenantLocksTests(AzuriteFixture azurite) : AzuriteTests(azurite)
{
    private const string Tenant = "contoso.onmicrosoft.com";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _clock = new(Start);

    [Fact]
    public async Task A_free_tenant_is_acquired_for_the_requested_duration()
    {
        var locks = await NewLocksAsync();

        await using var lease = await locks.TryAcquireAsync(Tenant, "timer-1", Lease, CancellationToken.None);

        Assert.NotNull(lease);
        Assert.Equal((Tenant, "timer-1", Start + Lease), (lease.Tenant, lease.Holder, lease.ExpiresAt));
        Assert.Equal(new LockInfo(Tenant, "timer-1", Start, Start + Lease), await locks.PeekAsync(Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task A_second_acquirer_gets_nothing_while_the_lease_lives()
    {
        var locks = await NewLocksAsync();
        await using var first = await locks.TryAcquireAsync(Tenant, "timer-1", Lease, CancellationToken.None);
        _clock.Advance(Lease - TimeSpan.FromSeconds(1));

        var second = await locks.TryAcquireAsync(Tenant, "helpdesk", Lease, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal("timer-1", (await locks.PeekAsync(Tenant, CancellationToken.None))!.Holder);
    }

    [Fact]
    public async Task The_same_holder_cannot_take_its_own_live_lock_twice()
    {
        var locks = await NewLocksAsync();
        await using var first = await locks.TryAcquireAsync(Tenant, "timer-1", Lease, CancellationToken.None);

        var again = await locks.TryAcquireAsync(Tenant, "timer-1", Lease, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(again);
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_and_its_first_holder_can_no_longer_renew()
    {
        var locks = await NewLocksAsync();
        var first = await locks.TryAcquireAsync(Tenant, "timer-1", Lease, CancellationToken.None);
        _clock.Advance(Lease);

        await using var second = await locks.TryAcquireAsync(Tenant, "helpdesk", Lease, CancellationToken.None);
        var renewed = await first!.RenewAsync(CancellationToken.None);

        Assert.NotNull(second);
        Assert.False(renewed);
        Assert.Equal(new LockInfo(Tenant, "helpdesk", Start + Lease, Start + Lease + Lease), await locks.PeekAsync(Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task Releasing_a_lease_that_was_taken_over_leaves_the_new_holder_in_place()
    {
        var locks = await NewLocksAsync();
        var first = await locks.TryAcquireAsync(Tenant, "timer-1", Lease, CancellationToken.None);
        _clock.Advance(Lease + TimeSpan.FromMinutes(1));
        await using var second = await locks.TryAcquireAsync(Tenant, "helpdesk", Lease, CancellationToken.None);

        await first!.ReleaseAsync(CancellationToken.None);

        Assert.NotNull(second);
        Assert.Equal("helpdesk", (await locks.PeekAsync(Tenant, CancellationToken.None))!.Holder);
        Assert.Null(await locks.TryAcquireAsync(Tenant, "timer-2", Lease, CancellationToken.None));
    }

    [Fact]
    public async Task Two_concurrent_acquirers_of_a_free_tenant_get_exactly_one_lease()
    {
        var (one, other) = await NewRivalsAsync();

        for (var round = 0; round < 20; round++)
        {
            var tenant = $"tenant-{round}.onmicrosoft.com";

            var leases = await Task.WhenAll(
                one.TryAcquireAsync(tenant, "slot-a", Lease, CancellationToken.None),
                other.TryAcquireAsync(tenant, "slot-b", Lease, CancellationToken.None));

            var winner = Assert.Single(leases, lease => lease is not null);
            Assert.Equal(winner!.Holder, (await one.PeekAsync(tenant, CancellationToken.None))!.Holder);
        }
    }

    [Fact]
    public async Task Two_concurrent_acquirers_of_an_expired_lease_get_exactly_one_lease()
    {
        var (one, other) = await NewRivalsAsync();

        for (var round = 0; round < 20; round++)
        {
            var tenant = $"tenant-{round}.onmicrosoft.com";
            var crashed = await one.TryAcquireAsync(tenant, "crashed", Lease, CancellationToken.None);
            _clock.Advance(Lease + TimeSpan.FromSeconds(1));

            var leases = await Task.WhenAll(
                one.TryAcquireAsync(tenant, "slot-a", Lease, CancellationToken.None),
                other.TryAcquireAsync(tenant, "slot-b", Lease, CancellationToken.None));

            Assert.NotNull(crashed);
            var winner = Assert.Single(leases, lease => lease is not null);
            Assert.Equal(winner!.Holder, (await one.PeekAsync(tenant, CancellationToken.None))!.Holder);
            Assert.False(await crashed.RenewAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Concurrent_renewal_and_takeover_of_an_expired_lease_leave_exactly_one_owner()
    {
        var (one, other) = await NewRivalsAsync();

        for (var round = 0; round < 20; round++)
        {
            var tenant = $"tenant-{round}.onmicrosoft.com";
            var late = await one.TryAcquireAsync(tenant, "late", Lease, CancellationToken.None);
            _clock.Advance(Lease + TimeSpan.FromSeconds(1));

            var renewing = late!.RenewAsync(CancellationToken.None);
            var taking = other.TryAcquireAsync(tenant, "slot-b", Lease, CancellationToken.None);
            await Task.WhenAll(renewing, taking);

            Assert.NotEqual(await renewing, await taking is not null);
            var expected = await renewing ? "late" : "slot-b";
            Assert.Equal(expected, (await one.PeekAsync(tenant, CancellationToken.None))!.Holder);
        }
    }

    [Fact]
    public async Task Release_frees_the_tenant_at_once()
    {
        var locks = await NewLocksAsync();
        var first = await locks.TryAcquireAsync(Tenant, "timer-1", Lease, CancellationToken.None);

        await first!.ReleaseAsync(CancellationToken.None);
        await using var second = await locks.TryAcquireAsync(Tenant, "helpdesk", Lease, CancellationToken.None);

        Assert.NotNull(second);
        Assert.Equal("helpdesk", (await locks.PeekAsync(Tenant, CancellationToken.None))!.Holder);
    }

    [Fact]
    public async Task Disposing_a_lease_releases_it()
    {
        var locks = await NewLocksAsync();

        await using (var lease = await locks.TryAcquireAsync(Tenant, "timer-1", Lease, CancellationToken.None))
        {
            Assert.NotNull(lease);
        }

        Assert.Null(await locks.PeekAsync(Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task A_released_lease_cannot_be_renewed()
    {
        var locks = await NewLocksAsync();
        var lease = await locks.TryAcquireAsync(Tenant, "timer-1", Lease, CancellationToken.None);
        await lease!.ReleaseAsync(CancellationToken.None);

        var renewed = await lease.RenewAsync(CancellationToken.None);

        Assert.False(renewed);
        Assert.Null(await locks.PeekAsync(Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task Renewal_moves_the_expiry_to_now_plus_the_original_duration()
    {
        var locks = await NewLocksAsync();
        await using var lease = await locks.TryAcquireAsync(Tenant, "timer-1", Lease, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(7));

        var renewed = await lease!.RenewAsync(CancellationToken.None);

        Assert.True(renewed);
        Assert.Equal(Start.AddMinutes(7) + Lease, lease.ExpiresAt);
        Assert.Equal(new LockInfo(Tenant, "timer-1", Start, Start.AddMinutes(7) + Lease), await locks.PeekAsync(Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task A_renewed_lease_keeps_others_out_past_its_first_expiry()
    {
        var locks = await NewLocksAsync();
        await using var lease = await locks.TryAcquireAsync(Tenant, "timer-1", Lease, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(7));
        await lease!.RenewAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(7));

        var other = await locks.TryAcquireAsync(Tenant, "helpdesk", Lease, CancellationToken.None);
        var renewedAgain = await lease.RenewAsync(CancellationToken.None);

        Assert.Null(other);
        Assert.True(renewedAgain);
    }

    [Fact]
    public async Task Different_tenants_are_locked_independently()
    {
        var locks = await NewLocksAsync();
        await using var contoso = await locks.TryAcquireAsync(Tenant, "timer-1", Lease, CancellationToken.None);

        await using var fabrikam = await locks.TryAcquireAsync("fabrikam.onmicrosoft.com", "timer-1", Lease, CancellationToken.None);
        await contoso!.ReleaseAsync(CancellationToken.None);

        Assert.NotNull(fabrikam);
        Assert.Null(await locks.PeekAsync(Tenant, CancellationToken.None));
        Assert.Equal("timer-1", (await locks.PeekAsync("fabrikam.onmicrosoft.com", CancellationToken.None))!.Holder);
    }

    [Fact]
    public async Task An_unlocked_tenant_peeks_as_null()
    {
        var locks = await NewLocksAsync();

        var info = await locks.PeekAsync(Tenant, CancellationToken.None);

        Assert.Null(info);
    }

    [Theory]
    [InlineData("bad/tenant")]
    [InlineData("bad#tenant")]
    [InlineData("bad?tenant")]
    [InlineData("bad\\tenant")]
    [InlineData("bad\u0007tenant")]
    [InlineData("")]
    public async Task A_tenant_that_cannot_be_a_row_key_is_rejected_before_any_request(string tenant)
    {
        var (locks, requests) = await NewCountedLocksAsync();

        var acquiring = await Assert.ThrowsAsync<ArgumentException>(() => locks.TryAcquireAsync(tenant, "timer-1", Lease, CancellationToken.None));
        var peeking = await Assert.ThrowsAsync<ArgumentException>(() => locks.PeekAsync(tenant, CancellationToken.None));

        Assert.Equal(("tenant", "tenant"), (acquiring.ParamName, peeking.ParamName));
        Assert.Equal(0, requests.Count);
    }

    [Fact]
    public async Task A_tenant_longer_than_a_row_key_allows_is_rejected_before_any_request()
    {
        var (locks, requests) = await NewCountedLocksAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => locks.TryAcquireAsync(new string('a', 513), "timer-1", Lease, CancellationToken.None));

        Assert.Equal("tenant", error.ParamName);
        Assert.Equal(0, requests.Count);
    }

    [Theory]
    [InlineData("", 10)]
    [InlineData(" ", 10)]
    [InlineData("timer-1", 0)]
    [InlineData("timer-1", -1)]
    public async Task An_empty_holder_or_a_lease_that_is_not_positive_is_rejected_before_any_request(string holder, int minutes)
    {
        var (locks, requests) = await NewCountedLocksAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => locks.TryAcquireAsync(Tenant, holder, TimeSpan.FromMinutes(minutes), CancellationToken.None));

        Assert.Equal(0, requests.Count);
    }

    [Fact]
    public void The_locks_table_is_named_after_the_prefix()
    {
        var prefix = Azurite.NewTablePrefix();

        var locks = new TenantLocks(Azurite.CreateTableService(), prefix, _clock);

        Assert.Equal(prefix + "Locks", locks.TableName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1locks")]
    [InlineData("lock-test")]
    public void A_table_prefix_that_cannot_name_a_table_is_rejected(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => new TenantLocks(Azurite.CreateTableService(), prefix, _clock));

        Assert.Equal("prefix", error.ParamName);
    }

    private async Task<TenantLocks> NewLocksAsync()
    {
        var locks = new TenantLocks(Azurite.CreateTableService(), Azurite.NewTablePrefix(), _clock);
        await locks.EnsureCreatedAsync(CancellationToken.None);
        return locks;
    }

    /// <summary>Two processes over one table: separate clients, one clock.</summary>
    private async Task<(TenantLocks One, TenantLocks Other)> NewRivalsAsync()
    {
        var prefix = Azurite.NewTablePrefix();
        var one = new TenantLocks(Azurite.CreateTableService(), prefix, _clock);
        var other = new TenantLocks(Azurite.CreateTableService(), prefix, _clock);
        await one.EnsureCreatedAsync(CancellationToken.None);
        return (one, other);
    }

    private async Task<(TenantLocks Locks, RequestCounter Requests)> NewCountedLocksAsync()
    {
        var requests = new RequestCounter();
        var options = new TableClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var locks = new TenantLocks(Azurite.CreateTableService(options), Azurite.NewTablePrefix(), _clock);
        await locks.EnsureCreatedAsync(CancellationToken.None);
        Assert.True(requests.Count > 0, "The counter sees the request that creates the table.");
        requests.Reset();
        return (locks, requests);
    }
}
