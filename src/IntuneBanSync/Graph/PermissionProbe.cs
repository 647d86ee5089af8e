using Azure.Core;
using Azure.Identity;

namespace IntuneBanSync.Graph;

/// <summary>The self-check: reads the app's own token and compares its roles with the manifest, once per sweep.</summary>
public sealed class PermissionProbe(TokenCredential credential, Uri graphBaseUrl, IReadOnlyList<PermissionUse> manifest)
{
    public IReadOnlyList<PermissionUse> Manifest { get; } = manifest;

    /// <summary>What the token grants against the manifest; <see cref="PermissionCheck.Unknown"/> when no token or no roles can be read.</summary>
    public async Task<PermissionCheck> CheckAsync(CancellationToken ct)
    {
        try
        {
            return await PermissionCheck.OfAsync(credential, graphBaseUrl, Manifest, ct);
        }
        catch (AuthenticationFailedException)
        {
            // The reads themselves will fail and say so; the check has nothing to add.
            return PermissionCheck.Unknown;
        }
    }
}
