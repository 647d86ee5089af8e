using System.Text;
using System.Text.Json;

namespace IntuneBanSync.Tests.Graph;

/// <summary>The one-pass page reader reads every device as the document reader does, whatever the page holds.</summary>
public sealed class DeviceJsonTests
{
    private const string Full = """
        {"@odata.type":"#microsoft.graph.managedDevice","id":"d1","deviceName":"PHONE-1","userId":"u1","userPrincipalName":"a@b.example",
         "azureADDeviceId":"e1","operatingSystem":"Android","osVersion":"14","managedDeviceOwnerType":"company","isSupervised":true,
         "lastSyncDateTime":"2026-11-27T10:00:00Z","complianceState":"compliant","managementAgent":"mdm",
         "deviceEnrollmentType":"androidEnterpriseFullyManaged","deviceRegistrationState":"registered"}
        """;

    public static TheoryData<string> Devices => new()
    {
        Full,
        """{"id":"d2"}""",
        """{"id":"d3","deviceName":null,"userId":"","isSupervised":false,"lastSyncDateTime":null}""",
        """{"id":"d4","userId":"   ","lastSyncDateTime":"not a date","operatingSystem":42}""",
        """{"id":"d5","deviceName":"caf\u00e9 \"quoted\" \\ name","userPrincipalName":"\u0061@b.example"}""",
        """{"id":"d6","extra":{"nested":[1,{"id":"not me"}],"deviceName":"nor me"},"more":[{"id":"x"}],"deviceName":"mine"}""",
        """{"id":"first","deviceName":"first","id":"last","deviceName":"last"}""",
        """{"id":"d7","lastSyncDateTime":"2026-11-27T10:00:00+02:00","isSupervised":"true"}""",
        """{"id":"d8","lastSyncDateTime":"2026-11-27T10:00:00"}""",
        """{"\u0069d":"escaped-name","deviceName":"x"}""",
    };

    [Theory]
    [MemberData(nameof(Devices))]
    public void A_device_on_a_page_reads_as_the_document_reads_it(string device)
    {
        using var document = JsonDocument.Parse(device);

        var page = DeviceJson.ReadPage(Page(device), sparse: false);

        Assert.Equal(DeviceJson.Read(document.RootElement), Assert.Single(page.Devices));
    }

    [Fact]
    public void A_sparse_page_keeps_only_the_id_and_name()
    {
        var page = DeviceJson.ReadPage(Page(Full), sparse: true);

        Assert.Equal(new DeviceRecord("d1", "PHONE-1", null, null, null, null, null, false, null), Assert.Single(page.Devices));
    }

    [Fact]
    public void The_next_link_and_every_device_of_the_page_are_read_whatever_the_order_of_the_page_properties()
    {
        var json = $$"""{"@odata.nextLink":"https://graph.example/next?$skiptoken=2","value":[{{Full}},null,{"id":"d2"}],"@odata.count":2,"@odata.context":"x"}""";

        var page = DeviceJson.ReadPage(Encoding.UTF8.GetBytes(json), sparse: false);

        Assert.Equal(["d1", "d2"], page.Devices.Select(d => d.Id));
        Assert.Equal("https://graph.example/next?$skiptoken=2", page.NextLink);
    }

    [Fact]
    public void A_last_page_has_no_next_link()
    {
        var page = DeviceJson.ReadPage(Encoding.UTF8.GetBytes("""{"value":[]}"""), sparse: false);

        Assert.Empty(page.Devices);
        Assert.Null(page.NextLink);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"value":[{"id":"d1"}""")]
    public void A_page_that_is_not_a_complete_object_is_refused(string json) =>
        Assert.ThrowsAny<JsonException>(() => DeviceJson.ReadPage(Encoding.UTF8.GetBytes(json), sparse: false));

    private static byte[] Page(string device) =>
        Encoding.UTF8.GetBytes($$"""{"@odata.context":"https://graph.example/v1.0/$metadata#deviceManagement/managedDevices","value":[{{device}}]}""");
}
