"""LoCoMo retrieval on stratamem: hybrid, BM25-only and vector-only on one store.

    python -m bench.locomo.run [--data PATH] [--convs conv-26,conv-30] [--out FILE]

One store per conversation (``SyncMemory`` on a temp file, bundled
all-MiniLM-L6-v2), every turn saved at user scope with ``dedup=False`` (turns are
evidence, not facts) through ``save_many``; every question searched (top 20) from
that user's context in each mode. Run twice: turns as "<speaker>: <text>" and the
same prefixed with the session date, to see whether dates help temporal questions.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from stratamem import Ranking, SyncMemory

from . import data, harness

MODES = ("hybrid", "hybrid-relevance", "text", "vector")
# Hybrid with the ranking signals (recency, importance, access) off: what the
# signals change. On LoCoMo they carry no information (every turn is saved at
# once with the same importance; access counts come from unrelated questions).
RELEVANCE = "hybrid-relevance"
RESULTS = data.REPO / "bench" / "results"


class StratamemSystem:
    def __init__(self, *, dated: bool, embed_threads: int = 1):
        self._dir = tempfile.TemporaryDirectory(prefix="locomo-")
        self._dated = dated
        # Caches off: each question is asked once per mode, and a cached query
        # embedding would hide the embedding cost from the latency numbers.
        self._mem = SyncMemory(db_path=str(Path(self._dir.name) / "m.db"),
                               durability="normal", embed_threads=embed_threads,
                               cache_enabled=False)

    def add(self, conv: data.Conversation) -> None:
        self._mem.save_many([
            {"content": data.turn_text(t, dated=self._dated), "user_id": conv.sample_id,
             "metadata": data.turn_metadata(t), "dedup": False}
            for t in conv.turns])

    def search(self, conv: data.Conversation, question: str, k: int,
               mode: str | None) -> list[str]:
        if mode == RELEVANCE:
            hits = self._mem.search(question, user_id=conv.sample_id, top_k=k,
                                    ranking=Ranking(recency=0, importance=0, access=0))
        else:
            hits = self._mem.search(question, user_id=conv.sample_id, top_k=k,
                                    mode=mode or "hybrid")
        return [h.metadata["dia_id"] for h in hits]

    def close(self) -> None:
        self._mem.close()
        self._dir.cleanup()


def select(conversations: list[data.Conversation], ids: str | None) -> list[data.Conversation]:
    if not ids:
        return conversations
    wanted = ids.split(",")
    chosen = [c for c in conversations if c.sample_id in wanted]
    if len(chosen) != len(wanted):
        raise SystemExit(f"unknown conversation id in {ids!r}")
    return chosen


def strip_questions(results: dict) -> dict:
    """The JSON keeps aggregates only; per-question rows go to a separate file."""
    return {k: {kk: vv for kk, vv in v.items() if kk != "per_question"}
            for k, v in results.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", help="locomo10.json (default $STRATAMEM_LOCOMO or ../shared/...)")
    ap.add_argument("--convs", help="comma-separated sample ids (default: all)")
    ap.add_argument("--out", default=str(RESULTS / "locomo.json"))
    ap.add_argument("--questions-out", help="also write per-question metrics here")
    ap.add_argument("--modes", default=",".join(MODES),
                    help=f"comma-separated, from {', '.join(MODES)}")
    ap.add_argument("--variants", default="plain,dated")
    args = ap.parse_args(argv)

    try:
        convs = select(data.load(args.data), args.convs)
    except data.MissingData as exc:
        raise SystemExit(f"bench.locomo: {exc}") from None
    results: dict = {}
    modes = tuple(args.modes.split(","))
    for variant in args.variants.split(","):
        dated = variant == "dated"
        name = "stratamem-dated" if dated else "stratamem"
        results.update(harness.evaluate(
            name, lambda d=dated: StratamemSystem(dated=d), convs, modes=modes))
    if args.questions_out:
        Path(args.questions_out).write_text(json.dumps(
            {k: v["per_question"] for k, v in results.items()}))
    payload = {"data": str(data.data_path(args.data)), "k": 20,
               "turn_text": "<speaker>: <text> [shares an image: <caption>]; dated: "
                            "'[<session day>] ' prefix",
               "results": strip_questions(results)}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(payload, indent=1) + "\n")
    from . import report
    print(report.markdown(payload["results"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
