"""Scale benchmark through the Python API: synthetic stores of N memories.

    nice python3 bench/scale_bench.py [--sizes 100000,1000000] [--users 10000,1]
                                      [--queries 200] [--saves 100] [--out FILE]

For each (size, users) layout, in a fresh child process (so RSS is its own):
bulk ingest with ``save_many`` in batches of 10,000 and ``dedup=False``; close;
reopen (time to open and to answer the first query); when that query started
the background HNSW build (AUTO, one user holding many rows), the time until
the index is ready; search p50/p99 with the caches off (hybrid, top 10, a random
user per query; also text-only and vector-only); the same searches answered from
the query cache; single ``save`` p50/p99 (dedup on, fsync'd); file size and
resident memory. Writes the JSON, a Markdown table (stdout) and a PNG chart.

The fill uses the ``hash`` embedder backend. Embedding 1M texts with the real
model takes about an hour on one core, and the Python API has no way to store
a precomputed vector, and a store filled with hash vectors refuses to open with
the real model (by design: vectors of different models must not mix). So the
store's own costs (SQL, FTS5, vector scan, fusion) are measured on hash
vectors, and the real query embedding (bundled all-MiniLM-L6-v2, native, one
thread) is timed on the same queries in the same process; "search + embed"
adds the two per query. The C++ ``store_bench`` measures the same with real
vectors end to end (see docs/evaluation.md).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SUBJECTS = ["I", "My sister", "The team", "Our client", "My manager", "Bob", "Alice", "The new hire"]
VERBS = ["prefers", "dislikes", "started using", "switched to", "recommends", "is learning",
         "wrote a report on", "asked about", "deployed", "benchmarked"]
OBJECTS = ["Python for backend work", "Rust for the parser", "uv instead of pip",
           "PostgreSQL with pgvector", "a standing desk", "green tea in the morning",
           "the Berlin office", "Kubernetes on bare metal", "vim keybindings",
           "weekly planning on Mondays", "hiking in the Alps", "a sourdough starter",
           "TypeScript for the dashboard", "dark mode everywhere", "Neo4j for the graph"]
TAILS = ["last week", "since March", "for the migration", "because it is faster",
         "after the outage", "on Fridays", "for the demo", "at the offsite"]
QUERIES = ["what language for the backend", "package manager", "which database",
           "morning drink", "where is the office", "editor preferences", "weekend hobbies",
           "frontend framework", "deployment platform", "planning meetings"]


def sentence(rng: random.Random, i: int) -> str:
    return (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(TAILS)} (note {i})")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)] if ordered else 0.0


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())


def run_one(size: int, users: int, queries: int, saves: int, batch: int) -> dict:
    from stratamem import SyncMemory, _core, bundled_model_dir
    rng = random.Random(42)
    tmp = Path(tempfile.mkdtemp(prefix="scale-", dir=os.environ.get("SCALE_TMP")))
    db = str(tmp / "m.db")
    # Caches off for the timed searches (a repeated query would be answered
    # from the cache); the cached path is timed separately below.
    cfg = {"embedder_backend": "hash", "vector_dimension": 384, "cache_enabled": False}
    out: dict = {"size": size, "users": users, "fill_embedder": "hash-384"}

    mem = SyncMemory(db_path=db, durability="normal", **cfg)
    t0 = time.perf_counter()
    for start in range(0, size, batch):
        mem.save_many([{"content": sentence(rng, i), "user_id": f"u{i % users}", "dedup": False}
                       for i in range(start, min(size, start + batch))])
    out["ingest_seconds"] = time.perf_counter() - t0
    out["ingest_per_second"] = size / out["ingest_seconds"]
    mem.close()
    out["file_bytes"] = dir_bytes(tmp)

    t0 = time.perf_counter()
    mem = SyncMemory(db_path=db, **cfg)
    out["open_ms"] = 1000 * (time.perf_counter() - t0)
    mem.search(QUERIES[0], user_id="u0", top_k=10)
    out["open_and_first_query_ms"] = 1000 * (time.perf_counter() - t0)
    out["index_source_after_first_query"] = mem.stats()["ann"]["source"]
    if out["index_source_after_first_query"] == "building":
        while mem.stats()["ann"]["source"] == "building":
            time.sleep(0.5)
        out["index_build_seconds"] = time.perf_counter() - t0
    out["index_source"] = mem.stats()["ann"]["source"]

    qs = [(rng.choice(QUERIES), f"u{rng.randrange(users)}") for _ in range(queries)]
    search_s = []
    for q, u in qs:
        t = time.perf_counter()
        mem.search(q, user_id=u, top_k=10)
        search_s.append(time.perf_counter() - t)
    # The same queries by one signal only: shows which part of hybrid costs what.
    for mode in ("text", "vector"):
        mode_s = []
        for q, u in qs:
            t = time.perf_counter()
            mem.search(q, user_id=u, top_k=10, mode=mode)
            mode_s.append(time.perf_counter() - t)
        out[f"search_store_{mode}_p50_ms"] = 1000 * pct(mode_s, 50)
        out[f"search_store_{mode}_p99_ms"] = 1000 * pct(mode_s, 99)
    embedder = _core.Embedder(backend=0, model_dir=bundled_model_dir(), num_threads=1)
    embedder.embed(["warm up"])
    embed_s = []
    for q, _ in qs:
        t = time.perf_counter()
        embedder.embed([q])
        embed_s.append(time.perf_counter() - t)
    both = [a + b for a, b in zip(search_s, embed_s)]
    for name, vals in (("search_store", search_s), ("query_embed_native", embed_s),
                       ("search_plus_embed", both)):
        out[f"{name}_p50_ms"] = 1000 * pct(vals, 50)
        out[f"{name}_p99_ms"] = 1000 * pct(vals, 99)

    # The same searches again on a store with the query cache on: answered
    # from the cache (each (query, user) pair was asked once before).
    mem.close()
    mem = SyncMemory(db_path=db, **{**cfg, "cache_enabled": True})
    for q, u in qs:
        mem.search(q, user_id=u, top_k=10)
    cached_s = []
    for q, u in qs:
        t = time.perf_counter()
        mem.search(q, user_id=u, top_k=10)
        cached_s.append(time.perf_counter() - t)
    out["search_cached_p50_ms"] = 1000 * pct(cached_s, 50)
    out["query_cache_hit_rate"] = mem.stats()["cache"]["query"]["hit_rate"]

    save_s = []
    for i in range(saves):   # fsync'd commit (durability "full"), dedup check on
        t = time.perf_counter()
        mem.save(sentence(rng, size + i), user_id=f"u{rng.randrange(users)}")
        save_s.append(time.perf_counter() - t)
    out["save_p50_ms"] = 1000 * pct(save_s, 50)
    out["save_p99_ms"] = 1000 * pct(save_s, 99)
    out["rss_mb"] = rss_mb()
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["loadavg_1m"] = os.getloadavg()[0]
    mem.close()
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--users", default="10000,1")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--saves", type=int, default=100)
    ap.add_argument("--batch", type=int, default=10000)
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "scale.json"))
    ap.add_argument("--chart", default=str(REPO / "bench" / "results" / "scale.png"))
    ap.add_argument("--one", help=argparse.SUPPRESS)   # "size,users": run in this process
    args = ap.parse_args()
    if args.one:
        size, users = map(int, args.one.split(","))
        print(json.dumps(run_one(size, users, args.queries, args.saves, args.batch)))
        return 0
    rows = []
    for size in map(int, args.sizes.split(",")):
        for users in map(int, args.users.split(",")):
            print(f"== {size} memories, {users} users", file=sys.stderr, flush=True)
            proc = subprocess.run([sys.executable, __file__, "--one", f"{size},{users}",
                                   "--queries", str(args.queries), "--saves", str(args.saves),
                                   "--batch", str(args.batch)],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                rows.append({"size": size, "users": users, "error": proc.stderr[-1500:]})
                print(proc.stderr[-1500:], file=sys.stderr)
                continue
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
            Path(args.out).write_text(json.dumps(rows, indent=1) + "\n")
    print(table(rows))
    chart(rows, args.chart)
    return 0


def table(rows: list[dict]) -> str:
    lines = ["| memories | users | ingest/s | search+embed p50 / p99 ms | BM25 part p50 ms"
             " | vector part p50 ms | cached search p50 ms | save p50 / p99 ms"
             " | open + 1st query ms | HNSW build s | RSS MB | file MB |", "| --- " * 12 + "|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['size']} | {r['users']} | failed: see JSON |" + " |" * 9)
            continue
        build = r.get("index_build_seconds")
        lines.append(
            f"| {r['size']:,} | {r['users']:,} | {r['ingest_per_second']:,.0f} | "
            f"{r['search_plus_embed_p50_ms']:.2f} / {r['search_plus_embed_p99_ms']:.2f} | "
            f"{r['search_store_text_p50_ms']:.2f} | {r['search_store_vector_p50_ms']:.2f} | "
            f"{r['search_cached_p50_ms']:.3f} | "
            f"{r['save_p50_ms']:.2f} / {r['save_p99_ms']:.2f} | "
            f"{r['open_and_first_query_ms']:.0f} | {'-' if build is None else f'{build:.0f}'} | "
            f"{r['rss_mb']:.0f} | {r['file_bytes'] / 1e6:.0f} |")
    return "\n".join(lines)


def chart(rows: list[dict], path: str) -> None:
    """Search p50 / p99 (store + query embedding) and save p50 per layout, log scale."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in rows if "error" not in r]
    labels = [f"{r['size'] // 1000:,}k / {r['users']:,} user{'s' if r['users'] > 1 else ''}"
              for r in rows]
    series = [("search + embed p50", "search_plus_embed_p50_ms"),
              ("search + embed p99", "search_plus_embed_p99_ms"),
              ("cached search p50", "search_cached_p50_ms"),
              ("save p50 (fsync)", "save_p50_ms")]
    fig, ax = plt.subplots(figsize=(10, 4.8))
    width = 0.8 / len(series)
    for i, (name, key) in enumerate(series):
        ax.bar([x + i * width for x in range(len(rows))], [r[key] for r in rows], width, label=name)
    ax.axhline(5, color="gray", linestyle="--", linewidth=1)
    ax.text(len(rows) - 0.5, 5.4, "5 ms target (1M / 10k users)", ha="right", fontsize=8, color="gray")
    ax.set_yscale("log")
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(rows))])
    ax.set_xticklabels(labels)
    ax.set_ylabel("milliseconds (log scale)")
    ax.set_title("stratamem at scale: one core, hash-filled stores, real query embedding")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
