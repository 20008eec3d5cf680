#!/usr/bin/env bash
# Installs the Node SDKs the gateway's tests drive as real clients (@google/genai and openai, pinned in
# tests/ApiKeys.Gateway.Tests/node/package-lock.json) into that folder's node_modules, and Node itself from Debian's
# packages when it is missing. Idempotent: does nothing when node_modules matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=tests/ApiKeys.Gateway.Tests/node

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  echo "Installing nodejs and npm ..." >&2
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# npm writes node_modules/.package-lock.json on every install: newer than the lock file means up to date.
if [ -f "$dir/node_modules/.package-lock.json" ] && [ ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
  exit 0
fi
echo "Installing the Node SDKs for the gateway's tests ($dir) ..." >&2
npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
