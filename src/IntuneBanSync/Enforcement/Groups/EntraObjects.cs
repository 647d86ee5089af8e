namespace IntuneBanSync.Enforcement.Groups;

/// <summary>The Entra device objects group membership needs, found the cheapest way.</summary>
public static class EntraObjects
{
    /// <summary>
    /// Each device's Entra object id, by managed device id: the one its earlier state recorded, otherwise looked up by
    /// azureADDeviceId, every lookup in one batched read. A device without a usable azureADDeviceId, or unknown to Entra, is left out.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> OfAsync(IEnumerable<BanObservation> observations, BanSweep sweep, IGroupGraph groups, CancellationToken ct)
    {
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var lookUp = new List<(string DeviceId, string EntraId)>();
        foreach (var device in observations.Select(o => o.Device))
        {
            if (sweep.EarlierStateOf(device.Id)?.EntraObjectId is { } known)
                found[device.Id] = known;
            else if (device.AzureAdDeviceId is { Length: > 0 } entraId && Guid.TryParse(entraId, out var parsed) && parsed != Guid.Empty)
                lookUp.Add((device.Id, parsed.ToString("D")));
        }

        if (lookUp.Count == 0)
            return found;
        var objects = await groups.EntraDeviceObjectIdsAsync([.. lookUp.Select(d => d.EntraId)], ct);
        foreach (var (deviceId, entraId) in lookUp)
        {
            if (objects.GetValueOrDefault(entraId) is { } objectId)
                found[deviceId] = objectId;
        }

        return found;
    }
}
