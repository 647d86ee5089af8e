using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;

namespace IntuneBanSync.Tests.BanList;

/// <summary>An exemption posted to the API that is not valid Unicode is rejected before the store reads or writes anything.</summary>
public sealed class BanListStoreExemptionTextTests
{
    // Nothing listens here: a request would fail, so a rejection proves none was sent.
    private readonly IntuneBanSync.BanList.BanListStore _store = new(new TableServiceClient("UseDevelopmentStorage=true"), "ibs", new FakeTimeProvider());

    [Theory]
    [InlineData("""{"id": "\ud800", "ban": "tiktok"}""")]
    [InlineData("""{"id": "press", "ban": "tiktok", "justification": "Press \udc00 office"}""")]
    [InlineData("""{"\ud800": "x", "id": "press"}""")]
    public async Task Adding_an_exemption_with_an_unpaired_surrogate_is_rejected_at_the_root(string exemption)
    {
        var node = JsonNode.Parse(exemption)!.AsObject();

        var rejected = await Assert.ThrowsAsync<BanListRejectedException>(() => _store.AddExemptionAsync("tenant", node, "admin@contoso.example", CancellationToken.None));

        var error = Assert.Single(rejected.Errors);
        Assert.Equal("$", error.Path);
        Assert.Contains("unpaired UTF-16 surrogate", error.Message);
    }
}
