using IntuneBanSync.BanList;
using Microsoft.Extensions.Options;

namespace IntuneBanSync.Functions.Composition;

/// <summary>The ban list the functions enforce, read and validated on every sweep so an edited file takes effect at once.</summary>
public sealed class BanListSource(IOptions<IntuneBanSyncOptions> options)
{
    public BanListDocument Load()
    {
        var path = options.Value.BanListPath;
        if (!Path.IsPathRooted(path))
            path = Path.Combine(AppContext.BaseDirectory, path);
        var result = BanListParser.ParseFile(path);
        return result.IsValid
            ? result.Document!
            : throw new InvalidBanListException(path, result.Errors);
    }
}

public sealed class InvalidBanListException(string path, IReadOnlyList<BanListError> errors)
    : Exception($"The ban list {path} is invalid: {string.Join("; ", errors)}")
{
    public IReadOnlyList<BanListError> Errors { get; } = errors;
}
