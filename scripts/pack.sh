#!/usr/bin/env bash
# Packs the NuGet packages into artifacts/packages: ApiKeys, ApiKeys.Http, ApiKeys.Redis and ApiKeys.Usage (each with
# its .snupkg symbols) and the apikeys tool (package ApiKeys.Cli). Install the tool from there with
#   dotnet tool install -g ApiKeys.Cli --add-source ./artifacts/packages
#
# Usage: scripts/pack.sh [--suffix SUFFIX | --version VERSION] [--output DIR] [--configuration CONFIG] [--no-build]
#   --suffix preview.1   0.1.0-preview.1 (the prefix is VersionPrefix in Directory.Build.props)
#   --version 1.2.3      the whole version
#   --output DIR         where the packages go (default artifacts/packages of the checkout)
#   --no-build           packs what the last build of CONFIG made (the assemblies keep that build's version)
# Extra arguments after -- go to dotnet pack. The projects packed are those of ApiKeyManager.Packages.slnf (one MSBuild
# run builds and packs them all).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
output=$repo/artifacts/packages
configuration=Release
props=()
while [ $# -gt 0 ]; do
  case "$1" in
    --suffix) props+=("-p:VersionSuffix=${2:?--suffix needs a value}"); shift 2 ;;
    --version) props+=("-p:Version=${2:?--version needs a value}"); shift 2 ;;
    --output) output=${2:?--output needs a value}; shift 2 ;;
    --configuration|-c) configuration=${2:?--configuration needs a value}; shift 2 ;;
    --no-build) props+=(--no-build); shift ;;
    --) shift; props+=("$@"); break ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pack.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

mkdir -p "$output"
output=$(cd "$output" && pwd)
cd "$repo"
dotnet pack ApiKeyManager.Packages.slnf -c "$configuration" -o "$output" -nologo -v quiet "${props[@]}"
ls -1 "$output"
