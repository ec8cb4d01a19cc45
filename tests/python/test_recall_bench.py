"""bench/recall's pieces that decide its numbers, on tiny hand-made data (no
copy of LoCoMo or PrefEval): the full-text words match the engine's, ranks
and hits are counted as documented, PrefEval files are read as documented."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.recall import candidates, prefeval, study  # noqa: E402


def test_stopwords_are_the_engines():
    src = (REPO / "src" / "fts" / "fts_query.cc").read_text()
    block = src[src.index("kStopwords[]"):]
    block = block[:block.index("};")]
    assert set(re.findall(r'"([^"]+)"', block)) == candidates.STOPWORDS


def test_fts_terms_drop_stopwords_unless_nothing_is_left():
    assert candidates.fts_terms("What does Alice drink in the morning?") == ["Alice", "drink", "morning"]
    assert candidates.fts_terms("who is it") == ["who", "is", "it"]
    assert candidates.fts_terms("tea, tea and TEA") == ["tea", "TEA"]


def test_idf_is_fts5s():
    assert abs(candidates.idf(10, 1) - np.log(9.5 / 1.5)) < 1e-12
    assert candidates.idf(10, 9) == 1e-6  # floored, never negative


def test_rank_metrics_count_candidates_only():
    # One query, four docs; doc 2 is relevant. Doc 0 scores higher but is not a
    # candidate, doc 1 scores higher and is: rank 2. Doc 3 ties with doc 2 and
    # loses on the tie-break.
    scores = np.array([[0.9, 0.8, 0.5, 0.5]])
    mask = np.array([[False, True, True, True]])
    tie = np.array([[0.0, 0.0, 0.2, 0.1]])
    m = study.rank_metrics(scores, mask, [np.array([2])], tie)
    assert m["hit@1"][0] == 0 and m["hit@5"][0] == 1
    assert abs(m["mrr"][0] - 0.5) < 1e-12
    # Not a candidate at all: never found.
    m = study.rank_metrics(scores, mask, [np.array([0])], tie)
    assert m["hit@10"][0] == 0 and m["mrr"][0] == 0


def test_text_scale_against_every_query_word():
    p = study.Prepared(inst=None, cos={}, bm25=np.array([[2.0, 0.5, 0.0]]), attain=np.array([2.0]),
                       attain_all=np.array([4.0]), relevant=[np.array([0])])
    assert np.allclose(study.text_scale(p, "all"), [[0.5, 0.125, 0.0]])
    assert np.allclose(study.text_scale(p, "attain"), [[1.0, 0.25, 0.0]])
    assert np.allclose(study.text_scale(p, "best"), [[1.0, 0.25, 0.0]])


def test_prefeval_reads_topics_in_name_order(tmp_path):
    folder = tmp_path / "explicit_preference"
    folder.mkdir()
    (folder / "travel.json").write_text(json.dumps([{"preference": " I hate flying ", "question": "Trip ideas?"}]))
    (folder / "diet.json").write_text(json.dumps([{"preference": "Vegan.", "question": "Dinner?"},
                                                  {"preference": "No nuts.", "question": "Snacks?"}]))
    items = prefeval.load(tmp_path)
    assert [it.key for it in items] == ["diet:0", "diet:1", "travel:0"]
    assert items[2].preference == "I hate flying"
