#!/usr/bin/env python3
"""Reads the failover run's gateway log (stdin): the medians of the access log's latencies of the successful requests that
met the failing key (retries=1) and of those that did not (retries=0). Prints one line for bench/gateway/report.py."""
import re
import statistics
import sys

by = {0: [], 1: []}
for line in sys.stdin:
    m = re.search(r"AccessLogObserver\[3001\]: POST \S+ 200 Forwarded in ([0-9.]+) ms .* retries=([0-9]+)", line)
    if m and int(m.group(2)) in by:
        by[int(m.group(2))].append(float(m.group(1)))
if not by[0] or not by[1]:
    sys.exit(f"failover_log.py: {len(by[1])} requests with a failover, {len(by[0])} without: nothing to compare")
print(f"failover.log plain_n={len(by[0])} plain_p50_ms={statistics.median(by[0]):.3f} "
      f"retried_n={len(by[1])} retried_p50_ms={statistics.median(by[1]):.3f}")
