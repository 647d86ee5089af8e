namespace IntuneBanSync.BanList;

/// <summary>The ban list of one tenant as stored: its JSON text as written, the validated document, and what a conditional write needs.</summary>
public sealed record StoredBanList(string Json, BanListDocument Document, string ETag, int Version, DateTimeOffset ChangedAt, string ChangedBy);

/// <summary>
/// One change to a tenant's ban list: <paramref name="Action"/> is "put", "add-exemption" or "delete-exemption", and
/// <paramref name="Subject"/> the exemption id for the latter two. <paramref name="Version"/> is the version the change produced.
/// </summary>
public sealed record BanListChange(string Tenant, int Version, string Action, string? Subject, string ChangedBy, DateTimeOffset ChangedAt)
{
    /// <summary>The version the change replaced; null when it created the list. Versions advance by one under an ETag, so this is always Version - 1.</summary>
    public int? PreviousVersion => Version > 1 ? Version - 1 : null;
}

/// <summary>The ban list was not stored because it is invalid; <see cref="Errors"/> says where and why, as the CLI reports them.</summary>
public sealed class BanListRejectedException(IReadOnlyList<BanListError> errors)
    : Exception("The ban list was rejected:" + string.Concat(errors.Select(error => Environment.NewLine + error)))
{
    public IReadOnlyList<BanListError> Errors { get; } = errors;
}

/// <summary>The stored ban list is not the one the caller expected (it exists, or changed since it was read); nothing was written.</summary>
public sealed class BanListConflictException(string message) : Exception(message);
