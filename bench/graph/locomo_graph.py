"""LoCoMo with and without graph expansion, fitted on one half, scored on the other.

    python -m bench.graph.locomo_graph [--data PATH] [--weights 0.1,0.2,0.3] [--out FILE]

Every conversation is stored once (turns as ``"<speaker>: <text>"`` saved with
``save_many``, entities found by the native extractor: no inline entities,
since no model runs here) and every question is searched (top 20, the default
ranking, as ``bench.locomo.run``'s ``hybrid``) with graph expansion off and on
at each weight. The weight is chosen on the fit half
(the even-numbered conversations in the file: conv-26, conv-41, ...) as the
one with the best multi-hop (category 1) recall@10 whose every category is at
least as good as with the graph off, then scored on the held-out half (the
odd-numbered ones) and on all ten. Latency is timed separately with the caches
off (search includes embedding the query).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from stratamem import SyncMemory

from ..locomo import data, metrics

RESULTS = data.REPO / "bench" / "results"
GROUPS = ("1-4", "1", "2", "3", "4", "5")


def store(conv: data.Conversation, path: str, **config) -> SyncMemory:
    mem = SyncMemory(db_path=path, durability="normal", **config)
    if mem.stats(user_id=conv.sample_id)["total"] == 0:
        mem.save_many([{"content": data.turn_text(t), "user_id": conv.sample_id,
                        "metadata": data.turn_metadata(t), "dedup": False} for t in conv.turns])
    return mem


def run_conversation(conv: data.Conversation, weights: list[float], tmp: str) -> dict:
    """Per weight (0 = graph off): (category, metrics) rows of this conversation."""
    path = str(Path(tmp) / f"{conv.sample_id}.db")
    rows: dict[float, list] = {w: [] for w in [0.0, *weights]}
    for w in rows:
        mem = store(conv, path, graph_weight=w if w > 0 else 0.3)
        try:
            for q in conv.questions:
                if not q.evidence:
                    continue
                hits = mem.search(q.question, user_id=conv.sample_id, top_k=20, include_graph=w > 0)
                rows[w].append((q.category, metrics.score_question(
                    [h.metadata["dia_id"] for h in hits], set(q.evidence))))
        finally:
            mem.close()
    return rows


def time_searches(conv: data.Conversation, tmp: str, weight: float, limit: int) -> dict:
    """Search latency with the caches off, graph off and on (ms per search, embedding included)."""
    path = str(Path(tmp) / f"{conv.sample_id}.db")
    mem = store(conv, path, cache_enabled=False, graph_weight=weight)
    out = {}
    try:
        questions = [q.question for q in conv.questions if q.evidence][:limit]
        for graph in (False, True):
            times = []
            for text in questions:
                t0 = time.perf_counter()
                mem.search(text, user_id=conv.sample_id, top_k=20, include_graph=graph)
                times.append(time.perf_counter() - t0)
            out["on" if graph else "off"] = metrics.latency_summary(times)
    finally:
        mem.close()
    return out


def summary(rows: list) -> dict:
    agg = metrics.aggregate(rows)
    return {g: {"recall@10": agg[g]["recall@10"], "mrr": agg[g]["mrr"], "n": agg[g]["n"]}
            for g in GROUPS if g in agg}


def no_category_falls(on: dict, off: dict) -> bool:
    return all(on[g]["recall@10"] >= off[g]["recall@10"] - 1e-9 for g in GROUPS if g in off)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", help="locomo10.json (default $STRATAMEM_LOCOMO or ../shared/...)")
    ap.add_argument("--weights", default="0.1,0.2,0.3,0.4,0.5")
    ap.add_argument("--timing-questions", type=int, default=100,
                    help="questions per conversation timed for latency")
    ap.add_argument("--conversations", type=int, default=0,
                    help="only the first N conversations (0: all ten); halves alternate as before")
    ap.add_argument("--out", default=str(RESULTS / "graph-locomo.json"))
    args = ap.parse_args(argv)
    weights = [float(w) for w in args.weights.split(",")]
    convs = data.load(args.data)
    if args.conversations > 0:
        convs = convs[:args.conversations]
    fit = [c for i, c in enumerate(convs) if i % 2 == 0]
    held = [c for i, c in enumerate(convs) if i % 2 == 1]
    per_conv: dict[str, dict] = {}
    latency: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="graph-locomo-") as tmp:
        for conv in convs:
            t0 = time.perf_counter()
            per_conv[conv.sample_id] = run_conversation(conv, weights, tmp)
            print(f"  {conv.sample_id}: {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
        chosen_for_timing = None

        def pooled(cs, w):
            return summary([r for c in cs for r in per_conv[c.sample_id][w]])

        fit_off = pooled(fit, 0.0)
        fit_table = {w: pooled(fit, w) for w in weights}
        ok = [w for w in weights if no_category_falls(fit_table[w], fit_off)]
        chosen = max(ok or weights, key=lambda w: fit_table[w]["1"]["recall@10"])
        chosen_for_timing = chosen
        for conv in convs:
            latency[conv.sample_id] = time_searches(conv, tmp, chosen_for_timing, args.timing_questions)
    result = {
        "data": str(data.data_path(args.data)),
        "conversations": [c.sample_id for c in convs],
        "fit": [c.sample_id for c in fit],
        "held_out": [c.sample_id for c in held],
        "weights": weights,
        "chosen_weight": chosen,
        "chosen_because": "best category-1 recall@10 on the fit half with no category below graph-off"
                          if ok else "no weight kept every category: best category-1 recall@10",
        "fit_half": {"off": fit_off, **{str(w): fit_table[w] for w in weights}},
        "held_out_half": {"off": pooled(held, 0.0), str(chosen): pooled(held, chosen)},
        "all": {"off": pooled(convs, 0.0), **{str(w): pooled(convs, w) for w in weights}},
        "latency_ms": latency,
        "loadavg_1m_at_end": os.getloadavg()[0],
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(report(result))
    return 0


def report(r: dict) -> str:
    def row(name, m):
        return "| " + name + " | " + " | ".join(f"{100 * m[g]['recall@10']:.1f}" for g in GROUPS) + " |"
    lines = ["| run | 1-4 | 1 multi-hop | 2 temporal | 3 open | 4 single | 5 adversarial |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    w = str(r["chosen_weight"])
    lines.append(row("fit half, graph off", r["fit_half"]["off"]))
    for k in map(str, r["weights"]):
        lines.append(row(f"fit half, graph {k}", r["fit_half"][k]))
    lines.append(row("held-out half, graph off", r["held_out_half"]["off"]))
    lines.append(row(f"held-out half, graph {w}", r["held_out_half"][w]))
    lines.append(row(f"all {len(r['conversations'])}, graph off", r["all"]["off"]))
    lines.append(row(f"all {len(r['conversations'])}, graph {w}", r["all"][w]))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
