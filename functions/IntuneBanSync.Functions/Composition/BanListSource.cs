using Microsoft.Extensions.Options;

namespace IntuneBanSync.Functions.Composition;

/// <summary>A tenant's ban list: the stored one (edited through the admin API), or, the first time, the configured file imported.</summary>
public sealed class BanListSource(BanListStore store, IOptions<IntuneBanSyncOptions> options)
{
    public async Task<BanListDocument> LoadAsync(string tenant, CancellationToken ct)
    {
        if (await store.GetAsync(tenant, ct) is { } stored)
            return stored.Document;

        if (options.Value.BanListPath is not { Length: > 0 } file)
            throw new InvalidOperationException($"Tenant '{tenant}' has no ban list: PUT one to /api/banlist, or set IntuneBanSync:BanListPath to import a file.");
        var path = Path.IsPathRooted(file) ? file : Path.Combine(AppContext.BaseDirectory, file);
        var parsed = BanListParser.ParseFile(path);
        if (!parsed.IsValid)
            throw new InvalidBanListException(path, parsed.Errors);
        try
        {
            return (await store.PutAsync(tenant, parsed.Text!, null, $"import of {file}", ct)).Document;
        }
        catch (BanListConflictException)
        {
            // Another instance imported it first.
            return (await store.GetAsync(tenant, ct))!.Document;
        }
    }
}

public sealed class InvalidBanListException(string path, IReadOnlyList<BanListError> errors)
    : Exception($"The ban list {path} is invalid: {string.Join("; ", errors)}")
{
    public IReadOnlyList<BanListError> Errors { get; } = errors;
}
