#!/usr/bin/env python3
"""The SSE probe of bench/gateway/run.sh: opens streams one after another and notes when each event arrives.

usage: sse_probe.py URL --streams N [--token-file FILE]
URL is a streamGenerateContent address (its ?chunks=N&gap=MS tell the fake upstream how to stream). The client token,
if any, is read from FILE (never from the command line). Prints one line:
RESULT streams=N events=E max_gap_ms=... p95_gap_ms=... p50_gap_ms=... first_event_ms=... (first_event_ms: median time to the first event)
"""
import argparse
import http.client
import statistics
import time
import urllib.parse


def one_stream(url, token):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["x-goog-api-key"] = token
    start = time.perf_counter()
    conn.request("POST", parts.path + ("?" + parts.query if parts.query else ""),
                 body='{"contents":[{"parts":[{"text":"Hello"}]}]}', headers=headers)
    response = conn.getresponse()
    if response.status != 200:
        raise SystemExit(f"sse_probe: {url} answered {response.status}: {response.read()[:200]!r}")
    arrivals, pending = [], b""
    while True:
        data = response.read1(65536)
        if not data:
            break
        now = time.perf_counter()
        pending += data.replace(b"\r\n", b"\n")
        while b"\n\n" in pending:
            _, pending = pending.split(b"\n\n", 1)
            arrivals.append(now)
    conn.close()
    return start, arrivals


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--streams", type=int, default=5)
    parser.add_argument("--token-file")
    args = parser.parse_args()
    token = open(args.token_file).readline().strip() if args.token_file else None
    gaps, firsts, events = [], [], 0
    for _ in range(args.streams):
        start, arrivals = one_stream(args.url, token)
        events += len(arrivals)
        firsts.append((arrivals[0] - start) * 1000)
        gaps += [(b - a) * 1000 for a, b in zip(arrivals, arrivals[1:])]
    gaps.sort()
    p95 = gaps[min(len(gaps) - 1, int(0.95 * len(gaps)))]
    print(f"RESULT streams={args.streams} events={events} max_gap_ms={gaps[-1]:.2f} p95_gap_ms={p95:.2f} p50_gap_ms={statistics.median(gaps):.2f} "
          f"first_event_ms={statistics.median(firsts):.2f}")


if __name__ == "__main__":
    main()
