"""Both development sets in one shape: stores of memories and the questions
that should recall some of them.

- LoCoMo: one store per conversation (its turns), its questions with evidence;
  group = the question's category (1 multi-hop, 2 temporal, 3 open-domain,
  4 single-hop, 5 adversarial); fold = the conversation's position mod 2.
- PrefEval: one store holding all 1,000 preferences, optionally with N LoCoMo
  turns as distractors (the same seeded order for every N, so a larger N holds
  the smaller one's); each question must recall its own preference; group =
  the topic; fold = the topic's position mod 2 (10 topics per half).

Folds let every choice be fitted on one half and scored on the other.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from bench.locomo import data as locomo_data

from . import prefeval

#: PrefEval variants: how many LoCoMo turns are added as distractors.
DISTRACTORS = (0, 50, 200, 1000)
DISTRACTOR_SEED = 11


@dataclass(frozen=True)
class Doc:
    key: str
    text: str


@dataclass(frozen=True)
class Query:
    key: str
    text: str
    relevant: frozenset[str]
    group: str
    fold: int


@dataclass
class Instance:
    name: str          # e.g. "locomo/conv-26", "prefeval+200"
    user: str
    docs: list[Doc]
    queries: list[Query]


def locomo(path=None, convs: list[str] | None = None) -> list[Instance]:
    out = []
    for i, conv in enumerate(locomo_data.load(path)):
        if convs and conv.sample_id not in convs:
            continue
        docs = [Doc(t.dia_id, locomo_data.turn_text(t)) for t in conv.turns]
        queries = [Query(f"{conv.sample_id}:{q.index}", q.question, frozenset(q.evidence),
                         str(q.category), i % 2)
                   for q in conv.questions if q.evidence]
        out.append(Instance(f"locomo/{conv.sample_id}", conv.sample_id, docs, queries))
    return out


def distractor_turns(n: int, locomo_path=None) -> list[Doc]:
    """The first ``n`` LoCoMo turns of one seeded shuffle (nested across n)."""
    turns = [Doc(f"locomo:{c.sample_id}:{t.dia_id}", locomo_data.turn_text(t))
             for c in locomo_data.load(locomo_path) for t in c.turns]
    random.Random(DISTRACTOR_SEED).shuffle(turns)
    return turns[:n]


def prefeval_set(distractors: int = 0, path=None, locomo_path=None) -> Instance:
    items = prefeval.load(path)
    topics = sorted({it.topic for it in items})
    fold = {t: i % 2 for i, t in enumerate(topics)}
    docs = [Doc(it.key, it.preference) for it in items]
    docs += distractor_turns(distractors, locomo_path)
    queries = [Query(it.key, it.question, frozenset([it.key]), it.topic, fold[it.topic])
               for it in items]
    name = "prefeval" if distractors == 0 else f"prefeval+{distractors}"
    return Instance(name, "prefeval-user", docs, queries)
