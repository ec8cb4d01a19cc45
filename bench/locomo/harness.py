"""Run one retrieval system over LoCoMo and score it; knows nothing about any system.

A system is anything with ``add(conv) -> None`` (store every turn of one
conversation in a fresh store), ``search(conv, question, k, mode) -> list[dia_id]``
and ``close()``. ``mode`` lets one store answer in several ways (stratamem's
hybrid / text / vector baselines run on the very same store); systems with one
way of searching get ``mode=None``. The stratamem runner and the adapters in ``bench/compare/`` all go
through :func:`evaluate`, so every system is measured the same way.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from typing import Protocol

from . import metrics
from .data import Conversation


class System(Protocol):
    def add(self, conv: Conversation) -> None: ...
    def search(self, conv: Conversation, question: str, k: int,
               mode: str | None) -> list[str]: ...
    def close(self) -> None: ...


def evaluate(name: str, make_system, conversations: Sequence[Conversation], *,
             modes: Sequence[str | None] = (None,), k: int = 20, log=sys.stderr) -> dict:
    """Ingest and query every conversation with a fresh system from ``make_system()``.

    Returns, per mode (keyed ``name`` or ``name/mode``): metrics per group, latency
    of add and of search, and the counts of what was skipped. Questions whose evidence has no
    id that resolves to a turn cannot be scored and are counted, not scored.
    """
    rows: dict = {m: [] for m in modes}
    per_question: dict = {m: [] for m in modes}
    search_s: dict = {m: [] for m in modes}
    add_s: list[float] = []
    turns = 0
    skipped_ids = 0
    skipped_questions = 0
    for conv in conversations:
        system = make_system()
        try:
            t0 = time.perf_counter()
            system.add(conv)
            add_s.append(time.perf_counter() - t0)
            turns += len(conv.turns)
            for q in conv.questions:
                skipped_ids += len(q.unresolved)
                if not q.evidence:
                    skipped_questions += 1
                    continue
                for mode in modes:
                    t0 = time.perf_counter()
                    ranked = system.search(conv, q.question, k, mode)
                    search_s[mode].append(time.perf_counter() - t0)
                    row = metrics.score_question(ranked, set(q.evidence))
                    rows[mode].append((q.category, row))
                    per_question[mode].append({
                        "conv": conv.sample_id, "q": q.index, "category": q.category, **row})
        finally:
            system.close()
        print(f"  {name}: {conv.sample_id} done ({len(conv.turns)} turns, "
              f"{len(conv.questions)} questions, add {add_s[-1]:.1f}s)", file=log, flush=True)
    out = {}
    for mode in modes:
        key = name if mode is None else f"{name}/{mode}"
        out[key] = {
            "system": key,
            "conversations": [c.sample_id for c in conversations],
            "turns": turns,
            "questions_scored": len(rows[mode]),
            "questions_skipped_no_evidence": skipped_questions,
            "evidence_ids_unresolved": skipped_ids,
            "metrics": metrics.aggregate(rows[mode]),
            "search_latency": metrics.latency_summary(search_s[mode]),
            "add_seconds_total": sum(add_s),
            "add_ms_per_turn": 1000.0 * sum(add_s) / max(turns, 1),
            "loadavg_1m_at_end": os.getloadavg()[0],   # the machine is shared; see docs
            "per_question": per_question[mode],
        }
    return out
