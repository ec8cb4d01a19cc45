"""PrefEval explicit preferences with and without graph expansion.

    python -m bench.graph.prefeval_graph [--data DIR] [--weight 0.3] [--out FILE]

Every ``preference`` of the 20 topic files (1,000 in all) is saved as a memory
of one user (entities by the native extractor), then every ``question`` is
searched (top 10) with graph expansion off and on: hit@1 / hit@5 / hit@10 and
MRR of the question's own preference. Data: ``$STRATAMEM_PREFEVAL``, ``--data``
or ``../shared/data/prefeval/explicit_preference`` (CC BY-NC 4.0: read, never
copied into the repository).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from stratamem import SyncMemory

from ..locomo import data as locomo_data

DEFAULT = locomo_data.REPO.parent / "shared" / "data" / "prefeval" / "explicit_preference"
RESULTS = locomo_data.REPO / "bench" / "results"


def load(path: str | None) -> list[dict]:
    root = Path(path or os.environ.get("STRATAMEM_PREFEVAL") or DEFAULT)
    items = []
    for f in sorted(root.glob("*.json")):
        for item in json.loads(f.read_text(encoding="utf-8")):
            items.append({"topic": f.stem, "preference": item["preference"], "question": item["question"]})
    return items


def evaluate(mem: SyncMemory, items: list[dict], ids: list[str], graph: bool) -> dict:
    hits = {1: 0, 5: 0, 10: 0}
    mrr = 0.0
    for item, want in zip(items, ids):
        ranked = [h.id for h in mem.search(item["question"], user_id="prefeval", top_k=10, include_graph=graph)]
        if want in ranked:
            rank = ranked.index(want) + 1
            mrr += 1 / rank
            for k in hits:
                hits[k] += rank <= k
    n = len(items)
    return {f"hit@{k}": v / n for k, v in hits.items()} | {"mrr": mrr / n, "n": n}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data")
    ap.add_argument("--weight", type=float, default=0.3)
    ap.add_argument("--out", default=str(RESULTS / "graph-prefeval.json"))
    args = ap.parse_args(argv)
    items = load(args.data)
    with tempfile.TemporaryDirectory(prefix="graph-prefeval-") as tmp:
        with SyncMemory(db_path=str(Path(tmp) / "p.db"), durability="normal", graph_weight=args.weight) as mem:
            ids = [str(s) for s in mem.save_many([{"content": it["preference"], "user_id": "prefeval",
                                                  "dedup": False} for it in items])]
            entities = len(mem.entities(user_id="prefeval", limit=10000))
            result = {"n": len(items), "weight": args.weight, "entities": entities,
                      "off": evaluate(mem, items, ids, False), "on": evaluate(mem, items, ids, True),
                      "loadavg_1m_at_end": os.getloadavg()[0]}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print("| graph | hit@1 | hit@5 | hit@10 | MRR |\n| --- | --- | --- | --- | --- |")
    for name in ("off", "on"):
        m = result[name]
        print(f"| {name} | {100 * m['hit@1']:.1f} | {100 * m['hit@5']:.1f} | {100 * m['hit@10']:.1f} | "
              f"{100 * m['mrr']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
