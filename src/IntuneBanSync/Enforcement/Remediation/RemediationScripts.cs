using System.Security.Cryptography;
using System.Text;

namespace IntuneBanSync.Enforcement.Remediation;

/// <summary>The detection and remediation scripts of one ban, as the device runs them (UTF-8 without BOM, LF line ends).</summary>
public sealed record RemediationScriptPair(string Detection, string Remediation)
{
    public string DetectionBase64 => Convert.ToBase64String(Encoding.UTF8.GetBytes(Detection));

    public string RemediationBase64 => Convert.ToBase64String(Encoding.UTF8.GetBytes(Remediation));

    /// <summary>A short digest of both scripts, written into the remediation's description: what was deployed, even where Graph does not answer the content.</summary>
    public string Digest => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Detection + "\n\0\n" + Remediation)))[..16];
}

/// <summary>
/// Generates a ban's Windows remediation from the ban list. What the scripts match, for every user of the device (they run as
/// SYSTEM in 64-bit PowerShell):
/// <list type="bullet">
/// <item>an installed AppX/MSIX package (<c>Get-AppxPackage -AllUsers</c>, frameworks aside) whose package name or package family
/// name equals one of the ban's <c>apps.windows</c> identifiers;</item>
/// <item>one whose package family name is the one the Microsoft Store catalog gives for a listed Store product id (12 characters
/// starting with 9, e.g. 9NH2GPH4JZS4), when the device can reach the catalog;</item>
/// <item>one whose manifest display name (a literal one, not an <c>ms-resource:</c> reference) equals one of the ban's display names,
/// trimmed and case-insensitive, as the inventory matches them;</item>
/// <item>a provisioned package (<c>Get-AppxProvisionedPackage -Online</c>) of the same name or family, so new users do not get it;</item>
/// <item>a Win32 app from the Store (product ids starting with XP), through winget's msstore source where winget is present.</item>
/// </list>
/// The remediation removes the provisioned packages, then the installed ones for all users, then the Win32 Store apps, and checks
/// again: it exits 1 with the reason on stderr when anything is left. Apps installed otherwise (an MSI, a portable copy) are not
/// matched: their display names alone are no safe ground for running an uninstaller.
/// Every ban-list value goes through <see cref="PowerShellLiteral"/>; the values are also written once as JSON in a comment line
/// starting <see cref="MarkerPrefix"/> (JSON escapes every non-ASCII and quote character), so a reader, or the tenant simulator,
/// can tell what a script targets without running PowerShell.
/// </summary>
public static class RemediationScripts
{
    public const string MarkerPrefix = "# IntuneBanSync-Targets: ";

    public static RemediationScriptPair For(Ban ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        var displayNames = Ordered(ban.Apps.DisplayNames);
        var identifiers = Ordered(ban.Apps.Windows);
        var marker = JsonSerializer.Serialize(new Marker(ban.Id, displayNames, identifiers), MarkerJson);
        var values = string.Join('\n',
            MarkerPrefix + marker,
            "$DisplayNames = " + PowerShellLiteral.Array(displayNames, $"the display names of ban {ban.Id}"),
            "$Identifiers = " + PowerShellLiteral.Array(identifiers, $"the Windows identifiers of ban {ban.Id}"));
        return new(
            Lines(DetectionHeader, values, Common, DetectionBody),
            Lines(RemediationHeader, values, Common, RemediationBody));
    }

    private static readonly JsonSerializerOptions MarkerJson = new(JsonSerializerDefaults.Web);

    private sealed record Marker(string Ban, IReadOnlyList<string> DisplayNames, IReadOnlyList<string> Identifiers);

    private static List<string> Ordered(IEnumerable<string> values) =>
        [.. values.Select(v => v.Trim()).Where(v => v.Length > 0).Order(StringComparer.Ordinal).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static string Lines(params string[] parts) => string.Join('\n', parts.Select(p => p.ReplaceLineEndings("\n").TrimEnd('\n'))) + "\n";

    private const string DetectionHeader = "# IntuneBanSync remediation, detection script. Generated from the ban list: IntuneBanSync rewrites it when the list changes.";

    private const string RemediationHeader = "# IntuneBanSync remediation, remediation script. Generated from the ban list: IntuneBanSync rewrites it when the list changes.";

    private const string Common = """
        $ErrorActionPreference = 'Stop'
        $ProgressPreference = 'SilentlyContinue'

        function Get-StoreFamily {
            foreach ($id in $Identifiers) {
                if ($id -notmatch '^9[A-Za-z0-9]{11}$') { continue }
                try {
                    $uri = 'https://displaycatalog.mp.microsoft.com/v7.0/products/' + [uri]::EscapeDataString($id) + '?market=US&languages=en-US'
                    $family = (Invoke-RestMethod -Uri $uri -UseBasicParsing -TimeoutSec 20).Product.Properties.PackageFamilyName
                    if ($family) { [string]$family }
                } catch {
                    # Offline, or not in the catalog: package and display names still match.
                }
            }
        }

        $StoreFamilies = @(Get-StoreFamily)

        function Test-Banned([string]$Name, [string]$Family, [string]$DisplayName) {
            foreach ($id in $Identifiers) {
                if ($Name -ieq $id -or $Family -ieq $id) { return $true }
            }
            foreach ($storeFamily in $StoreFamilies) {
                if ($Family -ieq $storeFamily) { return $true }
            }
            if ($DisplayName) {
                foreach ($banned in $DisplayNames) {
                    if ($DisplayName.Trim() -ieq $banned) { return $true }
                }
            }
            return $false
        }

        function Get-ManifestDisplayName($Package) {
            try {
                $manifest = [xml](Get-Content -LiteralPath (Join-Path $Package.InstallLocation 'AppxManifest.xml') -Raw)
                $name = [string]$manifest.Package.Properties.DisplayName
                if ($name -and -not $name.StartsWith('ms-resource:')) { return $name }
            } catch {
                # A staged package has no install location yet: its names still match.
            }
            return $null
        }

        function Find-BannedPackage {
            @(Get-AppxPackage -AllUsers | Where-Object { -not $_.IsFramework -and (Test-Banned $_.Name $_.PackageFamilyName (Get-ManifestDisplayName $_)) })
        }

        function Find-BannedProvisionedPackage($Installed) {
            $names = @($Installed | ForEach-Object { $_.Name })
            @(Get-AppxProvisionedPackage -Online | Where-Object {
                $parts = $_.PackageName -split '_'
                ($names -icontains $_.DisplayName) -or (Test-Banned $_.DisplayName ($parts[0] + '_' + $parts[-1]) $null)
            })
        }

        function Get-Winget {
            if (-not $env:ProgramFiles) { return $null }
            $found = Resolve-Path -Path (Join-Path $env:ProgramFiles 'WindowsApps\Microsoft.DesktopAppInstaller_*_x64__8wekyb3d8bbwe\winget.exe') -ErrorAction SilentlyContinue | Select-Object -Last 1
            if ($found) { return $found.Path }
            return $null
        }

        function Find-BannedStoreWin32App {
            $winget = Get-Winget
            if (-not $winget) { return }
            foreach ($id in $Identifiers) {
                if ($id -notmatch '^XP[A-Za-z0-9]{8,12}$') { continue }
                & $winget list --id $id --exact --source msstore --accept-source-agreements --disable-interactivity | Out-Null
                if ($LASTEXITCODE -eq 0) { $id }
            }
        }
        """;

    private const string DetectionBody = """

        $packages = @(Find-BannedPackage)
        $provisioned = @(Find-BannedProvisionedPackage $packages)
        $win32 = @(Find-BannedStoreWin32App)
        $found = @($packages | ForEach-Object { $_.PackageFullName }) + @($provisioned | ForEach-Object { 'provisioned ' + $_.PackageName }) + $win32
        if ($found.Count -gt 0) {
            Write-Output ('Banned apps found: ' + ($found -join ', '))
            exit 1
        }
        Write-Output 'None of the banned apps is installed.'
        exit 0
        """;

    private const string RemediationBody = """

        $removed = New-Object System.Collections.Generic.List[string]
        $failures = New-Object System.Collections.Generic.List[string]
        $packages = @(Find-BannedPackage)
        foreach ($package in @(Find-BannedProvisionedPackage $packages)) {
            try {
                Remove-AppxProvisionedPackage -Online -PackageName $package.PackageName -AllUsers | Out-Null
                $removed.Add('provisioned ' + $package.PackageName)
            } catch {
                $failures.Add('provisioned ' + $package.PackageName + ': ' + $_.Exception.Message)
            }
        }
        foreach ($package in $packages) {
            try {
                Remove-AppxPackage -Package $package.PackageFullName -AllUsers
                $removed.Add($package.PackageFullName)
            } catch {
                $failures.Add($package.PackageFullName + ': ' + $_.Exception.Message)
            }
        }
        $winget = Get-Winget
        foreach ($id in @(Find-BannedStoreWin32App)) {
            & $winget uninstall --id $id --exact --source msstore --silent --accept-source-agreements --disable-interactivity | Out-Null
            if ($LASTEXITCODE -eq 0) { $removed.Add($id) } else { $failures.Add($id + ': winget exit code ' + $LASTEXITCODE) }
        }
        foreach ($package in @(Find-BannedPackage)) {
            $failures.Add($package.PackageFullName + ': still installed')
        }
        if ($failures.Count -gt 0) {
            [Console]::Error.WriteLine('Could not remove: ' + ($failures -join '; '))
            exit 1
        }
        Write-Output ('Removed: ' + ($removed -join ', '))
        exit 0
        """;
}
