#!/usr/bin/env bash
# Builds and lints the Bicep with the bicep CLI restored from NuGet (the only registry CI can reach).
set -euo pipefail

bicep_version=0.49.2
infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
nuget_root="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
bicep="$nuget_root/azure.bicep.commandline.linux-x64/$bicep_version/tools/bicep"

if [[ ! -f "$bicep" ]]; then
  restore_dir="$(mktemp -d)"
  trap 'rm -rf "$restore_dir"' EXIT
  # Outside the repo so Directory.Packages.props and global.json don't apply to this throwaway project.
  cat > "$restore_dir/fetch-bicep.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$bicep_version]" />
  </ItemGroup>
</Project>
XML
  dotnet restore "$restore_dir/fetch-bicep.csproj" --verbosity quiet >&2
fi

if [[ ! -f "$bicep" ]]; then
  bicep="$(find "$nuget_root/azure.bicep.commandline.linux-x64/$bicep_version" -type f -name bicep 2>/dev/null | head -n 1 || true)"
fi
[[ -n "$bicep" && -f "$bicep" ]] || { echo "bicep: CLI $bicep_version not found after restore" >&2; exit 1; }
chmod +x "$bicep"

"$bicep" build "$infra_dir/main.bicep" --stdout > /dev/null
"$bicep" build-params "$infra_dir/main.bicepparam" --stdout > /dev/null
# bicep lint exits 0 on warnings, so any diagnostic it prints fails the check.
lint_output="$("$bicep" lint "$infra_dir/main.bicep" 2>&1 && "$bicep" lint "$infra_dir/main.bicepparam" 2>&1)" \
  || { echo "$lint_output" >&2; exit 1; }
if [[ -n "$lint_output" ]]; then
  echo "$lint_output" >&2
  echo "bicep: lint reported diagnostics" >&2
  exit 1
fi

echo "bicep: ok ($bicep_version)"
