"""Recall of every model x signal on both development sets, through the public API.

    python -m bench.recall.run [--models minilm,bge,e5] [--sets locomo,prefeval,...]
                               [--modes hybrid,vector,text] [--out FILE]

One store per instance (``SyncMemory`` on a temp file, caches off so every
search pays its query embedding), every memory saved at user scope with
``dedup=False`` through ``save_many``, every question searched (top 20) from
that user's context. LoCoMo: recall@k per category (headline: categories 1-4,
R@10). PrefEval: hit@1/5/10 and MRR of the question's own preference among all
1,000 (``prefeval``) and with 50 / 200 / 1,000 LoCoMo turns added as
distractors (``prefeval+N``). Writes JSON (aggregates, and the latency and
machine load of each run).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.locomo import metrics

from . import sets

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results"

#: How each model is asked for through MemoryConfig.
MODELS = {
    "minilm": {"embedder_model": "sentence-transformers/all-MiniLM-L6-v2"},
    "bge": {"embedder_model": "BAAI/bge-small-en-v1.5"},
    "e5": {"embedder_model": "intfloat/e5-small-v2"},
}
MODES = ("hybrid", "vector", "text")
SETS = ("locomo", "prefeval", "prefeval+50", "prefeval+200", "prefeval+1000")
K = 20


def instances(name: str) -> list[sets.Instance]:
    if name == "locomo":
        return sets.locomo()
    n = int(name.split("+", 1)[1]) if "+" in name else 0
    return [sets.prefeval_set(n)]


def run_set(name: str, model: str, modes, config: dict) -> dict:
    from stratamem import SyncMemory
    rows = {m: [] for m in modes}
    lat = {m: [] for m in modes}
    add_s = 0.0
    for inst in instances(name):
        with tempfile.TemporaryDirectory(prefix="recall-") as tmp:
            mem = SyncMemory(db_path=str(Path(tmp) / "m.db"), durability="normal",
                             cache_enabled=False, **config)
            try:
                t0 = time.perf_counter()
                mem.save_many([{"content": d.text, "user_id": inst.user, "dedup": False,
                                "metadata": {"key": d.key}} for d in inst.docs])
                add_s += time.perf_counter() - t0
                for q in inst.queries:
                    for mode in modes:
                        t0 = time.perf_counter()
                        hits = mem.search(q.text, user_id=inst.user, top_k=K, mode=mode)
                        lat[mode].append(time.perf_counter() - t0)
                        ranked = [h.metadata["key"] for h in hits]
                        group = int(q.group) if name == "locomo" else 1
                        rows[mode].append((group, metrics.score_question(ranked, set(q.relevant))))
            finally:
                mem.close()
        print(f"  {model} {name} {inst.name} done", file=sys.stderr, flush=True)
    ndocs = sum(len(i.docs) for i in instances(name))
    return {mode: {"metrics": metrics.aggregate(rows[mode]),
                   "search_latency": metrics.latency_summary(lat[mode]),
                   "add_ms_per_memory": 1000 * add_s / ndocs,
                   "loadavg_1m_at_end": os.getloadavg()[0]} for mode in modes}


def headline(set_name: str, res: dict) -> float:
    """LoCoMo: R@10 of categories 1-4; PrefEval: hit@10."""
    m = res["metrics"]
    return m["1-4"]["recall@10"] if set_name == "locomo" else m["1"]["hit@10"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default="minilm")
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--out", default=str(RESULTS / "recall.json"))
    args = ap.parse_args(argv)
    out_path = Path(args.out)
    payload = json.loads(out_path.read_text()) if out_path.exists() else {"results": {}}
    for model in args.models.split(","):
        for set_name in args.sets.split(","):
            res = run_set(set_name, model, args.modes.split(","), MODELS[model])
            for mode, r in res.items():
                payload["results"][f"{set_name}/{model}/{mode}"] = {
                    "set": set_name, "model": model, "mode": mode, **r}
                print(f"{set_name:14} {model:7} {mode:7} {100 * headline(set_name, r):5.1f}  "
                      f"p50 {r['search_latency']['p50_ms']:.1f} ms", flush=True)
            out_path.write_text(json.dumps(payload, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
