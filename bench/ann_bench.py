"""HNSW index quality and size: float32 vs compact (f16, i8) vectors, against the exact scan.

    python3 bench/ann_bench.py [--synthetic 100000] [--queries 200] [--out FILE]

Two data sets, each in one user so that every query could see every row:

- ``locomo``: every turn of the ten LoCoMo conversations (about 5.9k, real text,
  the bundled all-MiniLM-L6-v2) searched with the 1,986 questions;
- ``synthetic``: N hash-embedded sentences (the scale benchmark's generator; real
  embedding of 100k texts takes too long on one core) and random queries.

The store is filled once, then opened with ``vector_backend="exact"`` (the
ground truth) and with ``"hnsw"`` for each ``hnsw_scalar``, which builds that
index on open. For each: build seconds, sidecar size, recall@10 of the vector
search against the exact top 10 (by score, so tied rows count as found), and search p50 (vector mode, caches and
ranking signals off, so only the vector signal is compared).
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.scale_bench import QUERIES, pct, sentence  # noqa: E402
from stratamem import Ranking, SyncMemory  # noqa: E402

OFF = Ranking(recency=0, importance=0, access=0)
SCALARS = ("f32", "f16", "i8")


def search_all(mem: SyncMemory, queries: list[str]) -> tuple[list[list[float]], list[float]]:
    """Per query the cosines of the top 10, and the search times."""
    scores, seconds = [], []
    for q in queries:
        t = time.perf_counter()
        hits = mem.search(q, user_id="u", top_k=10, mode="vector", ranking=OFF)
        seconds.append(time.perf_counter() - t)
        scores.append([h.vector_score for h in hits])
    return scores, seconds


def recall(got: list[float], truth: list[float]) -> float:
    """The share of the exact top 10 that the index found, counted by score, not
    id: with tied cosines (duplicates, the synthetic set's shared words) any of
    the tied rows is an equally right answer."""
    if not truth:
        return 1.0
    bar = truth[-1] - 1e-6
    return min(sum(1 for g in got if g >= bar), len(truth)) / len(truth)


def measure(name: str, db: str, cfg: dict, queries: list[str]) -> list[dict]:
    with SyncMemory(db_path=db, vector_backend="exact", cache_enabled=False, **cfg) as mem:
        truth, exact_s = search_all(mem, queries)
    rows = [{"data": name, "index": "exact scan", "recall@10": 1.0,
             "search_p50_ms": 1000 * pct(exact_s, 50)}]
    for scalar in SCALARS:
        sidecar = Path(db + ".hnsw")
        if sidecar.exists():
            sidecar.unlink()
        t = time.perf_counter()
        mem = SyncMemory(db_path=db, vector_backend="hnsw", hnsw_scalar=scalar,
                         cache_enabled=False, **cfg)
        build_s = time.perf_counter() - t
        got, ann_s = search_all(mem, queries)
        mem.close()
        mean_recall = sum(recall(g, t) for g, t in zip(got, truth)) / len(queries)
        rows.append({"data": name, "index": f"HNSW {scalar}", "recall@10": mean_recall,
                     "search_p50_ms": 1000 * pct(ann_s, 50), "build_seconds": build_s,
                     "sidecar_mb": sidecar.stat().st_size / 1e6})
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


def locomo(tmp: Path) -> list[dict]:
    from bench.locomo import data
    convs = data.load(None)
    db = str(tmp / "locomo.db")
    with SyncMemory(db_path=db, durability="normal") as mem:
        for conv in convs:
            mem.save_many([{"content": data.turn_text(t), "user_id": "u", "dedup": False}
                           for t in conv.turns])
    queries = [q.question for conv in convs for q in conv.questions]
    return measure("LoCoMo turns, real model", db, {}, queries)


def synthetic(tmp: Path, size: int, n_queries: int) -> list[dict]:
    rng = random.Random(7)
    db = str(tmp / "synthetic.db")
    cfg = {"embedder_backend": "hash", "vector_dimension": 384}
    with SyncMemory(db_path=db, durability="normal", **cfg) as mem:
        for start in range(0, size, 10_000):
            mem.save_many([{"content": sentence(rng, i), "user_id": "u", "dedup": False}
                           for i in range(start, min(size, start + 10_000))])
    queries = [f"{rng.choice(QUERIES)} {rng.choice(QUERIES)}" for _ in range(n_queries)]
    return measure(f"{size:,} synthetic, hash vectors", db, cfg, queries)


def table(rows: list[dict]) -> str:
    lines = ["| data | index | recall@10 vs exact | search p50 ms | build s | sidecar MB |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for r in rows:
        build = f"{r['build_seconds']:.1f}" if "build_seconds" in r else "-"
        size = f"{r['sidecar_mb']:.1f}" if "sidecar_mb" in r else "-"
        lines.append(f"| {r['data']} | {r['index']} | {r['recall@10']:.3f} | "
                     f"{r['search_p50_ms']:.2f} | {build} | {size} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--synthetic", type=int, default=100_000, help="rows of the synthetic set (0: skip)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--skip-locomo", action="store_true")
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "ann.json"))
    args = ap.parse_args()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="ann-") as d:
        if not args.skip_locomo:
            rows += locomo(Path(d))
        if args.synthetic:
            rows += synthetic(Path(d), args.synthetic, args.queries)
    Path(args.out).write_text(json.dumps({"loadavg_1m": os.getloadavg()[0], "rows": rows}, indent=1) + "\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
