"""Load and overload of `stratamem serve` (issue 9): an asyncio client with N
concurrent connections sends searches (and one save in ten) for a fixed time
per concurrency level, against a real server on 127.0.0.1 with a preloaded
store. Records per level: throughput (answered requests/s), p50/p99 latency of
the answered ones, 503 shed rate (and the p99 time to a 503), other errors,
and the server's RSS. Bounded in count and time; stops by itself.

    python bench/load_bench.py [--levels 1,8,32,64,128] [--seconds 10] [--threads 8] [--max-queue 16]

Writes bench/results/load.json and prints a table with the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "python"))
from test_serve_rest import ServeProcess  # noqa: E402

WORDS = ["python", "rust", "tea", "coffee", "jazz", "hiking", "chess", "lyon", "vim", "postgres"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def level(url: str, clients: int, seconds: float) -> dict:
    ok: list[float] = []
    shed: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers={"X-Stratamem-User": "load"}, timeout=60,
                                 limits=limits) as client:
        async def worker(w: int) -> None:
            nonlocal errors
            i = 0
            while time.monotonic() < deadline:
                i += 1
                start = time.monotonic()
                try:
                    if i % 10 == 0:
                        r = await client.post("/v1/memories", json={"content": f"worker {w} note {i} about {WORDS[i % 10]}"})
                    else:
                        r = await client.post("/v1/memories/search", json={"query": f"{WORDS[(w + i) % 10]} preferences", "top_k": 5})
                except httpx.HTTPError:
                    errors += 1
                    continue
                took = time.monotonic() - start
                if r.status_code in (200, 201):
                    ok.append(took)
                elif r.status_code == 503:
                    shed.append(took)
                    await asyncio.sleep(float(r.headers.get("Retry-After", "1")) / 10)  # a polite client, shortened
                else:
                    errors += 1
        await asyncio.gather(*(worker(w) for w in range(clients)))
    total = len(ok) + len(shed) + errors
    return {"clients": clients, "answered": len(ok), "throughput_rps": len(ok) / seconds,
            "p50_ms": pct(ok, 0.50) * 1000, "p99_ms": pct(ok, 0.99) * 1000,
            "shed": len(shed), "shed_rate": len(shed) / total if total else 0.0,
            "p99_ms_to_503": pct(shed, 0.99) * 1000, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="1,8,32,64,128")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--max-queue", type=int, default=16)
    parser.add_argument("--memories", type=int, default=500)
    args = parser.parse_args()
    rows = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        with ServeProcess(Path(tmp) / "load.db", "--quiet", "--threads", str(args.threads),
                          "--max-queue", str(args.max_queue)) as s:
            with httpx.Client(base_url=s.url, headers={"X-Stratamem-User": "load"}, timeout=60) as c:
                for i in range(args.memories):
                    c.post("/v1/memories", json={"content": f"seed memory {i}: likes {WORDS[i % 10]} and {WORDS[(i * 7) % 10]}"})
            for n in [int(x) for x in args.levels.split(",")]:
                row = asyncio.run(level(s.url, n, args.seconds))
                row["rss_mb"] = rss_mb(s.proc.pid)
                row["load_average"] = os.getloadavg()[0]
                rows.append(row)
                print(f"{n:>4} clients: {row['throughput_rps']:7.1f} req/s  p50 {row['p50_ms']:7.1f} ms  "
                      f"p99 {row['p99_ms']:8.1f} ms  shed {row['shed_rate']:6.1%} (p99 to 503 {row['p99_ms_to_503']:.1f} ms)  "
                      f"errors {row['errors']}  RSS {row['rss_mb']:.0f} MB  load {row['load_average']:.2f}", flush=True)
    out = ROOT / "bench" / "results" / "load.json"
    out.write_text(json.dumps({"threads": args.threads, "max_queue": args.max_queue, "seconds_per_level": args.seconds,
                               "load_average_before": load_before, "levels": rows}, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
