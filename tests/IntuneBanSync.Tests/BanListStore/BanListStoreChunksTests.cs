namespace IntuneBanSync.Tests.BanListStore;

public sealed class BanListStoreChunksTests
{
    [Fact]
    public void Text_is_split_into_parts_of_at_most_30000_characters_that_join_back()
    {
        var json = new string('a', 75_000);

        var parts = BanListStoreChunks.Split(json);

        Assert.Equal([30_000, 30_000, 15_000], parts.Select(p => p.Length));
        Assert.Equal(json, BanListStoreChunks.Join(parts));
    }

    [Fact]
    public void A_surrogate_pair_on_a_part_boundary_stays_in_one_part()
    {
        var json = new string('a', 29_999) + "😀" + "b";

        var parts = BanListStoreChunks.Split(json);

        Assert.Equal([29_999, 3], parts.Select(p => p.Length));
        Assert.Equal(json, BanListStoreChunks.Join(parts));
    }

    [Fact]
    public void Parts_are_named_Json00_onwards()
    {
        var names = Enumerable.Range(0, 3).Select(BanListStoreChunks.PropertyName);

        Assert.Equal(["Json00", "Json01", "Json02"], names);
    }

    [Fact]
    public void Text_fits_up_to_the_entity_limit_and_not_beyond()
    {
        var largest = new string('a', BanListStoreChunks.MaxLength);

        Assert.True(BanListStoreChunks.Fits(largest));
        Assert.False(BanListStoreChunks.Fits(largest + "a"));
        Assert.True(BanListStoreChunks.MaxLength * 2 < 1024 * 1024 - 10_000);
    }

    [Fact]
    public void Rejection_message_lists_each_error_with_its_path()
    {
        var rejected = new BanListRejectedException([new BanListError("$.bans[0].id", "missing"), new BanListError("$.version", "unsupported")]);

        Assert.Contains("$.bans[0].id: missing", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("$.version: unsupported", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(2, rejected.Errors.Count);
    }
}
