"""What graph expansion costs a search at 10k and 100k memories of one user.

    nice python -m bench.graph.scale_graph [--sizes 10000,100000] [--queries 200] [--out FILE]

One user's store of N synthetic notes, each naming two of 2,000 people and
one of 300 places (so every person is in about N/1,000 notes: seeds with long
mention lists, the expensive case), filled with the ``hash`` embedder (the
store's own costs: SQL, FTS5, vector scan, expansion; query embedding is the
same with the graph on or off and is timed in ``bench/scale_bench.py``).
Hybrid searches (top 10, caches off) that name one person, timed with
``include_graph`` off and on; also the fill rate (the extractor runs on every
save) and the file size. Prints a Markdown table, writes JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from ..locomo import data as locomo_data

RESULTS = locomo_data.REPO / "bench" / "results"
FIRST = ["Alice", "Bruno", "Chen", "Dara", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jana",
         "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq"]
LAST = [f"{a}{b}" for a in ("Ver", "Kal", "Mor", "Sil", "Dun", "Bra", "Tol", "Nes", "Hal", "Rin")
        for b in ("stad", "berg", "ova", "ell", "ano", "ski", "wood", "ton", "sen", "ari")]
PLACES = [f"{a}{b}" for a in ("Port", "Lake", "North", "East", "Glen", "Ash", "Bay", "Stone", "Mill", "Fair",
                              "Red", "Oak", "Elm", "Iron", "Silver") for b in ("haven", "field", "ford", "mouth",
                              "ridge", "dale", "wick", "by", "stead", "holm", "brook", "gate", "moor", "crest",
                              "vale", "worth", "ton", "well", "combe", "shaw")]
ACTS = ["met", "called", "had lunch with", "reviewed the budget with", "went hiking with", "emailed"]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)] if ordered else 0.0


def people() -> list[str]:
    return [f"{f} {l}" for f in FIRST for l in LAST]  # 2,000 full names


def note(rng: random.Random, names: list[str], i: int) -> str:
    a, b = rng.sample(names, 2)
    return f"On day {i} {a} {rng.choice(ACTS)} {b} in {rng.choice(PLACES)} about the quarterly plan."


def run_one(size: int, queries: int) -> dict:
    from stratamem import SyncMemory
    rng = random.Random(7)
    names = people()
    tmp = Path(tempfile.mkdtemp(prefix="graph-scale-", dir=os.environ.get("SCALE_TMP")))
    cfg = {"embedder_backend": "hash", "vector_dimension": 384, "cache_enabled": False}
    out: dict = {"size": size, "users": 1}
    with SyncMemory(db_path=str(tmp / "m.db"), durability="normal", **cfg) as mem:
        t0 = time.perf_counter()
        for start in range(0, size, 5000):
            mem.save_many([{"content": note(rng, names, i), "user_id": "u", "dedup": False}
                           for i in range(start, min(size, start + 5000))])
        out["fill_per_second"] = size / (time.perf_counter() - t0)
        out["file_mb"] = sum(p.stat().st_size for p in tmp.iterdir()) / 1e6
        qs = [f"What did {rng.choice(names)} talk about in {rng.choice(PLACES)}?" for _ in range(queries)]
        mem.search(qs[0], user_id="u", top_k=10)  # warm
        for graph in (False, True):
            times = []
            for q in qs:
                t = time.perf_counter()
                mem.search(q, user_id="u", top_k=10, include_graph=graph)
                times.append(time.perf_counter() - t)
            key = "on" if graph else "off"
            out[f"graph_{key}_p50_ms"] = 1000 * pct(times, 50)
            out[f"graph_{key}_p99_ms"] = 1000 * pct(times, 99)
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--out", default=str(RESULTS / "graph-scale.json"))
    args = ap.parse_args(argv)
    load_before = os.getloadavg()[0]
    rows = [run_one(int(n), args.queries) for n in args.sizes.split(",")]
    result = {"rows": rows, "loadavg_1m_before": load_before, "loadavg_1m_at_end": os.getloadavg()[0],
              "cpus": os.cpu_count()}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(table(result))
    return 0


def table(result: dict) -> str:
    lines = ["| memories (1 user) | fill / s | file MB | search p50 graph off | on | p99 off | on |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in result["rows"]:
        lines.append(f"| {r['size']:,} | {r['fill_per_second']:.0f} | {r['file_mb']:.0f} | "
                     f"{r['graph_off_p50_ms']:.1f} ms | {r['graph_on_p50_ms']:.1f} ms | "
                     f"{r['graph_off_p99_ms']:.1f} ms | {r['graph_on_p99_ms']:.1f} ms |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
