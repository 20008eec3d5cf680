#!/usr/bin/env bash
# The test command: installs what the tests need (scripts/install-deps.sh), then runs every test
# project of the solution in Release. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
exec dotnet test ApiKeyManager.slnx -c Release "$@"
