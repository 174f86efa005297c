"""A small, bounded load generator for 127.0.0.1: N threads, each with its own connection, send
requests back to back (a closed loop) for a fixed time after a warm-up, and we report the
latency percentiles and the rate.

Only loopback addresses are accepted; every run stops by itself after ``warmup + duration``
seconds (at most 65) or ``max_requests`` requests, whichever comes first.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

MAX_SECONDS = 65


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    body: bytes | None = None
    expect: tuple[int, ...] = (200,)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def run(
    host: str,
    port: int,
    make_request: Callable[[int], Request | None],
    *,
    concurrency: int,
    duration: float,
    warmup: float = 5.0,
    max_requests: int = 100_000,
) -> dict:
    """Run ``concurrency`` threads; ``make_request(thread_index)`` gives each next request (None:
    the thread stops, e.g. when the filing pool is used up). Returns p50/p95/p99 in ms, the
    requests per second of the measured window, the statuses and the error count, and how many
    requests were answered in all (``answered``, the warm-up's too)."""
    if not host.startswith("127.") and host not in ("localhost", "::1"):
        raise ValueError("load: only loopback addresses")
    if warmup + duration > MAX_SECONDS:
        raise ValueError(f"load: a run is at most {MAX_SECONDS} s")
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + duration
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    sent = [0]
    answered = [0]  # warm-up included: the CPU a run used is shared by all of them

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        local_lat, local_status, local_err, local_answered = [], Counter(), [], 0
        while True:
            now = time.perf_counter()
            if now >= stop_at:
                break
            with lock:
                if sent[0] >= max_requests:
                    break
                sent[0] += 1
            req = make_request(index)
            if req is None:
                break
            t0 = time.perf_counter()
            try:
                conn.request(req.method, req.path, body=req.body, headers=req.headers)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
                if resp.getheader("connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                status = 0
                local_err.append(repr(exc))
            t1 = time.perf_counter()
            local_answered += status != 0
            if t0 >= measure_from and t1 <= stop_at:
                local_lat.append((t1 - t0) * 1000)
                local_status[status] += 1
                if status not in req.expect:
                    local_err.append(f"{req.method} {req.path} → {status}")
        conn.close()
        with lock:
            answered[0] += local_answered
            latencies.extend(local_lat)
            statuses.update(local_status)
            errors.extend(local_err)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(MAX_SECONDS + 35)
    window = min(duration, max(0.001, time.perf_counter() - measure_from))
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "answered": answered[0],  # the warm-up's and the window's
        "seconds": round(window, 1),
        "rps": round(len(latencies) / window, 1),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": len(errors),
        "first_errors": errors[:3],
    }
