#!/usr/bin/env python3
"""Turns the RESULT lines of bench/gateway/run.sh into its Markdown report (stdout)."""
import argparse


def parse(path):
    """The rows by name; the alternated rounds (NAME.round, one line a round) as lists under 'rounds'."""
    rows = {"rounds": {}}
    for line in open(path):
        name, *pairs = line.split()
        row = {k: float(v) for k, v in (p.split("=", 1) for p in pairs)}
        if name.endswith(".round"):
            rows["rounds"].setdefault(name[: -len(".round")], []).append(row)
        else:
            rows[name] = row
    return rows


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def ms(us):
    return us / 1000.0


def main():
    a = argparse.ArgumentParser()
    a.add_argument("results")
    for option in ("--round-seconds", "--quick", "--duration", "--streams", "--chunks", "--gap", "--load", "--pressure", "--cpu", "--versions"):
        a.add_argument(option)
    args = a.parse_args()
    r = parse(args.results)
    targets = ["direct", "nginx", "bare", "gateway", "gateway_jit"]

    def rps(t, c):
        row = r[f"{t}.c{c}"]
        return row["requests"] / (row["duration_us"] / 1e6)

    def errors(t):
        return sum(r[f"{t}.c{c}"]["errors"] + r[f"{t}.c{c}"]["non2xx"] for c in (1, 16, 64))

    p50 = {t: ms(r[f"{t}.c1"]["p50_us"]) for t in targets}
    p99 = {t: ms(r[f"{t}.c1"]["p99_us"]) for t in targets}
    out = []
    w = out.append
    w(f"# Gateway benchmark, {'--quick (a smoke test, not figures)' if args.quick == '1' else 'full run'}")
    w("")
    w(f"CPU: {args.cpu}; {args.versions}.")
    w(f"Load average before the run: {args.load}. CPU pressure (PSI: the share of time some task waited for a CPU, avg60)")
    w(f"before / after: {args.pressure}. Other processes show there: figures from a busy machine are provisional, and a")
    w("single stall of another process shows first as the largest SSE gap.")
    w(f"wrk -t1, {args.duration} s per run, POST generateContent (a 44-byte body, a 285-byte answer); load generator and")
    w("upstream on core 0, the proxy on core 1. The gateway: the JSON store with 4 keys, a client token, access log and usage")
    w("accounting on; as the NativeAOT binary (`apikeys serve`, scripts/publish-cli.sh) and on the JIT (`dotnet")
    w("ApiKeys.Gateway.dll`, Release, what `dotnet run` starts). The bare .NET proxy (bench/gateway/BareProxy) is the floor of")
    w("the gateway's stack: Kestrel, a minimal API and SocketsHttpHandler, NativeAOT, forwarding with none of the gateway's work.")
    w("")
    w("| | direct | nginx | bare .NET proxy | gateway (NativeAOT) | gateway (JIT) |")
    w("|---|---:|---:|---:|---:|---:|")
    w("| p50 at 1 connection (ms) | " + " | ".join(f"{p50[t]:.3f}" for t in targets) + " |")
    w("| p99 at 1 connection (ms) | " + " | ".join(f"{p99[t]:.3f}" for t in targets) + " |")
    w("| added p50 over direct (ms) | - | " + " | ".join(f"{p50[t] - p50['direct']:.3f}" for t in targets[1:]) + " |")
    w("| added p99 over direct (ms) | - | " + " | ".join(f"{p99[t] - p99['direct']:.3f}" for t in targets[1:]) + " |")
    for c in (1, 16, 64):
        w(f"| requests/s at {c} connection{'s' if c > 1 else ''} | " + " | ".join(f"{rps(t, c):,.0f}" for t in targets) + " |")
    w("| errors + non-2xx | " + " | ".join(f"{errors(t):.0f}" for t in targets) + " |")
    w("| RSS at 64 connections (MiB) | - | " + " | ".join(f"{r[t]['rss_kb'] / 1024:.1f}" for t in targets[1:]) + " |")
    sse = {t: r[f"{t}.sse"] for t in targets}
    w(f"| SSE: largest gap between chunks (ms; {args.chunks} chunks {args.gap} ms apart, {args.streams} streams) | "
      + " | ".join(f"{sse[t]['max_gap_ms']:.2f}" for t in targets) + " |")
    w("| SSE: 95th percentile gap (ms) | " + " | ".join(f"{sse[t]['p95_gap_ms']:.2f}" for t in targets) + " |")
    w("| SSE: median gap (ms) | " + " | ".join(f"{sse[t]['p50_gap_ms']:.2f}" for t in targets) + " |")
    w("| SSE: median time to the first chunk (ms) | " + " | ".join(f"{sse[t]['first_event_ms']:.2f}" for t in targets) + " |")
    w("")
    f, fl = r["failover"], r["failover.log"]
    w(f"One failover (1 connection, one model; the first key answers 429 with a 1 us RetryInfo, the gateway retries on the "
      f"next key): the gateway's own latency (access log, median) is {fl['retried_p50_ms']:.2f} ms for the "
      f"{fl['retried_n']:.0f} requests that met the failing key against {fl['plain_p50_ms']:.2f} ms for the {fl['plain_n']:.0f} that "
      f"did not, so **{fl['retried_p50_ms'] - fl['plain_p50_ms']:.2f} ms** added (the 429's round trip, its classification, "
      f"the cooldown, its log lines, the second attempt); {f['non2xx']:.0f} of the {f['requests']:.0f} requests failed.")
    w("")
    logs = r["logs"]
    w(f"Gateway logs: {logs['lines']:.0f} lines ({logs['access']:.0f} access lines); keys or tokens in them: "
      f"{logs['leaks']:.0f} (exact), {logs['shaped']:.0f} (key- or token-shaped).")
    w("")
    contenders = ("nginx", "bare", "gateway", "gateway_jit")
    rounds = {t: [row["requests"] / (row["duration_us"] / 1e6) for row in r["rounds"][t]] for t in contenders}
    n = len(rounds["nginx"])
    per_round = {t: [rounds[t][i] / rounds["nginx"][i] for i in range(n)] for t in contenders}
    names = {"nginx": "nginx", "bare": "bare .NET proxy", "gateway": "gateway (NativeAOT)", "gateway_jit": "gateway (JIT)"}
    w(f"Requests/s at 64 connections, {', '.join(names[t] for t in contenders)} taking turns, {n} rounds of "
      f"{args.round_seconds} s (each round's ratios compare neighbours in time; the JIT gateway warmed with load first):")
    w("")
    w("| round | " + " | ".join(names[t] for t in contenders) + " | " + " | ".join(f"{names[t]} / nginx" for t in contenders[1:]) + " |")
    w("|---:|" + "---:|" * (2 * len(contenders) - 1))
    for i in range(n):
        w(f"| {i + 1} | " + " | ".join(f"{rounds[t][i]:,.0f}" for t in contenders) + " | "
          + " | ".join(f"{per_round[t][i]:.2f}" for t in contenders[1:]) + " |")
    w("| median | " + " | ".join(f"{median(rounds[t]):,.0f}" for t in contenders) + " | "
      + " | ".join(f"**{median(per_round[t]):.2f}**" for t in contenders[1:]) + " |")
    w("")
    ratio = median(per_round["gateway"])
    ratio_jit = median(per_round["gateway_jit"])
    ratio_bare = median(per_round["bare"])
    ratio_floor = median(rounds["gateway"][i] / rounds["bare"][i] for i in range(n))
    ratio_floor_jit = median(rounds["gateway_jit"][i] / rounds["bare"][i] for i in range(n))
    over = p50["gateway"] - p50["nginx"]
    gap = sse["gateway"]["max_gap_ms"] - sse["direct"]["max_gap_ms"]
    over_jit = p50["gateway_jit"] - p50["nginx"]
    gap_jit = sse["gateway_jit"]["max_gap_ms"] - sse["direct"]["max_gap_ms"]
    w("| issue 11's target | measured | met |")
    w("|---|---:|:---:|")
    w(f"| requests/s at 64 connections, gateway on the JIT (`dotnet run`) / nginx >= 0.5 (median of the alternated rounds) | {ratio_jit:.2f} | {'yes' if ratio_jit >= 0.5 else 'NO'} |")
    w(f"| the same, gateway as the NativeAOT binary (`apikeys serve`) / nginx >= 0.5 | {ratio:.2f} | {'yes' if ratio >= 0.5 else 'NO'} |")
    w(f"| the same, the bare .NET proxy / nginx: the stack's own ceiling | {ratio_bare:.2f} | {'yes' if ratio_bare >= 0.5 else 'no'} |")
    w(f"| gateway (JIT) / the bare .NET proxy: what the gateway's work costs | {ratio_floor_jit:.2f} | - |")
    w(f"| gateway (NativeAOT) / the bare .NET proxy | {ratio_floor:.2f} | - |")
    w(f"| added p50 at 1 connection, gateway - nginx <= 1 ms | {over:.3f} ms | {'yes' if over <= 1 else 'NO'} |")
    w(f"| the same, gateway (JIT) - nginx | {over_jit:.3f} ms | {'yes' if over_jit <= 1 else 'NO'} |")
    w(f"| largest SSE gap, gateway - direct <= 5 ms | {gap:.2f} ms | {'yes' if gap <= 5 else 'NO'} |")
    w(f"| the same, gateway (JIT) - direct | {gap_jit:.2f} ms | {'yes' if gap_jit <= 5 else 'NO'} |")
    w(f"| keys or tokens in the gateway's logs = 0 | {logs['leaks'] + logs['shaped']:.0f} | {'yes' if logs['leaks'] + logs['shaped'] == 0 else 'NO'} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
