#!/usr/bin/env bash
# Packs the NuGet packages into artifacts/packages: ApiKeys, ApiKeys.Http and ApiKeys.Redis (each with its .snupkg
# symbols) and the apikeys tool (package ApiKeys.Cli). Install the tool from there with
#   dotnet tool install -g ApiKeys.Cli --add-source ./artifacts/packages
#
# Usage: scripts/pack.sh [--suffix SUFFIX | --version VERSION] [--output DIR] [--configuration CONFIG] [--no-build]
#   --suffix preview.1   0.1.0-preview.1 (the prefix is VersionPrefix in Directory.Build.props)
#   --version 1.2.3      the whole version
#   --output DIR         where the packages go (default artifacts/packages)
#   --no-build           packs what the last build of CONFIG made (the assemblies keep that build's version)
# Extra arguments after -- go to every dotnet pack.
set -euo pipefail
cd "$(dirname "$0")/.."

projects=(src/ApiKeys src/ApiKeys.Http src/ApiKeys.Redis src/ApiKeys.Cli)
output=artifacts/packages
configuration=Release
build=true
props=()
while [ $# -gt 0 ]; do
  case "$1" in
    --suffix) props+=("-p:VersionSuffix=${2:?--suffix needs a value}"); shift 2 ;;
    --version) props+=("-p:Version=${2:?--version needs a value}"); shift 2 ;;
    --output) output=${2:?--output needs a value}; shift 2 ;;
    --configuration|-c) configuration=${2:?--configuration needs a value}; shift 2 ;;
    --no-build) build=false; shift ;;
    --) shift; props+=("$@"); break ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pack.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

mkdir -p "$output"
output=$(cd "$output" && pwd)
# The tool references the three libraries: one build makes all four, then each is packed from it.
if [ "$build" = true ]; then
  dotnet build src/ApiKeys.Cli -c "$configuration" -nologo -v quiet "${props[@]}"
fi
for project in "${projects[@]}"; do
  dotnet pack "$project" -c "$configuration" --no-build -o "$output" -nologo -v quiet "${props[@]}"
done
ls -1 "$output"
