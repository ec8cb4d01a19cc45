"""The relevance floor ``with_memory`` injects above, calibrated on both sets.

    python -m bench.recall.floor [--out FILE]

Two score populations, per model, on the engine's calibrated fused score
(``study``: every query word's attainable BM25, the model's cosine floor and
weight from src/search/calibration.cc):

- *relevant*: the fused score of each question's own memory when it reaches
  ``with_memory``'s top 5 (LoCoMo categories 1-4, PrefEval);
- *unrelated*: the best fused score of a question asked of a store that cannot
  answer it (LoCoMo questions against the 1,000 PrefEval preferences, PrefEval
  questions against each LoCoMo conversation).

A floor is chosen on one fold of both sets (the highest score that still keeps
95% of the relevant top-5 hits of each set: it may cost at most 5% of what
search finds) and checked on the other: what share of relevant top-5 hits it
keeps, what share of unrelated questions it still lets through. (Rejecting 95%
of unrelated questions instead would cost most of PrefEval: its relevant
memories score as low as the best unrelated ones, p10 0.22 vs median 0.20 with
MiniLM.)
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

from . import sets, study

REPO = Path(__file__).resolve().parents[2]
#: src/search/calibration.cc (kept in step by hand: the engine is the source).
CALIBRATION = {"minilm": (0.050, 0.55), "bge": (0.385, 0.70), "e5": (0.728, 0.625)}
TOP_K = 5            # with_memory's default
RELEVANT_KEPT = 0.95


def fused(p: study.Prepared, model: str) -> tuple[np.ndarray, np.ndarray]:
    floor, w = CALIBRATION[model]
    scores, mask, _ = study.method_scores(p, {"models": [model], "signal": "fused", "v": "mu", "t": "all", "w": w},
                                          {model: floor})
    return np.where(mask, scores, -1.0), mask


def relevant_scores(preps, model) -> list[tuple[int, float]]:
    """(fold, fused score) of each relevant memory that reaches the top 5."""
    out = []
    for p in preps:
        s, _ = fused(p, model)
        top = np.argsort(-s, axis=1)[:, :TOP_K]
        for qi, q in enumerate(p.inst.queries):
            if p.inst.name.startswith("locomo") and q.group not in "1234":
                continue
            for d in p.relevant[qi]:
                if d in top[qi]:
                    out.append((q.fold, float(s[qi, d])))
    return out


def best_scores(preps, model) -> list[tuple[int, float]]:
    out = []
    for p in preps:
        s, _ = fused(p, model)
        for qi, q in enumerate(p.inst.queries):
            out.append((q.fold, float(s[qi].max())))
    return out


def cross_instances() -> list[sets.Instance]:
    """Questions asked of stores that cannot answer them (no relevant memory)."""
    pref = sets.prefeval_set(0)
    loc = sets.locomo()
    loc_q = [q for inst in loc for q in inst.queries if q.group in "1234"]
    out = [sets.Instance("cross/locomo-q-prefeval-store", pref.user, pref.docs,
                         [sets.Query(q.key, q.text, frozenset(), q.group, q.fold) for q in loc_q])]
    for c, inst in enumerate(loc):   # each PrefEval question against one conversation
        qs = [q for i, q in enumerate(pref.queries) if i % len(loc) == c]
        out.append(sets.Instance(f"cross/prefeval-q-{inst.name}", inst.user, inst.docs,
                                 [sets.Query(q.key, q.text, frozenset(), q.group, q.fold) for q in qs]))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "relevance-floor.json"))
    args = ap.parse_args(argv)
    models = list(CALIBRATION)
    loc = study.load_prepared("locomo", sets.locomo, models)
    pref = study.load_prepared("prefeval0", lambda: [sets.prefeval_set(0)], models)
    cross = study.load_prepared("cross", cross_instances, models)
    out = {"loadavg_1m": os.getloadavg()[0], "top_k": TOP_K, "relevant_kept": RELEVANT_KEPT, "models": {}}
    for m in models:
        rel = {"locomo": relevant_scores(loc, m), "prefeval": relevant_scores(pref, m)}
        unrel = best_scores(cross, m)
        folds = []
        for fit in (0, 1):
            floor = min(float(np.quantile([s for f, s in r if f == fit], 1 - RELEVANT_KEPT))
                        for r in rel.values())
            u_held = np.array([s for f, s in unrel if f != fit])
            held = {"floor": floor, "unrelated_let_through": float((u_held >= floor).mean())}
            for name, r in rel.items():
                r_held = np.array([s for f, s in r if f != fit])
                held[f"{name}_relevant_kept"] = float((r_held >= floor).mean())
            folds.append(held)
        u_all = np.array([s for _, s in unrel])
        out["models"][m] = {"folds": folds, "floor_kept": round(float(np.mean([f["floor"] for f in folds])), 3),
                            "unrelated_best_p50": float(np.median(u_all)),
                            "relevant_p10": {n: float(np.quantile([s for _, s in r], 0.1)) for n, r in rel.items()}}
        out["models"][m]["_scores"] = (rel, unrel)
        print(m, json.dumps({k: v for k, v in out["models"][m].items() if k != "_scores"}), flush=True)
    # with_memory keeps one floor: the lowest model's, so no measured model
    # loses more than its share; each model's cost at that floor, all questions.
    common = min(v["floor_kept"] for v in out["models"].values())
    out["with_memory_floor"] = common
    for m, v in out["models"].items():
        rel, unrel = v.pop("_scores")
        v["at_with_memory_floor"] = {
            "unrelated_let_through": float(np.mean([s >= common for _, s in unrel])),
            **{f"{n}_relevant_kept": float(np.mean([s >= common for _, s in r])) for n, r in rel.items()}}
        print(m, "at", common, json.dumps(v["at_with_memory_floor"]), flush=True)
    out["reaches_the_model"] = reaches_the_model(models, common)
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    return 0


def reaches_the_model(models, floor: float) -> dict:
    """PrefEval with 0 / 50 / 200 / 1,000 other memories: the share of questions
    whose own preference is among with_memory's top 5, without and with the floor."""
    out = {}
    for n in (0, 50, 200, 1000):
        preps = study.load_prepared(f"prefeval{n}", lambda n=n: [sets.prefeval_set(n)], models)
        for m in models:
            p = preps[0]
            s, _ = fused(p, m)
            top = np.argsort(-s, axis=1)[:, :TOP_K]
            got = [(d in top[qi], float(s[qi, d])) for qi in range(len(p.inst.queries)) for d in p.relevant[qi]]
            out[f"prefeval+{n}/{m}"] = {"top5": float(np.mean([g for g, _ in got])),
                                       "top5_above_floor": float(np.mean([g and v >= floor for g, v in got]))}
            print(f"prefeval+{n} {m}: top 5 {100 * out[f'prefeval+{n}/{m}']['top5']:.1f}%, above the floor "
                  f"{100 * out[f'prefeval+{n}/{m}']['top5_above_floor']:.1f}%", flush=True)
    return out


if __name__ == "__main__":
    sys.exit(main())
