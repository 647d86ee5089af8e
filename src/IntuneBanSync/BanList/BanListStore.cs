using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;

namespace IntuneBanSync.BanList;

/// <summary>
/// Each tenant's ban list and exemptions in Table Storage, versioned and audited: {prefix}BanLists holds the current
/// document (PK "banlists", RK tenant), {prefix}BanListAudit one row per change (PK tenant, RK version|random).
/// </summary>
/// <remarks>The document is written first and its audit row second: a failure between the two leaves a change without its audit row, never an audit row for a change that did not happen.</remarks>
public sealed class BanListStore(TableServiceClient service, string tablePrefix, TimeProvider time)
{
    public const string PutAction = "put";
    public const string AddExemptionAction = "add-exemption";
    public const string DeleteExemptionAction = "delete-exemption";

    /// <summary>Attempts of an exemption change that meets concurrent writers before it gives up with a conflict.</summary>
    public const int MaxAttempts = 5;

    private const string DocumentPartition = "banlists";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly TableClient _lists = service.GetTableClient(JournalKeys.ValidateTablePrefix(tablePrefix) + "BanLists");
    private readonly TableClient _audit = service.GetTableClient(tablePrefix + "BanListAudit");

    public string BanListsTableName => _lists.Name;

    public string AuditTableName => _audit.Name;

    /// <summary>Creates the tables once per instance: later calls cost no request.</summary>
    public Task EnsureCreatedAsync(CancellationToken ct) => (_created ??= new CreateOnce(CreateTablesAsync)).RunAsync(ct);

    private CreateOnce? _created;

    private async Task CreateTablesAsync(CancellationToken ct)
    {
        await _lists.CreateIfNotExistsAsync(ct);
        await _audit.CreateIfNotExistsAsync(ct);
    }

    public async Task<StoredBanList?> GetAsync(string tenant, CancellationToken ct)
    {
        TableKeys.Validate(tenant, nameof(tenant));

        var response = await _lists.GetEntityIfExistsAsync<TableEntity>(DocumentPartition, tenant, cancellationToken: ct);

        return response.HasValue ? ToStored(response.Value!) : null;
    }

    /// <summary>
    /// Validates with <see cref="BanListParser"/> first (invalid → <see cref="BanListRejectedException"/> with the errors, nothing written).
    /// <paramref name="ifMatch"/>: null = create only (fails with <see cref="BanListConflictException"/> if one exists), "*" = unconditional,
    /// else the ETag the caller read (stale → <see cref="BanListConflictException"/>, nothing changed).
    /// </summary>
    public async Task<StoredBanList> PutAsync(string tenant, string json, string? ifMatch, string changedBy, CancellationToken ct)
    {
        TableKeys.Validate(tenant, nameof(tenant));
        ArgumentNullException.ThrowIfNull(json);
        RequireChangedBy(changedBy);
        if (ifMatch is { Length: 0 })
        {
            throw new ArgumentException("The ETag must not be empty: pass null to create, \"*\" to overwrite, or the ETag that was read.", nameof(ifMatch));
        }

        var document = Validate(json);

        if (ifMatch is null)
        {
            return await CreateAsync(tenant, json, document, changedBy, ct);
        }

        if (ifMatch == "*")
        {
            return await WriteWithRetriesAsync(tenant, changedBy, PutAction, null, _ => (json, document), createWhenMissing: true, ct);
        }

        var current = await GetAsync(tenant, ct)
            ?? throw new BanListConflictException($"The ban list of '{tenant}' was deleted or never stored; it cannot match ETag {ifMatch}.");
        if (current.ETag != ifMatch)
        {
            throw StaleETag(tenant);
        }

        return await ReplaceAsync(tenant, current, json, document, changedBy, PutAction, null, ct)
            ?? throw StaleETag(tenant);
    }

    /// <summary>
    /// Adds one exemption (a JSON object in the ban-list format) to the stored document, validated as a whole; its id must be new
    /// (else <see cref="BanListRejectedException"/> at $.exemptions[n].id). Retries on a concurrent change (re-read, re-apply, If-Match) a few times.
    /// </summary>
    public async Task<StoredBanList> AddExemptionAsync(string tenant, JsonObject exemption, string changedBy, CancellationToken ct)
    {
        TableKeys.Validate(tenant, nameof(tenant));
        ArgumentNullException.ThrowIfNull(exemption);
        RequireChangedBy(changedBy);
        var added = ValidText(exemption);
        var subject = added["id"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;

        return await WriteWithRetriesAsync(tenant, changedBy, AddExemptionAction, subject, current =>
        {
            var root = ParseStored(current!.Json);
            if (root["exemptions"] is not JsonArray exemptions)
            {
                exemptions = [];
                root["exemptions"] = exemptions;
            }

            exemptions.Add(added.DeepClone());
            var json = root.ToJsonString(Indented);
            return (json, Validate(json));
        }, createWhenMissing: false, ct);
    }

    /// <summary>Removes one exemption by id (unknown id → <see cref="KeyNotFoundException"/>; no stored list → <see cref="KeyNotFoundException"/>).</summary>
    public async Task<StoredBanList> DeleteExemptionAsync(string tenant, string exemptionId, string changedBy, CancellationToken ct)
    {
        TableKeys.Validate(tenant, nameof(tenant));
        ArgumentException.ThrowIfNullOrWhiteSpace(exemptionId);
        RequireChangedBy(changedBy);

        return await WriteWithRetriesAsync(tenant, changedBy, DeleteExemptionAction, exemptionId, current =>
        {
            var root = ParseStored(current!.Json);
            var exemptions = root["exemptions"] as JsonArray;
            var target = exemptions?.FirstOrDefault(e => e is JsonObject o && o["id"] is JsonValue v && v.TryGetValue<string>(out var id) && id == exemptionId)
                ?? throw new KeyNotFoundException($"The ban list of '{tenant}' has no exemption '{exemptionId}'.");

            exemptions!.Remove(target);
            var json = root.ToJsonString(Indented);
            return (json, Validate(json));
        }, createWhenMissing: false, ct);
    }

    /// <summary>Every change, newest last: who, when, what (put / add-exemption / delete-exemption + id), the version before and after.</summary>
    public async IAsyncEnumerable<BanListChange> GetChangesAsync(string tenant, [EnumeratorCancellation] CancellationToken ct)
    {
        TableKeys.Validate(tenant, nameof(tenant));
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenant}");

        await foreach (var entity in _audit.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            var row = TableRows.ToRow<ChangeRow>(entity);
            yield return new BanListChange(tenant, row.Version, row.Action, row.Subject, row.ChangedBy, row.ChangedAt);
        }
    }

    private async Task<StoredBanList> CreateAsync(string tenant, string json, BanListDocument document, string changedBy, CancellationToken ct)
    {
        return await TryCreateAsync(tenant, json, document, changedBy, PutAction, null, ct)
            ?? throw new BanListConflictException($"A ban list for '{tenant}' already exists; read it and pass its ETag to replace it.");
    }

    /// <summary>
    /// Reads the current list, applies <paramref name="change"/> to it and writes the result if nobody wrote in between;
    /// otherwise starts again from the newer list, up to <see cref="MaxAttempts"/> times.
    /// </summary>
    private async Task<StoredBanList> WriteWithRetriesAsync(
        string tenant, string changedBy, string action, string? subject,
        Func<StoredBanList?, (string Json, BanListDocument Document)> change, bool createWhenMissing, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await GetAsync(tenant, ct);
            if (current is null && !createWhenMissing)
            {
                throw new KeyNotFoundException($"No ban list is stored for '{tenant}'.");
            }

            var (json, document) = change(current);
            var written = current is null
                ? await TryCreateAsync(tenant, json, document, changedBy, action, subject, ct)
                : await ReplaceAsync(tenant, current, json, document, changedBy, action, subject, ct);
            if (written is not null)
            {
                return written;
            }
        }

        throw new BanListConflictException($"The ban list of '{tenant}' kept changing during {MaxAttempts} attempts; try again.");
    }

    /// <returns>The stored list, or null when one already exists.</returns>
    private async Task<StoredBanList?> TryCreateAsync(
        string tenant, string json, BanListDocument document, string changedBy, string action, string? subject, CancellationToken ct)
    {
        var changedAt = time.GetUtcNow();
        var entity = ToEntity(tenant, json, 1, changedAt, changedBy);
        Response response;
        try
        {
            response = await _lists.AddEntityAsync(entity, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }

        return await AuditAsync(tenant, json, document, response.Headers.ETag, 1, null, changedAt, changedBy, action, subject, ct);
    }

    /// <returns>The stored list, or null when <paramref name="current"/> is no longer the stored one.</returns>
    private async Task<StoredBanList?> ReplaceAsync(
        string tenant, StoredBanList current, string json, BanListDocument document, string changedBy, string action, string? subject, CancellationToken ct)
    {
        var version = current.Version + 1;
        var changedAt = time.GetUtcNow();
        var entity = ToEntity(tenant, json, version, changedAt, changedBy);
        Response response;
        try
        {
            response = await _lists.UpdateEntityAsync(entity, new ETag(current.ETag), TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }

        return await AuditAsync(tenant, json, document, response.Headers.ETag, version, current.Version, changedAt, changedBy, action, subject, ct);
    }

    private async Task<StoredBanList> AuditAsync(
        string tenant, string json, BanListDocument document, ETag? etag, int version, int? previousVersion,
        DateTimeOffset changedAt, string changedBy, string action, string? subject, CancellationToken ct)
    {
        var row = version.ToString("D10", CultureInfo.InvariantCulture) + JournalKeys.Separator + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var entry = TableRows.ToEntity(new TableKey(tenant, row), new ChangeRow(version, action, changedBy, changedAt, previousVersion, subject));
        await _audit.AddEntityAsync(entry, ct);

        var stamp = etag ?? throw new InvalidOperationException("The Table service returned no ETag for the ban list it stored.");
        return new StoredBanList(json, document, stamp.ToString(), version, changedAt, changedBy);
    }

    private static TableEntity ToEntity(string tenant, string json, int version, DateTimeOffset changedAt, string changedBy) =>
        TableRows.ToEntity(new TableKey(DocumentPartition, tenant), new DocumentRow(version, changedAt, changedBy, json));

    private static StoredBanList ToStored(TableEntity entity)
    {
        var row = TableRows.ToRow<DocumentRow>(entity);
        var json = row.Json;
        var parsed = BanListParser.Parse(json);
        if (!parsed.IsValid)
        {
            throw new InvalidDataException($"The stored ban list of '{entity.RowKey}' is no longer valid: {string.Join("; ", parsed.Errors)}");
        }

        return new StoredBanList(json, parsed.Document!, entity.ETag.ToString(), row.Version, row.ChangedAt, row.ChangedBy);
    }

    /// <summary>Validates exactly as the CLI does, then checks the text fits the entity.</summary>
    private static BanListDocument Validate(string json)
    {
        var parsed = BanListParser.Parse(json);
        if (!parsed.IsValid)
        {
            throw new BanListRejectedException(parsed.Errors);
        }

        if (!BanListStoreChunks.Fits(json))
        {
            throw new BanListRejectedException([new BanListError("$", $"the ban list is larger than the store keeps ({json.Length:N0} characters; at most {BanListStoreChunks.MaxLength:N0})")]);
        }

        return parsed.Document!;
    }

    /// <summary>
    /// A copy of the exemption written out and read back, so that no string in it fails later: a node parsed from
    /// <c>"\ud800"</c> throws when its text is read or written.
    /// </summary>
    private static JsonObject ValidText(JsonObject exemption)
    {
        string json;
        try
        {
            json = exemption.ToJsonString();
        }
        catch (InvalidOperationException)
        {
            throw new BanListRejectedException([new BanListError("$", "the exemption contains an unpaired UTF-16 surrogate (an escape from \\ud800 to \\udfff without its pair): it is not text")]);
        }

        return JsonNode.Parse(json)!.AsObject();
    }

    private static JsonObject ParseStored(string json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("The stored ban list is not a JSON object.");

    private static void RequireChangedBy(string changedBy)
    {
        if (string.IsNullOrWhiteSpace(changedBy))
        {
            throw new ArgumentException("Who makes the change must be named: it is recorded in the audit.", nameof(changedBy));
        }
    }

    private static BanListConflictException StaleETag(string tenant) =>
        new($"The ban list of '{tenant}' changed since it was read; read it again and reapply the change.");

    /// <summary>The current document of a tenant: PK "banlists", RK the tenant; the JSON over columns Json00, Json01, ….</summary>
    private sealed record DocumentRow(
        int Version, DateTimeOffset ChangedAt, string ChangedBy, [Chunked(BanListStoreChunks.MaxPartLength, BanListStoreChunks.MaxParts)] string Json);

    /// <summary>One change: PK the tenant, RK version|random.</summary>
    private sealed record ChangeRow(int Version, string Action, string ChangedBy, DateTimeOffset ChangedAt, int? PreviousVersion = null, string? Subject = null);
}
