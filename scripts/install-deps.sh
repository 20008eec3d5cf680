#!/usr/bin/env bash
# Installs what the tests need on a bare Debian machine: redis-server (the distributed backend's tests
# start their own on a free loopback port), util-linux's `script` (the console's pty tests), the Node SDKs the
# gateway's tests drive (scripts/install-node-clients.sh, which brings Node too when missing), and Debian's Chromium, which
# the dashboard's browser tests drive through Playwright (Playwright's own browser download is never used).
# Idempotent: does nothing when everything is there. Installing needs apt-get and root (or sudo): otherwise it says
# what is missing and stops with status 1.
set -euo pipefail
"$(dirname "$0")/install-node-clients.sh"
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v script >/dev/null 2>&1 || need+=(bsdutils)
# The path tests/ApiKeys.Dashboard.Tests/Support/Chromium.cs looks for.
[ -x /usr/lib/chromium/chromium ] || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
fail() {
  echo "install-deps: cannot install ${need[*]}: $1. Install these Debian packages by hand, then run the tests again." >&2
  exit 1
}
command -v apt-get >/dev/null 2>&1 || fail "apt-get not found (this script knows Debian and Ubuntu)"
if [ "$(id -u)" -eq 0 ]; then
  sudo=
elif command -v sudo >/dev/null 2>&1; then
  sudo=sudo
else
  fail "not root and no sudo"
fi
echo "Installing ${need[*]} ..." >&2
$sudo apt-get update -qq >/dev/null || fail "apt-get update failed"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || fail "apt-get install failed"
# Debian starts the packaged service; the tests run their own servers, so stop it to free port 6379.
if command -v systemctl >/dev/null 2>&1; then $sudo systemctl stop redis-server >/dev/null 2>&1 || true; fi
if command -v service >/dev/null 2>&1; then $sudo service redis-server stop >/dev/null 2>&1 || true; fi
