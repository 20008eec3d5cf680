#!/usr/bin/env bash
# Scans the outputs of a test run for canary keys: prints each hit (file:line and the key masked) and exits 1 on any.
#
#   scripts/scan-canaries.sh DIR
#
# Scanned: every file under DIR (the CI output: test logs, TRX files), the log-like files (*.log *.txt *.trx *.out
# *.err) left under ${TMPDIR:-/tmp}/apikeys-tests, and any *.log under tests/*/bin and TestResults. Not scanned: test
# SOURCE files and store files the tests create (they hold canaries by design; a store file of a test running at the same
# time in another checkout would otherwise fail this scan at random).
#
# The canaries: every full key matching AIzaSyCANARY[0-9A-Za-z_-]{27} (the TestKeys of each test project, and the key
# Google echoes in tests/Fixtures/gemini-errors/403-consumer-suspended.json), and the seed document's two example keys.
set -uo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: scripts/scan-canaries.sh DIR" >&2
  exit 2
fi
dir=$1
repo="$(cd "$(dirname "$0")/.." && pwd)"

patterns=$(mktemp)
files=$(mktemp)
trap 'rm -f "$patterns" "$files"' EXIT

{
  echo 'AIzaSyCANARY[0-9A-Za-z_-]{27}'
  echo 'AIzaSyDmG6cUWjZBIdYI5H1NDqdaYwZjMYmjFYY'
  echo 'AIzaSyCfFOnGjgd-ZXS0VgPQ-wejgWGQTXcMpVw'
} > "$patterns"

find "$dir" -type f -print0 > "$files"
tmp_root="${TMPDIR:-/tmp}/apikeys-tests"
if [ -d "$tmp_root" ]; then
  find "$tmp_root" -type f \( -name '*.log' -o -name '*.txt' -o -name '*.trx' -o -name '*.out' -o -name '*.err' \) -print0 >> "$files"
fi
find "$repo/tests" \( -path '*/bin/*' -o -path '*/TestResults/*' \) -type f \( -name '*.log' -o -name '*.trx' \) -print0 2>/dev/null >> "$files"

count=$(tr -cd '\0' < "$files" | wc -c)
# Print hits masked (first 4 ... last 4): this output is itself captured into DIR.
hits=$(xargs -0 -r grep -HnoaE -f "$patterns" -- < "$files" 2>/dev/null \
  | sed -E 's/(AIza)[0-9A-Za-z_-]{31}([0-9A-Za-z_-]{4})/\1...\2/')

if [ -n "$hits" ]; then
  echo "$hits"
  echo "canary scan: $(echo "$hits" | wc -l) hit(s) in $count file(s) scanned" >&2
  exit 1
fi
echo "canary scan: $count file(s) scanned, 0 hits"
