#!/usr/bin/env bash
# The gateway's requests/s with usage accounting on vs off (issue 12 asks on >= 0.9x off).
#
#   bench/ApiKeys.Usage.Benchmarks/onoff.sh [PAIRS]        (default 5 pairs)
#
# The gateway as shipped (the NativeAOT `apikeys serve` of scripts/publish-cli.sh; GATEWAY=jit for `dotnet
# ApiKeys.Gateway.dll`, Release; the JSON store with 4 keys, a client token, access log and metrics on) in front of this
# project's local upstream (`-- upstream PORT`: generateContent answers with usageMetadata), wrk -t1 posting a small
# generateContent body (bench/gateway/post.lua; the token from a 0600 file, never argv). wrk and the upstream run on core 0,
# the gateway on core 1 (taskset). Each run starts a fresh gateway (--Usage:Enabled true or false, a new usage.db), warms
# it up, measures, and stops it by PID. The pairs alternate their order (on/off, off/on) so a drift of the machine's load
# does not favour one side. Prints each pair, the medians, and the ratio of the medians.
# Settings: GATEWAY (aot or jit, aot), DURATION (s, 10), WARMUP (s, 4), CONNECTIONS (32), BENCH_GATEWAY_ARGS (extra
# gateway arguments). On one pinned core the JIT runs mostly tier-0 code for a long time (the runtime multiplies its
# tiering delay by 10 when it sees one CPU; docs/gateway.md), which the NativeAOT binary does not have.
# Installs wrk and python3 (Debian packages) when missing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PAIRS=${1:-5}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-4}
CONNECTIONS=${CONNECTIONS:-32}
GATEWAY=${GATEWAY:-aot}
[[ $GATEWAY == aot || $GATEWAY == jit ]] || { echo "onoff.sh: GATEWAY is aot or jit" >&2; exit 2; }
LOAD_CPU=0
GATEWAY_CPU=1

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v python3 >/dev/null || missing+=(python3)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "building (Release)..."
for project in src/ApiKeys.Gateway src/ApiKeys.Cli bench/ApiKeys.Usage.Benchmarks; do
  dotnet build "$ROOT/$project" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
done
GATEWAY_DLL="$ROOT/src/ApiKeys.Gateway/bin/Release/net10.0/ApiKeys.Gateway.dll"
CLI_DLL="$ROOT/src/ApiKeys.Cli/bin/Release/net10.0/ApiKeys.Cli.dll"
BENCH_DLL="$ROOT/bench/ApiKeys.Usage.Benchmarks/bin/Release/net10.0/ApiKeys.Usage.Benchmarks.dll"
GATEWAY_COMMAND=(dotnet "$GATEWAY_DLL")
if [[ $GATEWAY == aot ]]; then
  echo "publishing the NativeAOT CLI (scripts/publish-cli.sh)..."
  bash "$ROOT/scripts/publish-cli.sh" -nologo -v q -clp:ErrorsOnly >/dev/null
  GATEWAY_COMMAND=("$ROOT/artifacts/apikeys" serve)
fi

umask 077
RUN=$(mktemp -d /tmp/apikeys-usage-onoff.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # FILE PATTERN: until FILE holds a line matching PATTERN (60 s)
  for _ in $(seq 600); do
    grep -qE "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "onoff.sh: no '$2' in $1:" >&2
  tail -20 "$1" >&2
  exit 1
}

new_key() { python3 -c 'import secrets, string; a = string.ascii_letters + string.digits + "-_"; print("AIzaSy" + "".join(secrets.choice(a) for _ in range(33)))'; }
mkdir -p "$RUN/store"
for _ in 1 2 3 4; do new_key; done | APIKEYS_DIR="$RUN/store" dotnet "$CLI_DLL" add --stdin >/dev/null
APIKEYS_DIR="$RUN/store" dotnet "$CLI_DLL" token create --name bench >"$RUN/token.txt" 2>/dev/null

UPSTREAM_PORT=$(free_port)
taskset -c $LOAD_CPU dotnet "$BENCH_DLL" upstream "$UPSTREAM_PORT" >"$RUN/upstream.log" 2>&1 &
PIDS+=($!)
wait_for "$RUN/upstream.log" "upstream on"

# run_one true|false: prints the requests/s of one fresh gateway with accounting on or off.
run_one() {
  local port pid url result
  rm -f "$RUN"/store/usage.db*
  port=$(free_port)
  # shellcheck disable=SC2086
  taskset -c $GATEWAY_CPU "${GATEWAY_COMMAND[@]}" --dir "$RUN/store" --upstream "http://127.0.0.1:$UPSTREAM_PORT/" \
    --urls "http://127.0.0.1:$port" --Usage:Enabled "$1" ${BENCH_GATEWAY_ARGS:-} >"$RUN/gateway-$1.log" 2>&1 &
  pid=$!
  PIDS+=($pid)
  wait_for "$RUN/gateway-$1.log" "apikeys gateway listening on"
  url="http://127.0.0.1:$port/v1beta/models/gemini-2.5-flash:generateContent"
  BENCH_TOKEN_FILE="$RUN/token.txt" taskset -c $LOAD_CPU wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$ROOT/bench/gateway/post.lua" "$url" >/dev/null
  result=$(BENCH_TOKEN_FILE="$RUN/token.txt" taskset -c $LOAD_CPU wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s "$ROOT/bench/gateway/post.lua" "$url" | grep '^RESULT')
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  python3 - "$result" <<'EOF'
import sys
fields = dict(f.split("=") for f in sys.argv[1].split()[1:])
if int(fields["errors"]) or int(fields["non2xx"]):
    sys.exit(f"onoff.sh: errors in the run: {sys.argv[1]}")
print(round(int(fields["requests"]) / (int(fields["duration_us"]) / 1e6)))
EOF
}

echo "gateway: $GATEWAY; pairs: $PAIRS, wrk -t1 -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s of warm-up; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-8s %10s %10s %7s\n' pair order on off ratio
ONS=()
OFFS=()
for i in $(seq "$PAIRS"); do
  if (( i % 2 == 1 )); then
    on=$(run_one true); off=$(run_one false); order="on,off"
  else
    off=$(run_one false); on=$(run_one true); order="off,on"
  fi
  ONS+=("$on"); OFFS+=("$off")
  printf '%-6s %-8s %10s %10s %7s\n' "$i" "$order" "$on" "$off" "$(python3 -c "print(f'{$on / $off:.2f}')")"
done
python3 - "${ONS[*]}" "${OFFS[*]}" <<'EOF'
import statistics, sys
on = [int(x) for x in sys.argv[1].split()]
off = [int(x) for x in sys.argv[2].split()]
ratios = [a / b for a, b in zip(on, off)]
print(f"median on {statistics.median(on):.0f}, median off {statistics.median(off):.0f}: on/off {statistics.median(on) / statistics.median(off):.2f}x "
      f"(median of the pairs' ratios {statistics.median(ratios):.2f}x)")
EOF
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
