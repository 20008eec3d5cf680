#!/usr/bin/env bash
# The gateway's benchmark (issue 11): direct vs nginx proxy_pass vs the gateway, in front of one fake upstream.
#
#   bench/gateway/run.sh [--quick] [--keep]
#
# Installs what it lacks (nginx-light or nginx, wrk, python3: Debian packages), builds the gateway, the CLI and the fake
# upstream (Release) and the NativeAOT CLI (scripts/publish-cli.sh, what `apikeys serve` ships as), makes a throwaway store (random key-shaped keys, one client token), then measures, with the load
# generator and the upstream on core 0 and the proxy under test on core 1:
#   latency at 1 connection (p50/p99), requests/s at 16 and 64 connections, RSS under load, the largest gap between SSE
#   chunks (bench/gateway/sse_probe.py), the latency one failover adds (a key answering 429, then the next key), and
#   whether any key or token reached the gateway's log. The gateway is measured twice: as the NativeAOT binary
#   (artifacts/apikeys serve) and on the JIT (dotnet ApiKeys.Gateway.dll, what `dotnet run` starts); beside them, the
#   floor of the stack: bench/gateway/BareProxy (Kestrel and SocketsHttpHandler, NativeAOT, none of the gateway's work).
#   Then requests/s at 64 connections once more, nginx, the bare proxy and both gateways taking turns for several rounds:
#   the report's ratio to nginx is the median of the rounds' ratios (neighbours in time on a shared, noisy machine).
# Prints a table and writes bench/gateway/results-<date>.md (results-<date>-<HHMM>.md when that exists). Every process it starts is stopped by PID on exit; ports are
# free ones; secrets go through 0600 files, never argv. --quick: short runs (a smoke test, not figures). --keep: keep the
# run's directory (logs) in /tmp. BENCH_GATEWAY_ARGS: extra gateway arguments (e.g. "--Pool:SyncInterval 00:10:00").
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/gateway"
QUICK=0
KEEP=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $arg (--quick, --keep)" >&2; exit 2 ;;
  esac
done
if [[ $QUICK == 1 ]]; then
  DURATION=3; WARMUP=1; JIT_WARMUP=2; STREAMS=2; CHUNKS=10; ROUNDS=2; ROUND_SECONDS=2
else
  DURATION=15; WARMUP=5; JIT_WARMUP=30; STREAMS=5; CHUNKS=20; ROUNDS=9; ROUND_SECONDS=5
fi
GAP_MS=50
LOAD_CPU=0
PROXY_CPU=1
if [[ $(nproc --all) -lt 2 ]]; then
  echo "run.sh: needs 2 cores (load generator and upstream on one, the proxy on the other)" >&2
  exit 1
fi

# --- what it needs --------------------------------------------------------------------------------------------------
install_missing() {
  local missing=()
  command -v nginx >/dev/null || missing+=(nginx)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v python3 >/dev/null || missing+=(python3)
  command -v taskset >/dev/null || missing+=(util-linux)
  [[ ${#missing[@]} == 0 ]] && return
  if [[ $(id -u) != 0 ]]; then
    echo "run.sh: missing ${missing[*]}; run as root (apt-get) or install them" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}"
  apt-get update -qq
  local packages=()
  for m in "${missing[@]}"; do
    if [[ $m == nginx ]]; then
      if apt-cache show nginx-light >/dev/null 2>&1; then packages+=(nginx-light); else packages+=(nginx); fi
    else
      packages+=("$m")
    fi
  done
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  # The package's own nginx service is not what is measured.
  if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then systemctl stop nginx || true; fi
}
install_missing

echo "building (Release)..."
for project in src/ApiKeys.Gateway src/ApiKeys.Cli bench/gateway/FakeUpstream; do
  dotnet build "$ROOT/$project" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
done
echo "publishing the NativeAOT CLI (scripts/publish-cli.sh)..."
bash "$ROOT/scripts/publish-cli.sh" -nologo -v q -clp:ErrorsOnly >/dev/null
AOT_BIN="$ROOT/artifacts/apikeys"
dotnet publish "$ROOT/bench/gateway/BareProxy" -c Release -r "$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')" \
  -o "$ROOT/bench/gateway/BareProxy/bin/publish" -nologo -v q -clp:ErrorsOnly >/dev/null
BARE_BIN="$ROOT/bench/gateway/BareProxy/bin/publish/BareProxy"
GATEWAY_DLL="$ROOT/src/ApiKeys.Gateway/bin/Release/net10.0/ApiKeys.Gateway.dll"
CLI_DLL="$ROOT/src/ApiKeys.Cli/bin/Release/net10.0/ApiKeys.Cli.dll"
UPSTREAM_DLL="$ROOT/bench/gateway/FakeUpstream/bin/Release/net10.0/FakeUpstream.dll"

# --- processes, cleaned up by PID -----------------------------------------------------------------------------------
umask 077
RUN=$(mktemp -d /tmp/apikeys-gateway-bench.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ $KEEP == 1 ]]; then echo "run directory kept: $RUN"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_for FILE PATTERN: until FILE holds a line matching PATTERN (30 s).
wait_for() {
  for _ in $(seq 300); do
    grep -qE "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "run.sh: no '$2' in $1:" >&2
  tail -20 "$1" >&2
  exit 1
}

stop() { # stop PID: SIGTERM, then wait for it
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# rss_kb PID...: the resident set of the processes, in KiB.
rss_kb() {
  local total=0 pid kb
  for pid in "$@"; do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

# --- the store: random key-shaped keys, one client token ------------------------------------------------------------
new_key() { python3 -c 'import secrets, string; a = string.ascii_letters + string.digits + "-_"; print("AIzaSy" + "".join(secrets.choice(a) for _ in range(33)))'; }
for _ in 1 2 3 4; do new_key; done >"$RUN/keys.txt"
new_key >"$RUN/failing-key.txt"
mkdir -p "$RUN/store" "$RUN/store-failover" "$RUN/store-jit"
apikeys() { dotnet "$CLI_DLL" "$@"; }
APIKEYS_DIR="$RUN/store" apikeys add --stdin <"$RUN/keys.txt" >/dev/null
APIKEYS_DIR="$RUN/store" apikeys token create --name bench >"$RUN/token.txt" 2>/dev/null
# The failover store: the key that answers 429 first, then one that works.
{ cat "$RUN/failing-key.txt"; head -1 "$RUN/keys.txt"; } | APIKEYS_DIR="$RUN/store-failover" apikeys add --stdin >/dev/null
cp "$RUN/store/gateway_tokens.json" "$RUN/store/gateway_tokens.key" "$RUN/store-failover/"
# The JIT gateway of the alternated rounds runs beside the NativeAOT one: a store of its own (same keys and token).
cp -r "$RUN/store/." "$RUN/store-jit/"
cat "$RUN/keys.txt" "$RUN/failing-key.txt" "$RUN/token.txt" >"$RUN/secrets.txt"

# --- the processes under test ---------------------------------------------------------------------------------------
UPSTREAM_PORT=$(free_port)
FAKE_FAIL_KEY_FILE="$RUN/failing-key.txt" taskset -c $LOAD_CPU dotnet "$UPSTREAM_DLL" --port "$UPSTREAM_PORT" >"$RUN/upstream.log" 2>&1 &
PIDS+=($!)
UPSTREAM_PID=$!
wait_for "$RUN/upstream.log" "listening on"

NGINX_PORT=$(free_port)
mkdir -p "$RUN/nginx/logs" "$RUN/nginx/temp"
user_line=""
[[ $(id -u) == 0 ]] && user_line="user root root;"
cat >"$RUN/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $RUN/nginx/nginx.pid;
error_log $RUN/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log $RUN/nginx/logs/access.log;
  client_body_temp_path $RUN/nginx/temp/body;
  proxy_temp_path $RUN/nginx/temp/proxy;
  upstream fake { server 127.0.0.1:$UPSTREAM_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://fake;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
EOF
taskset -c $PROXY_CPU nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -g 'daemon off;' >"$RUN/nginx/logs/stdout.log" 2>&1 &
PIDS+=($!)
NGINX_PID=$!
for _ in $(seq 100); do [[ -n $(pgrep -P "$NGINX_PID" || true) ]] && break; sleep 0.1; done

# start_gateway STORE LOG [jit]: the gateway as shipped (JSON store, access log on) on core 1, the NativeAOT binary
# (apikeys serve) or, with jit, the assembly on the runtime; sets GATEWAY_PID and GATEWAY_URL.
start_gateway() {
  local command=("$AOT_BIN" serve)
  [[ ${3:-} == jit ]] && command=(dotnet "$GATEWAY_DLL")
  # shellcheck disable=SC2086
  taskset -c $PROXY_CPU "${command[@]}" --dir "$1" --upstream "http://127.0.0.1:$UPSTREAM_PORT" \
    --urls "http://127.0.0.1:0" ${BENCH_GATEWAY_ARGS:-} >"$2" 2>&1 &
  GATEWAY_PID=$!
  PIDS+=("$GATEWAY_PID")
  wait_for "$2" "gateway listening on http://127.0.0.1:[0-9]+"
  GATEWAY_URL=$(grep -oE "gateway listening on http://127.0.0.1:[0-9]+" "$2" | head -1 | sed 's/gateway listening on //')
}
declare -A URL=([direct]="http://127.0.0.1:$UPSTREAM_PORT" [nginx]="http://127.0.0.1:$NGINX_PORT")
declare -A TOKEN=([direct]="" [nginx]="" [bare]="" [gateway]="$RUN/token.txt" [gateway_jit]="$RUN/token.txt")
GENERATE="/v1beta/models/gemini-2.5-flash:generateContent"
RESULTS="$RUN/results.txt"
: >"$RESULTS"

# wrk_run NAME TARGET CONNECTIONS SECONDS [PATH]: one wrk run on core 0; its RESULT line goes to results.txt as NAME.
wrk_run() {
  local out
  out=$(BENCH_TOKEN_FILE="${TOKEN[$2]}" taskset -c $LOAD_CPU wrk -t1 -c"$3" -d"$4s" --timeout 10s -s "$HERE/post.lua" "${URL[$2]}${5:-$GENERATE}" | grep '^RESULT')
  echo "$1 ${out#RESULT }" >>"$RESULTS"
}

# sample_rss NAME PID...: the largest RSS while the run in the background lasts (every 0.2 s).
sample_rss() {
  local name=$1 max=0 now
  shift
  while [[ -e "$RUN/loading" ]]; do
    now=$(rss_kb "$@")
    ((now > max)) && max=$now
    sleep 0.2
  done
  echo "$name rss_kb=$max" >>"$RESULTS"
}

measure() { # measure TARGET PID...
  local target=$1
  shift
  echo "measuring $target..."
  wrk_run warmup "$target" 16 "$WARMUP" >/dev/null
  wrk_run "$target.c1" "$target" 1 "$DURATION"
  wrk_run "$target.c16" "$target" 16 "$DURATION"
  if [[ $# -gt 0 ]]; then
    touch "$RUN/loading"
    sample_rss "$target" "$@" &
    local sampler=$!
    wrk_run "$target.c64" "$target" 64 "$DURATION"
    rm -f "$RUN/loading"
    wait "$sampler"
  else
    wrk_run "$target.c64" "$target" 64 "$DURATION"
  fi
  local sse
  sse=$(taskset -c $LOAD_CPU python3 "$HERE/sse_probe.py" "${URL[$target]}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&chunks=$CHUNKS&gap=$GAP_MS" \
    --streams "$STREAMS" ${TOKEN[$target]:+--token-file "${TOKEN[$target]}"} | grep '^RESULT')
  echo "$target.sse ${sse#RESULT }" >>"$RESULTS"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
psi() { sed -n 's/^some avg10=[0-9.]* avg60=\([0-9.]*\).*/\1 %/p' /proc/pressure/cpu 2>/dev/null || echo "n/a"; }
PSI_BEFORE=$(psi)
measure direct
measure nginx "$NGINX_PID" $(pgrep -P "$NGINX_PID")
BARE_PORT=$(free_port)
taskset -c $PROXY_CPU "$BARE_BIN" --upstream "http://127.0.0.1:$UPSTREAM_PORT" --urls "http://127.0.0.1:$BARE_PORT" >"$RUN/bare.log" 2>&1 &
BARE_PID=$!
PIDS+=("$BARE_PID")
wait_for "$RUN/bare.log" "bare proxy listening on"
URL[bare]="http://127.0.0.1:$BARE_PORT"
measure bare "$BARE_PID"
stop "$BARE_PID"
start_gateway "$RUN/store" "$RUN/gateway.log"
URL[gateway]="$GATEWAY_URL"
measure gateway "$GATEWAY_PID"
stop "$GATEWAY_PID"
start_gateway "$RUN/store" "$RUN/gateway-jit.log" jit
URL[gateway_jit]="$GATEWAY_URL"
measure gateway_jit "$GATEWAY_PID"
stop "$GATEWAY_PID"

# --- requests/s at 64 connections again, nginx / bare / gateway (NativeAOT) / gateway (JIT) alternated round by round --
# One run each above can fall on a quiet or a busy second of a shared machine; here the four take turns, ROUNDS times,
# so that each round's ratios compare neighbours in time (the report gives the median of the rounds' ratios). The bare
# proxy and both gateways stay up on core 1, idle while another is measured. The JIT gateway is warmed longer: on one CPU
# the runtime waits ten times longer before it recompiles hot code (docs/gateway.md), and what is measured here is the
# steady state of a gateway that has served traffic for a while, dynamic PGO included.
echo "measuring $ROUNDS alternated rounds at 64 connections..."
taskset -c $PROXY_CPU "$BARE_BIN" --upstream "http://127.0.0.1:$UPSTREAM_PORT" --urls "http://127.0.0.1:$BARE_PORT" >"$RUN/bare-rounds.log" 2>&1 &
BARE_PID=$!
PIDS+=("$BARE_PID")
wait_for "$RUN/bare-rounds.log" "bare proxy listening on"
start_gateway "$RUN/store" "$RUN/gateway-rounds.log"
URL[gateway]="$GATEWAY_URL"
AOT_PID=$GATEWAY_PID
start_gateway "$RUN/store-jit" "$RUN/gateway-jit-rounds.log" jit
URL[gateway_jit]="$GATEWAY_URL"
JIT_PID=$GATEWAY_PID
wrk_run warmup gateway 16 "$WARMUP" >/dev/null
wrk_run warmup bare 16 "$WARMUP" >/dev/null
wrk_run warmup gateway_jit 16 "$JIT_WARMUP" >/dev/null
for _ in $(seq "$ROUNDS"); do
  for target in nginx bare gateway gateway_jit; do
    wrk_run "$target.round" "$target" 64 "$ROUND_SECONDS"
  done
done
stop "$AOT_PID"
stop "$JIT_PID"
stop "$BARE_PID"

# --- one failover: the first key answers 429 (RetryInfo 1 us), the gateway retries on the next key -------------------
# The pool brings a key back a few milliseconds after its cooldown ends, so only some requests meet the failing key: the
# gateway's access log says which (retries=1), and the medians of its latencies with and without a retry, in the same run
# and for the same model, give what one failover adds.
echo "measuring failover..."
start_gateway "$RUN/store-failover" "$RUN/gateway-failover.log"
URL[failover]="$GATEWAY_URL"
TOKEN[failover]="$RUN/token.txt"
FAILOVER="/v1beta/models/gemini-failover:generateContent"
wrk_run warmup failover 1 "$WARMUP" "$FAILOVER" >/dev/null
wc -l <"$RUN/gateway-failover.log" >"$RUN/failover-skip"
wrk_run failover failover 1 "$DURATION" "$FAILOVER"
stop "$GATEWAY_PID"
tail -n +"$(($(cat "$RUN/failover-skip") + 1))" "$RUN/gateway-failover.log" | python3 "$HERE/failover_log.py" >>"$RESULTS"

PSI_AFTER=$(psi)

# --- secrets in the gateway's logs ----------------------------------------------------------------------------------
cat "$RUN/gateway.log" "$RUN/gateway-jit.log" "$RUN/gateway-failover.log" "$RUN/gateway-rounds.log" "$RUN/gateway-jit-rounds.log" >"$RUN/all-gateway.log"
leaks=$(grep -c -F -f "$RUN/secrets.txt" "$RUN/all-gateway.log" || true)
shaped=$(grep -c -E 'AIza[0-9A-Za-z_-]{35}|akg_[A-Za-z0-9_-]{43}' "$RUN/all-gateway.log" || true)
lines=$(wc -l <"$RUN/all-gateway.log")
access=$(grep -c 'AccessLogObserver\[3001\]' "$RUN/all-gateway.log" || true)
echo "logs lines=$lines access=$access leaks=$leaks shaped=$shaped" >>"$RESULTS"

# --- the report -----------------------------------------------------------------------------------------------------
STAMP=$(date -u +%Y-%m-%d)
REPORT="$HERE/results-$STAMP.md"
# A second run the same day does not overwrite the first's report (it may be cited): it gets the time too.
[ -e "$REPORT" ] && REPORT="$HERE/results-$STAMP-$(date -u +%H%M).md"
python3 "$HERE/report.py" "$RESULTS" --quick "$QUICK" --duration "$DURATION" --round-seconds "$ROUND_SECONDS" --streams "$STREAMS" --chunks "$CHUNKS" --gap "$GAP_MS" \
  --load "$LOAD_BEFORE" --pressure "${PSI_BEFORE:-n/a} / ${PSI_AFTER:-n/a}" --cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
  --versions "dotnet $(dotnet --version), $(nginx -v 2>&1 | sed 's/nginx version: //'), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)" >"$REPORT"
cat "$REPORT"
echo
echo "written: ${REPORT#"$ROOT"/}"
