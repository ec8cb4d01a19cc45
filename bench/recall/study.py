"""Offline fusion study: the engine's own candidate lists re-fused by candidate
calibrations, each choice fitted on one half and scored on the other.

    python -m bench.recall.study [--models minilm,bge,e5] [--out FILE]

For every question: the cosine of every memory (``reference_vectors``, exact)
and the engine's BM25 of every memory the full-text query matches, with the
query's term statistics (``candidates``). Candidates are, as in the engine, the
top ``depth`` memories by cosine and the top ``depth`` by BM25; a method maps
each signal to a comparable scale and mixes them. The ranking signals (recency,
importance, access) are left out: they carry no information on these sets.

Calibrations:
- text "best": BM25 / the query's best BM25 (the engine before this study);
  "attain": BM25 / the query's attainable score (sum of the idf of its terms
  that occur in the store: a memory holding each term once at average length),
  clipped to 1; "all": the same over every query term, absent ones included
  (the engine's, src/fts/fts_rank.h).
- vector "raw": max(cos, 0); "mu": (cos - mu_m) / (1 - mu_m) clipped to [0, 1],
  mu_m = the model's mean cosine between unrelated texts (questions of one set
  against memories of the other, no relevance label used; the engine's,
  src/search/calibration.h); "minmax": min-max over the query's candidates.

``joint_fit`` chooses the one weight per model the engine keeps: on one half of
every set at once, scored on the other halves.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import candidates, reference_vectors, sets

REPO = Path(__file__).resolve().parents[2]
DEPTH = 100            # the engine's depth for top_k 20 (max(50, 5 * top_k))
WEIGHTS = tuple(round(0.05 * i, 2) for i in range(1, 20))


@dataclass
class Prepared:
    """One instance with every signal of every candidate, per model."""
    inst: sets.Instance
    cos: dict[str, np.ndarray]       # model -> (queries, docs)
    bm25: np.ndarray                 # (queries, docs), 0 where unmatched
    attain: np.ndarray               # (queries,) attainable BM25
    attain_all: np.ndarray           # (queries,) the same with absent terms
    relevant: list[np.ndarray]       # per query: indexes of relevant docs


def prepare(inst: sets.Instance, models, workdir=None) -> Prepared:
    text = candidates.collect(inst, workdir)
    at = {d.key: i for i, d in enumerate(inst.docs)}
    nq, nd = len(inst.queries), len(inst.docs)
    bm = np.zeros((nq, nd), dtype=np.float64)
    attain = np.zeros(nq)
    attain_all = np.zeros(nq)
    for qi, q in enumerate(inst.queries):
        sig = text[q.key]
        for key, s in sig.hits.items():
            bm[qi, at[key]] = s
        idfs = [candidates.idf(sig.n_rows, n) for n in sig.term_rows]
        attain[qi] = sum(v for v, n in zip(idfs, sig.term_rows) if n > 0)
        attain_all[qi] = sum(idfs)
    cos = {}
    for m in models:
        dv = reference_vectors.vectors(m, [d.text for d in inst.docs], "passage")
        qv = reference_vectors.vectors(m, [q.text for q in inst.queries], "query")
        cos[m] = qv @ dv.T
    rel = [np.array([at[k] for k in q.relevant if k in at]) for q in inst.queries]
    return Prepared(inst, cos, bm, attain, attain_all, rel)


def unrelated_mean(preps_a: list[Prepared], preps_b: list[Prepared], model: str) -> dict:
    """Cosine statistics of questions of one set against memories of the other."""
    import itertools
    vals = []
    for pa, pb in itertools.chain(((a, b) for a in preps_a for b in preps_b),
                                  ((b, a) for a in preps_a for b in preps_b)):
        qv = reference_vectors.vectors(model, [q.text for q in pa.inst.queries[:200]], "query")
        dv = reference_vectors.vectors(model, [d.text for d in pb.inst.docs[:300]], "passage")
        vals.append((qv @ dv.T).ravel())
    v = np.concatenate(vals)
    return {"mean": float(v.mean()), "std": float(v.std()), "p50": float(np.median(v)),
            "p99": float(np.quantile(v, 0.99)), "n": int(v.size)}


def text_scale(p: Prepared, how: str) -> np.ndarray:
    bm = p.bm25
    if how == "best":
        best = bm.max(axis=1, keepdims=True)
        return np.divide(bm, best, out=np.zeros_like(bm), where=best > 0)
    denom = (p.attain if how == "attain" else p.attain_all)[:, None]
    return np.clip(np.divide(bm, denom, out=np.zeros_like(bm), where=denom > 0), 0, 1)


def vector_scale(c: np.ndarray, how: str, mu: float, cand: np.ndarray) -> np.ndarray:
    if how == "raw":
        return np.maximum(c, 0)
    if how == "mu":
        return np.clip((c - mu) / (1 - mu), 0, 1)
    if how == "minmax":
        masked = np.where(cand, c, np.nan)
        lo = np.nanmin(masked, axis=1, keepdims=True)
        hi = np.nanmax(masked, axis=1, keepdims=True)
        return np.clip(np.divide(c - lo, hi - lo, out=np.zeros_like(c), where=hi > lo), 0, 1)
    raise ValueError(how)


def candidate_mask(c: np.ndarray, bm: np.ndarray, depth: int = DEPTH) -> np.ndarray:
    """Top ``depth`` by cosine, and every BM25 hit within the top ``depth``."""
    mask = np.zeros_like(c, dtype=bool)
    k = min(depth, c.shape[1])
    top = np.argpartition(-c, k - 1, axis=1)[:, :k]
    np.put_along_axis(mask, top, True, axis=1)
    kb = min(depth, bm.shape[1])
    topb = np.argpartition(-bm, kb - 1, axis=1)[:, :kb]
    hit = np.take_along_axis(bm, topb, axis=1) > 0
    rows = np.repeat(np.arange(bm.shape[0])[:, None], kb, axis=1)
    mask[rows[hit], topb[hit]] = True
    return mask


def rank_metrics(scores: np.ndarray, mask: np.ndarray, rel: list[np.ndarray], tiebreak: np.ndarray) -> dict:
    """Per question: recall@1/5/10/20, hit@1/5/10, reciprocal rank. A relevant
    memory's rank is 1 + the candidates that sort before it: higher score, then
    higher tie-break (cosine), then later in the store (recency)."""
    nq, nd = scores.shape
    qi = np.concatenate([np.full(r.size, i) for i, r in enumerate(rel)]).astype(int)
    di = np.concatenate([r for r in rel]).astype(int)
    s, tb, m = scores[qi], tiebreak[qi], mask[qi]
    sp, tp = scores[qi, di][:, None], tiebreak[qi, di][:, None]
    idx = np.arange(nd)[None, :]
    before = m & ((s > sp) | ((s == sp) & ((tb > tp) | ((tb == tp) & (idx > di[:, None])))))
    rank = np.where(mask[qi, di], 1 + before.sum(axis=1), 10 ** 9)
    out = {}
    n_rel = np.array([r.size for r in rel], dtype=float)
    for k in (1, 5, 10, 20):
        found = np.bincount(qi, weights=(rank <= k).astype(float), minlength=nq)
        out[f"recall@{k}"] = np.divide(found, n_rel, out=np.zeros(nq), where=n_rel > 0)
    first = np.full(nq, 10 ** 9)
    np.minimum.at(first, qi, rank)
    for k in (1, 5, 10):
        out[f"hit@{k}"] = (first <= k).astype(float)
    out["mrr"] = np.where(first < 10 ** 9, 1.0 / first, 0.0)
    return out


def _cached(p: Prepared, key, make):
    cache = p.__dict__.setdefault("_cache", {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def method_scores(p: Prepared, spec: dict, mus: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(scores, candidate mask, tie-break) for ``spec``: {"models": [...], "signal":
    "vector"|"text"|"fused", "v": ..., "t": ..., "w": ...}. Several models: the
    mean of their calibrated cosines, candidates from each."""
    models = tuple(spec["models"])
    cos_tb = _cached(p, ("cos", models), lambda: np.mean([p.cos[m] for m in models], axis=0))
    masks = {m: _cached(p, ("mask", m), lambda m=m: candidate_mask(p.cos[m], p.bm25)) for m in models}
    if spec["signal"] == "text":
        return p.bm25, p.bm25 > 0, np.zeros_like(p.bm25)
    how = spec.get("v", "raw")
    v = _cached(p, ("v", models, how), lambda: np.mean(
        [vector_scale(p.cos[m], how, mus.get(m, 0.0), masks[m]) for m in models], axis=0))
    if spec["signal"] == "vector":
        vmask = _cached(p, ("vmask", models), lambda: np.logical_or.reduce(
            [candidate_mask(p.cos[m], np.zeros_like(p.bm25)) for m in models]))
        return (cos_tb if len(models) == 1 else v), vmask, cos_tb
    t = _cached(p, ("t", spec.get("t", "best")), lambda: text_scale(p, spec.get("t", "best")))
    mask = _cached(p, ("fmask", models), lambda: np.logical_or.reduce([masks[m] for m in models]))
    w = spec["w"]
    return w * v + (1 - w) * t, mask, cos_tb


def per_question(preps: list[Prepared], spec: dict, mus: dict) -> list[dict]:
    out = []
    for p in preps:
        scores, mask, tb = method_scores(p, spec, mus)
        out.append(rank_metrics(scores, mask, p.relevant, tb))
    return out


def summarize(preps: list[Prepared], rows: list[dict], fold: int | None = None) -> dict:
    """Mean metrics per group over the questions of ``fold`` (None: all)."""
    groups: dict[str, dict[str, list[float]]] = {}
    for p, m in zip(preps, rows):
        loc = p.inst.name.startswith("locomo")
        for qi, q in enumerate(p.inst.queries):
            if fold is not None and q.fold != fold:
                continue
            gs = ["all"] + ([q.group] if loc else []) + (["1-4"] if loc and q.group in "1234" else [])
            for g in gs:
                acc = groups.setdefault(g, {})
                for k, vals in m.items():
                    acc.setdefault(k, []).append(vals[qi])
    return {g: {k: float(np.mean(v)) for k, v in acc.items()} | {"n": len(next(iter(acc.values())))}
            for g, acc in groups.items()}


def evaluate(preps, spec, mus, fold=None) -> dict:
    return summarize(preps, per_question(preps, spec, mus), fold)


def headline(name: str, res: dict) -> float:
    return res["1-4"]["recall@10"] if name == "locomo" else res["all"]["hit@10"]


def cross_fit(preps, spec_of_w, mus, name) -> dict:
    """Chooses w on one fold, scores the other, both ways; returns the held-out
    score over all questions and the weights chosen."""
    rows = {w: per_question(preps, spec_of_w(w), mus) for w in WEIGHTS}
    chosen, held = [], []
    for fit, score in ((0, 1), (1, 0)):
        best_w = max(WEIGHTS, key=lambda w: headline(name, summarize(preps, rows[w], fit)))
        chosen.append(best_w)
        held.append(summarize(preps, rows[best_w], score))
    key = "1-4" if name == "locomo" else "all"
    a, b = held[0][key], held[1][key]
    comb = {k: (a[k] * a["n"] + b[k] * b["n"]) / (a["n"] + b["n"]) for k in a if k != "n"}
    curve = {w: headline(name, summarize(preps, rows[w])) for w in WEIGHTS}
    return {"weights": chosen, "held_out": comb, "n": [a["n"], b["n"]], "curve": curve}


def joint_fit(setsd: dict, model: str, mus: dict, v: str = "mu", t: str = "all") -> dict:
    """One weight per model for every set (what the engine keeps per model):
    chosen on one fold of every set at once (the mean of the sets' headlines),
    scored on the other fold of each, both ways. Held-out per set."""
    kinds = {name: "locomo" if name == "locomo" else "prefeval" for name in setsd}
    rows = {(name, w): per_question(preps, {"models": [model], "signal": "fused", "v": v, "t": t, "w": w}, mus)
            for name, preps in setsd.items() for w in WEIGHTS}

    def fold_score(name, w, fold):
        return headline(kinds[name], summarize(setsd[name], rows[(name, w)], fold))

    chosen = [max(WEIGHTS, key=lambda w: np.mean([fold_score(n, w, fit) for n in setsd])) for fit in (0, 1)]
    held = {}
    for name, preps in setsd.items():
        key = "1-4" if kinds[name] == "locomo" else "all"
        parts = [summarize(preps, rows[(name, chosen[fit])], 1 - fit) for fit in (0, 1)]
        n = parts[0][key]["n"] + parts[1][key]["n"]
        held[name] = {k: (parts[0][key][k] * parts[0][key]["n"] + parts[1][key][k] * parts[1][key]["n"]) / n
                      for k in parts[0][key] if k != "n"}
        if kinds[name] == "locomo":   # per category, held out
            for g in "1234":
                a, b = parts[0].get(g), parts[1].get(g)
                held[name][f"cat{g}_recall@10"] = (a["recall@10"] * a["n"] + b["recall@10"] * b["n"]) / (a["n"] + b["n"])
    mean_w = round(float(np.mean(chosen)), 3)
    whole = {name: summarize(preps, per_question(
        preps, {"models": [model], "signal": "fused", "v": v, "t": t, "w": mean_w}, mus))
        for name, preps in setsd.items()}   # every question, per LoCoMo category too
    return {"model": model, "method": f"{v}/{t}", "weights": chosen, "held_out": held,
            "weight_kept": mean_w, "score_at_weight_kept": {n: headline(kinds[n], r) for n, r in whole.items()},
            "metrics_at_weight_kept": whole}


def load_prepared(name: str, make, models):
    """Prepared instances of one set, pickled in the cache (texts and models in the key)."""
    import hashlib
    import pickle
    insts = make()
    key = hashlib.sha256(repr([(i.name, len(i.docs), len(i.queries)) for i in insts]).encode()
                         + repr(models).encode()).hexdigest()[:12]
    path = reference_vectors.CACHE / f"prepared-{name}-{key}.pkl"
    if path.exists():
        class _Here(pickle.Unpickler):   # written by `-m bench.recall.study` (as __main__) or an importer
            def find_class(self, module, name):
                return Prepared if name == "Prepared" else super().find_class(module, name)
        import io
        return _Here(io.BytesIO(path.read_bytes())).load()
    preps = [prepare(i, models) for i in insts]
    path.write_bytes(pickle.dumps(preps))
    return preps


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default=",".join(reference_vectors.MODELS))
    ap.add_argument("--distractors", default="0,1000")
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "fusion-study.json"))
    ap.add_argument("--joint-only", action="store_true",
                    help="only the per-model weight chosen on both sets at once (what the engine keeps)")
    args = ap.parse_args(argv)
    models = args.models.split(",")
    import time
    t0 = time.time()
    loc = load_prepared("locomo", sets.locomo, models)
    pref = {n: load_prepared(f"prefeval{n}", lambda n=n: [sets.prefeval_set(n)], models)
            for n in map(int, args.distractors.split(","))}
    print(f"prepared in {time.time() - t0:.0f}s", file=sys.stderr)
    mus = {m: unrelated_mean(loc, pref[min(pref)], m) for m in models}
    print(json.dumps(mus, indent=1), file=sys.stderr)
    mu = {m: s["mean"] for m, s in mus.items()}
    out = {"unrelated_cosine": mus, "loadavg_1m": os.getloadavg()[0], "rows": []}
    setsd = {"locomo": loc, **{f"prefeval+{n}" if n else "prefeval": v for n, v in pref.items()}}
    out["joint"] = []
    for m in models:
        j = joint_fit(setsd, m, mu)
        out["joint"].append(j)
        print(f"joint {m:7} w {j['weights']} kept {j['weight_kept']}: " + "  ".join(
            f"{n} {100 * (h['recall@10'] if n == 'locomo' else h['hit@10']):.1f}" for n, h in j["held_out"].items()),
            file=sys.stderr, flush=True)
    if args.joint_only:
        Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
        return 0
    combos = [[m] for m in models] + ([models] if len(models) > 1 else [])
    if len(models) == 3:
        combos += [[models[0], models[1]], [models[0], models[2]]]
    for name, preps in setsd.items():
        kind = "locomo" if name == "locomo" else "prefeval"
        r = evaluate(preps, {"models": [models[0]], "signal": "text"}, mu)
        out["rows"].append({"set": name, "models": [], "method": "text", "score": headline(kind, r), "metrics": r})
        print(f"{name:14} {'-':16} text          {100 * headline(kind, r):5.1f}", file=sys.stderr, flush=True)
        for combo in combos:
            r = evaluate(preps, {"models": combo, "signal": "vector", "v": "mu"}, mu)
            out["rows"].append({"set": name, "models": combo, "method": "vector", "score": headline(kind, r),
                                "metrics": r})
            print(f"{name:14} {'+'.join(combo):16} vector        {100 * headline(kind, r):5.1f}",
                  file=sys.stderr, flush=True)
            for v in ("raw", "mu", "minmax"):
                for t in ("best", "attain", "all"):
                    cf = cross_fit(preps, lambda w: {"models": combo, "signal": "fused", "v": v, "t": t, "w": w},
                                   mu, kind)
                    fixed = evaluate(preps, {"models": combo, "signal": "fused", "v": v, "t": t, "w": 0.5}, mu)
                    out["rows"].append({"set": name, "models": combo, "method": f"{v}/{t}",
                                        "score_w05": headline(kind, fixed), "metrics_w05": fixed,
                                        "held_out": cf})
                    ho = cf["held_out"]["recall@10" if kind == "locomo" else "hit@10"]
                    print(f"{name:14} {'+'.join(combo):16} {v:6}/{t:6} w=0.5 {100 * headline(kind, fixed):5.1f}"
                          f"  held-out {100 * ho:5.1f} (w {cf['weights']})", file=sys.stderr, flush=True)
        Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
