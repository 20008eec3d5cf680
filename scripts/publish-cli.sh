#!/usr/bin/env bash
# Publishes the apikeys CLI as a NativeAOT single binary: artifacts/apikeys (the assembly is ApiKeys.Cli, so the
# core library's InternalsVisibleTo applies; the binary is renamed here). Extra arguments go to `dotnet publish`.
# NativeAOT links with clang; Debian names it clang-<version>, so the newest one found is passed to the ILCompiler.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
if ! command -v clang >/dev/null 2>&1; then
  cc=$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1 || true)
  [ -n "$cc" ] && args+=("-p:CppCompilerAndLinker=$cc")
fi
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
out=artifacts/publish-cli
dotnet publish src/ApiKeys.Cli -c Release -r "$rid" -p:PublishAot=true -o "$out" "${args[@]}" "$@"
mkdir -p artifacts
cp "$out/ApiKeys.Cli" artifacts/apikeys
# SQLite (apikeys usage / log, the gateway's usage.db) is a native library loaded from beside the binary: ship it with it.
cp "$out"/libe_sqlite3.* artifacts/
echo "artifacts/apikeys ($(du -h artifacts/apikeys | cut -f1))"
