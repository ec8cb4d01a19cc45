"""Markdown tables and a PNG chart from LoCoMo result dicts (system -> result)."""
from __future__ import annotations

from pathlib import Path

from .metrics import GROUPS


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def markdown(results: dict) -> str:
    """Three tables: categories 1-4 in full, recall@10 per group, latency."""
    lines = ["**Categories 1-4** (percent; recall is the fraction of evidence turns in the top k)",
             "",
             "| system | n | R@1 | R@5 | R@10 | R@20 | hit@1 | hit@10 | MRR | nDCG@10 |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, r in results.items():
        m = r["metrics"]["1-4"]
        lines.append(f"| {name} | {m['n']} | " + " | ".join(_pct(m[c]) for c in (
            "recall@1", "recall@5", "recall@10", "recall@20", "hit@1", "hit@10", "mrr",
            "ndcg@10")) + " |")
    lines += ["", "**Recall@10 / MRR per category** (1 multi-hop, 2 temporal, "
              "3 open-domain, 4 single-hop, 5 adversarial)", "",
              "| system | " + " | ".join(GROUPS) + " |",
              "| --- |" + " --- |" * len(GROUPS)]
    for name, r in results.items():
        cells = []
        for g in GROUPS:
            m = r["metrics"].get(g)
            cells.append(f"{_pct(m['recall@10'])} / {_pct(m['mrr'])}" if m else "-")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "**Latency** (search includes embedding the query; add is the whole "
              "conversation's ingest divided by its turns)", "",
              "| system | search p50 ms | search p99 ms | add ms/turn | questions | "
              "unresolved evidence ids | questions without evidence |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, r in results.items():
        lat = r["search_latency"]
        lines.append(f"| {name} | {lat['p50_ms']:.2f} | {lat['p99_ms']:.2f} | "
                     f"{r['add_ms_per_turn']:.2f} | {r['questions_scored']} | "
                     f"{r['evidence_ids_unresolved']} | {r['questions_skipped_no_evidence']} |")
    return "\n".join(lines)


def chart(results: dict, path: str | Path) -> None:
    """Recall@k for categories 1-4 (left) and recall@10 per category (right)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(results)
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8))
    for name in names:
        m = results[name]["metrics"]["1-4"]
        ks = [1, 5, 10, 20]
        left.plot(ks, [100 * m[f"recall@{k}"] for k in ks], marker="o", label=name)
    left.set_xticks([1, 5, 10, 20])
    left.set_xlabel("k")
    left.set_ylabel("recall@k, categories 1-4 (%)")
    left.set_title("LoCoMo retrieval: recall@k")
    left.grid(alpha=0.3)
    left.legend(fontsize=8)
    width = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        vals = [100 * results[name]["metrics"].get(g, {}).get("recall@10", 0) for g in GROUPS]
        right.bar([x + i * width for x in range(len(GROUPS))], vals, width, label=name)
    right.set_xticks([x + 0.4 - width / 2 for x in range(len(GROUPS))])
    right.set_xticklabels([f"cat {g}" for g in GROUPS])
    right.set_ylabel("recall@10 (%)")
    right.set_title("recall@10 per category")
    right.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
