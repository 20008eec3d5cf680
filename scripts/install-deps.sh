#!/usr/bin/env bash
# Installs what the tests need on a bare Debian machine: redis-server (the distributed backend's tests
# start their own on a free loopback port), util-linux's `script` (the console's pty tests), and the Node SDKs the
# gateway's tests drive (scripts/install-node-clients.sh, which brings Node too when missing).
# Idempotent: does nothing when everything is there.
set -euo pipefail
"$(dirname "$0")/install-node-clients.sh"
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v script >/dev/null 2>&1 || need+=(bsdutils)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi
echo "Installing ${need[*]} ..." >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts the packaged service; the tests run their own servers, so stop it to free port 6379.
if command -v systemctl >/dev/null 2>&1; then $sudo systemctl stop redis-server >/dev/null 2>&1 || true; fi
if command -v service >/dev/null 2>&1; then $sudo service redis-server stop >/dev/null 2>&1 || true; fi
