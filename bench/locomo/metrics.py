"""Retrieval metrics against a set of relevant ids (binary relevance).

``ranked`` is the list of ids a system returned, best first; duplicates after the
first occurrence are ignored (a system must not earn credit twice for one turn).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

KS = (1, 5, 10, 20)
GROUPS = ("1-4", "1", "2", "3", "4", "5")


def _unique(ranked: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for r in ranked:
        if r not in seen:
            seen.add(r)
            out.append(r)
    return out


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """Fraction of the relevant ids found in the top k."""
    if not relevant:
        raise ValueError("recall is undefined without relevant ids")
    return len(set(_unique(ranked)[:k]) & relevant) / len(relevant)


def hit_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """1.0 when any relevant id is in the top k."""
    return 1.0 if set(_unique(ranked)[:k]) & relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    """1/rank of the first relevant id, 0 when none was returned."""
    for i, r in enumerate(_unique(ranked), start=1):
        if r in relevant:
            return 1.0 / i
    return 0.0


def ndcg_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """Binary-relevance nDCG: DCG of the top k over the DCG of an ideal ranking."""
    if not relevant:
        raise ValueError("nDCG is undefined without relevant ids")
    dcg = sum(1.0 / math.log2(i + 1)
              for i, r in enumerate(_unique(ranked)[:k], start=1) if r in relevant)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


def score_question(ranked: Sequence[str], relevant: set[str]) -> dict[str, float]:
    """Every metric for one question."""
    row = {f"recall@{k}": recall_at(ranked, relevant, k) for k in KS}
    row.update({f"hit@{k}": hit_at(ranked, relevant, k) for k in KS})
    row["mrr"] = reciprocal_rank(ranked, relevant)
    row["ndcg@10"] = ndcg_at(ranked, relevant, 10)
    return row


def group_of(category: int) -> list[str]:
    """The report groups a question belongs to."""
    return ["1-4", str(category)] if 1 <= category <= 4 else [str(category)]


def aggregate(rows: Iterable[tuple[int, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """Mean of each metric per group, from (category, metrics) rows; adds ``n``."""
    sums: dict[str, dict[str, float]] = {}
    counts: dict[str, int] = {}
    for category, row in rows:
        for g in group_of(category):
            acc = sums.setdefault(g, {})
            for name, value in row.items():
                acc[name] = acc.get(name, 0.0) + value
            counts[g] = counts.get(g, 0) + 1
    out = {}
    for g in GROUPS:
        if g in sums:
            out[g] = {name: total / counts[g] for name, total in sums[g].items()}
            out[g]["n"] = counts[g]
    return out


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in [0, 100]) of a non-empty sequence."""
    if not values:
        raise ValueError("percentile of nothing")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[rank - 1]


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p99/mean in milliseconds."""
    ms = [s * 1000.0 for s in seconds]
    return {"p50_ms": percentile(ms, 50), "p99_ms": percentile(ms, 99),
            "mean_ms": sum(ms) / len(ms), "n": len(ms)}
