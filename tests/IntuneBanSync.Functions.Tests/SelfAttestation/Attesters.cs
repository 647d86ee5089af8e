using System.Text.RegularExpressions;
using IntuneBanSync.Inventory;

namespace IntuneBanSync.Functions.Tests.SelfAttestation;

/// <summary>Users of the simulated tenant and their enrolled devices that the sample TikTok ban covers (every platform, both ownerships).</summary>
internal static partial class Attesters
{
    public static IReadOnlyList<ManagedDevice> CoveredDevicesOf(SimulatedTenant tenant, string userId) =>
        [.. tenant.State.ManagedDevices
            .Where(d => d.UserId == userId
                && DeviceClassification.PlatformOf(d.OperatingSystem) is not null
                && DeviceClassification.OwnershipOf(d.Ownership) is not null)
            .OrderBy(d => d.Id, StringComparer.Ordinal)];

    /// <summary>The first user (by id) with at least <paramref name="devices"/> covered devices, other than <paramref name="except"/>.</summary>
    public static User WithCoveredDevices(SimulatedTenant tenant, int devices, User? except = null) =>
        tenant.State.Users.OrderBy(u => u.Id, StringComparer.Ordinal)
            .First(u => u.Id != except?.Id && CoveredDevicesOf(tenant, u.Id).Count >= devices);

    /// <summary>The device ids a page offers a button for (its hidden "device" inputs).</summary>
    public static IReadOnlyList<string> DevicesOffered(string html) =>
        [.. DeviceInput().Matches(html).Select(m => m.Groups["id"].Value).Distinct()];

    /// <summary>The token of the form for (device, ban) on a page.</summary>
    public static string TokenFor(string html, string deviceId, string banId = "tiktok")
    {
        foreach (Match form in Form().Matches(html))
        {
            if (form.Value.Contains($"name=\"device\" value=\"{deviceId}\"", StringComparison.Ordinal)
                && form.Value.Contains($"name=\"ban\" value=\"{banId}\"", StringComparison.Ordinal))
                return TokenInput().Match(form.Value).Groups["token"].Value;
        }

        throw new InvalidOperationException($"The page has no form for device {deviceId} and ban {banId}.");
    }

    [GeneratedRegex("name=\"device\" value=\"(?<id>[^\"]+)\"")]
    private static partial Regex DeviceInput();

    [GeneratedRegex("<form method=\"post\">.*?</form>", RegexOptions.Singleline)]
    private static partial Regex Form();

    [GeneratedRegex("name=\"token\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenInput();
}
