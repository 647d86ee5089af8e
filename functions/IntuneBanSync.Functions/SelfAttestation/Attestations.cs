using IntuneBanSync.Functions.Composition;
using IntuneBanSync.Graph;
using Microsoft.Extensions.Logging;

namespace IntuneBanSync.Functions.SelfAttestation;

/// <summary>A device of the signed-in user and the bans that cover it, each with the user's latest attestation, if any.</summary>
public sealed record CoveredDevice(DeviceRecord Device, IReadOnlyList<CoveringBan> Bans);

public sealed record CoveringBan(Ban Ban, Attestation? Attested);

/// <summary>What the page shows one user: their covered devices, and the ban list they come from (its default language and contact).</summary>
public sealed record UserDevices(BanListDocument BanList, IReadOnlyList<CoveredDevice> Devices);

public enum AttestResult
{
    Recorded,
    /// <summary>The ban is not in the tenant's list, or not in force now.</summary>
    UnknownBan,
    /// <summary>Intune has no managed device with that id.</summary>
    UnknownDevice,
    /// <summary>The device's user is someone else (or no one): only a device's own user attests for it.</summary>
    NotTheDevicesUser,
    /// <summary>The ban does not cover the device (platform or ownership).</summary>
    NotCovered,
}

public sealed record AttestOutcome(AttestResult Result, Attestation? Attestation = null, Ban? Ban = null, DeviceRecord? Device = null);

/// <summary>
/// The engine side of the attestation page: the tenant's ban list (as sweeps load it), the user's devices and the device itself read
/// from Graph at the moment of asking, and the attestations in the journal.
/// </summary>
public sealed partial class Attestations(BanListSource banLists, TenantSweeps tenants, AttestationStore store, TimeProvider time, ILogger<Attestations> log)
{
    /// <summary>The enrolled devices of <paramref name="userObjectId"/> that a ban in force covers by platform and ownership.</summary>
    public async Task<UserDevices> ForUserAsync(string tenant, string userObjectId, CancellationToken ct)
    {
        var banList = await banLists.LoadAsync(tenant, ct);
        var now = time.GetUtcNow();
        var covered = new List<CoveredDevice>();
        await foreach (var device in tenants.GraphFor(tenant).DevicesOfUserAsync(userObjectId, ct))
        {
            // Graph filtered by userId; the page still shows a device only to its own user.
            if (!IsUsersDevice(device, userObjectId))
                continue;
            var bans = banList.Bans.Where(ban => Covers(ban, device, now)).ToList();
            if (bans.Count == 0)
                continue;

            var attested = (await store.ForDeviceAsync(tenant, device.Id, ct))
                .GroupBy(a => a.BanId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.MaxBy(a => a.At)!, StringComparer.Ordinal);
            covered.Add(new CoveredDevice(device, [.. bans.Select(ban => new CoveringBan(ban, attested.GetValueOrDefault(ban.Id)))]));
        }

        return new UserDevices(banList, [.. covered.OrderBy(d => d.Device.DeviceName, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Device.Id, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Records that <paramref name="userObjectId"/> removed the ban's app from the device, after reading the device again from Graph:
    /// its user must be the caller, whatever the form said.
    /// </summary>
    public async Task<AttestOutcome> AttestAsync(string tenant, string userObjectId, string signedInName, string deviceId, string banId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ban = (await banLists.LoadAsync(tenant, ct)).FindBan(banId);
        if (ban is null || !ban.IsActiveAt(now))
            return new AttestOutcome(AttestResult.UnknownBan);

        var device = await tenants.GraphFor(tenant).DeviceAsync(deviceId, ct);
        if (device is null)
            return new AttestOutcome(AttestResult.UnknownDevice);
        if (!IsUsersDevice(device, userObjectId))
        {
            RefusedOtherUsersDevice(tenant, userObjectId, device.Id, ban.Id);
            return new AttestOutcome(AttestResult.NotTheDevicesUser);
        }

        if (!Covers(ban, device, now))
            return new AttestOutcome(AttestResult.NotCovered);

        var attestation = new Attestation(ban.Id, device.Id, userObjectId, device.UserPrincipalName ?? signedInName, now, device.DeviceName);
        await store.RecordAsync(tenant, attestation, ct);
        Recorded(tenant, userObjectId, device.Id, ban.Id);
        return new AttestOutcome(AttestResult.Recorded, attestation, ban, device);
    }

    /// <summary>A ban in force covers a device when its scope names the device's platform and ownership (both known).</summary>
    public static bool Covers(Ban ban, DeviceRecord device, DateTimeOffset now) =>
        ban.IsActiveAt(now)
        && device.Platform is { } platform && ban.Scope.Platforms.Contains(platform)
        && device.Ownership is { } ownership && ban.Scope.Ownership.Contains(ownership);

    private static bool IsUsersDevice(DeviceRecord device, string userObjectId) =>
        device.UserId is { } user && string.Equals(user, userObjectId, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Tenant}: user {UserId} attested removing the app of ban {BanId} from device {DeviceId}")]
    private partial void Recorded(string tenant, string userId, string deviceId, string banId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {Tenant}: user {UserId} tried to attest for device {DeviceId} (ban {BanId}), whose user is someone else")]
    private partial void RefusedOtherUsersDevice(string tenant, string userId, string deviceId, string banId);
}
