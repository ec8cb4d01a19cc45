"""Tables and chart of the fusion study (``bench/results/fusion-study.json``).

    python -m bench.recall.report [--study FILE] [--chart FILE]

Prints the Markdown table of docs/benchmarks.md and docs/evaluation.md
(models x signals x sets) and draws ``bench/results/fusion-study.png``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results"
MODELS = ("minilm", "bge", "e5")
OLD = "raw/best"       # the engine before calibration: max(cos, 0) and BM25 / best BM25, 0.5 / 0.5


def _metric(set_name: str) -> str:
    return "recall@10" if set_name == "locomo" else "hit@10"


def table(study: dict) -> tuple[list[str], list[list[str]]]:
    """One row per set x model: text, vector, old fusion, calibrated fusion
    (held-out, and on every question at the weight the engine keeps)."""
    rows = study["rows"]
    joint = {j["model"]: j for j in study["joint"]}
    sets = list(dict.fromkeys(r["set"] for r in rows))
    head = ["set", "model", "text only", "vector only", "fused before (0.5/0.5, BM25/best)",
            "fused calibrated, held-out", "fused calibrated (engine's weight)", "weight kept"]
    out = []
    for s in sets:
        text = next(r["score"] for r in rows if r["set"] == s and r["method"] == "text")
        for m in MODELS:
            if m not in joint:
                continue
            vec = next(r["score"] for r in rows if r["set"] == s and r["models"] == [m] and r["method"] == "vector")
            old = next(r["score_w05"] for r in rows if r["set"] == s and r["models"] == [m] and r["method"] == OLD)
            j = joint[m]
            held = j["held_out"][s][_metric(s)]
            kept = j["score_at_weight_kept"][s]
            out.append([s, m, f"{100 * text:.1f}", f"{100 * vec:.1f}", f"{100 * old:.1f}",
                        f"{100 * held:.1f}", f"{100 * kept:.1f}", f"{j['weight_kept']:g}"])
    return head, out


def markdown(head, rows) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def chart(head, rows, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    sets = list(dict.fromkeys(r[0] for r in rows))
    fig, axes = plt.subplots(1, len(sets), figsize=(4.2 * len(sets), 3.6), sharey=False)
    cols = [2, 3, 4, 5]
    for ax, s in zip(axes if len(sets) > 1 else [axes], sets):
        mine = [r for r in rows if r[0] == s]
        width = 0.2
        for k, c in enumerate(cols):
            ax.bar([i + k * width for i in range(len(mine))], [float(r[c]) for r in mine], width,
                   label=head[c])
        ax.set_xticks([i + 1.5 * width for i in range(len(mine))], [r[1] for r in mine])
        ax.set_title(f"{s} ({'R@10 cats 1-4' if s == 'locomo' else 'hit@10'})")
    axes[0].legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--study", default=str(RESULTS / "fusion-study.json"))
    ap.add_argument("--chart", default=str(RESULTS / "fusion-study.png"))
    args = ap.parse_args(argv)
    head, rows = table(json.loads(Path(args.study).read_text()))
    print(markdown(head, rows))
    if args.chart:
        chart(head, rows, Path(args.chart))
    return 0


if __name__ == "__main__":
    sys.exit(main())
