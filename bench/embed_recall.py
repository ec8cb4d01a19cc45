"""Retrieval quality of the embedders alone (exact cosine, vector signal only),
per model and precision, on both development sets:

* LoCoMo (categories 1-4, R@10): each conversation's turns embedded as
  passages (the same text the LoCoMo harness saves), each question as a query;
* PrefEval explicit preferences (hit@10): the 1,000 preferences as passages of
  one user, each question as a query.

This is what int8 costs, and what each model's vector signal is worth before
any fusion (fusion and the default are measured by bench/locomo and the
PrefEval bench). Prints a table, writes bench/results/embed_recall.json.
Run:  python3 bench/embed_recall.py [--models e5-small-v2 ...] [--precisions float32 int8]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stratamem import _core  # noqa: E402
from embed_bench import FULL_NAMES, model_dir  # noqa: E402
from locomo import data, metrics  # noqa: E402

PREFEVAL = data.REPO.parent / "shared" / "data" / "prefeval" / "explicit_preference"
QUERY, PASSAGE = _core.EmbedKind.QUERY, _core.EmbedKind.PASSAGE


def unit(vectors) -> np.ndarray:
    return np.asarray(vectors, dtype=np.float32)


def locomo_recall(embedder, conversations) -> dict:
    rows = []
    for conv in conversations:
        turns = unit(embedder.embed([data.turn_text(t) for t in conv.turns], PASSAGE))
        ids = [t.dia_id for t in conv.turns]
        qs = [q for q in conv.questions if 1 <= q.category <= 4 and q.evidence]
        queries = unit(embedder.embed([q.question for q in qs], QUERY))
        scores = queries @ turns.T
        for q, row in zip(qs, scores):
            ranked = [ids[i] for i in np.argsort(-row)[:10]]
            rows.append((q.category, {"r@10": metrics.recall_at(ranked, set(q.evidence), 10)}))
    agg = metrics.aggregate(rows)
    return {g: round(100 * v["r@10"], 1) for g, v in agg.items()}


def prefeval_hits(embedder, path: Path) -> dict:
    items = []
    for f in sorted(path.glob("*.json")):
        items += json.loads(f.read_text())
    prefs = unit(embedder.embed([i["preference"] for i in items], PASSAGE))
    questions = unit(embedder.embed([i["question"] for i in items], QUERY))
    ranks = []
    for i, row in enumerate(questions @ prefs.T):
        ranks.append(int((row > row[i]).sum()))
    ranks = np.asarray(ranks)
    return {"n": len(items), "hit@1": round(100 * float((ranks < 1).mean()), 1),
            "hit@10": round(100 * float((ranks < 10).mean()), 1),
            "mrr": round(float((1.0 / (ranks + 1)).mean()), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="*", default=list(FULL_NAMES))
    ap.add_argument("--precisions", nargs="*", default=["float32", "int8"])
    ap.add_argument("--locomo", help="locomo10.json (default $STRATAMEM_LOCOMO or ../shared/...)")
    ap.add_argument("--prefeval", default=str(PREFEVAL))
    ap.add_argument("--sets", nargs="*", default=["locomo", "prefeval"])
    ap.add_argument("--convs", type=int, default=0, help="only the first N LoCoMo conversations")
    ap.add_argument("--out", default=str(data.REPO / "bench" / "results" / "embed_recall.json"))
    args = ap.parse_args()
    conversations = data.load(data.data_path(args.locomo))
    if args.convs:
        conversations = conversations[:args.convs]
    load_start = os.getloadavg()[0]
    rows = []
    for short in args.models:
        mdir = model_dir(short)
        for precision in args.precisions:
            t0 = time.perf_counter()
            e = _core.Embedder(model_dir=mdir, num_threads=1, batch_size=32, precision=precision)
            row = {"model": short, "precision": precision}
            if "prefeval" in args.sets:
                row["prefeval"] = prefeval_hits(e, Path(args.prefeval))
            if "locomo" in args.sets:
                row["locomo_r@10"] = locomo_recall(e, conversations)
                row["locomo_conversations"] = len(conversations)
            row["seconds"] = round(time.perf_counter() - t0, 1)
            rows.append(row)
            print(json.dumps(row), flush=True)
    result = {"method": "exact cosine, vector signal only, model prefixes on",
              "load_average_at_start": load_start, "load_average_at_end": os.getloadavg()[0],
              "rows": rows}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
