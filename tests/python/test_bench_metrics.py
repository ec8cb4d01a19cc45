"""The LoCoMo harness's metric and evidence-normalisation functions, on tiny
hand-made data (no LoCoMo copy). Expected values are worked out by hand."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.locomo import data, metrics  # noqa: E402


# --- evidence normalisation -------------------------------------------------

KNOWN = {"D1:3", "D8:6", "D9:17", "D11:26", "D30:5", "D4:4"}


@pytest.mark.parametrize("raw, resolved, unresolved", [
    (["D1:3"], ["D1:3"], []),
    (["D8:6; D9:17"], ["D8:6", "D9:17"], []),        # semicolon-joined
    (["D9:17 D4:4 D8:6"], ["D9:17", "D4:4", "D8:6"], []),  # space-joined
    (["D:11:26"], ["D11:26"], []),                   # extra colon
    (["D30:05"], ["D30:5"], []),                     # leading zero
    (["D"], [], ["D"]),                              # no id at all
    (["D10:19", "D1:3"], ["D1:3"], ["D10:19"]),      # points to no turn
    (["D1:3", "D1:03"], ["D1:3"], []),               # same turn twice counts once
    ([], [], []),
])
def test_normalise_evidence(raw, resolved, unresolved):
    assert data.normalise_evidence(raw, KNOWN) == (resolved, unresolved)


def test_normalise_id_rejects_garbage():
    assert data.normalise_id("X1:2") is None
    assert data.normalise_id("D1") is None
    assert data.normalise_id("D1:2:3") is None
    assert data.normalise_id("D01:007") == "D1:7"


def test_parse_conversation_and_turn_text(tmp_path):
    obj = {"sample_id": "c1", "qa": [
        {"question": "q?", "answer": "a", "evidence": ["D2:1; D1:2", "D9:9"], "category": 2},
        {"question": "none", "answer": "x", "evidence": [], "category": 3},
        {"question": "adv", "adversarial_answer": "y", "evidence": ["D1:1"], "category": 5}],
        "conversation": {
            "speaker_a": "Ann", "speaker_b": "Bo",
            "session_1_date_time": "1:56 pm on 8 May, 2023",
            "session_1": [{"speaker": "Ann", "dia_id": "D1:1", "text": "hi"},
                          {"speaker": "Bo", "dia_id": "D1:2", "text": "look",
                           "blip_caption": "a photo of a dog"}],
            "session_2_date_time": "9:00 am on 9 May, 2023",
            "session_2": [{"speaker": "Ann", "dia_id": "D2:1", "text": "bye"}],
            "session_3_date_time": "date without a session"}}
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps([obj]))
    (conv,) = data.load(path)
    assert [t.dia_id for t in conv.turns] == ["D1:1", "D1:2", "D2:1"]
    q = conv.questions
    assert q[0].evidence == ("D2:1", "D1:2") and q[0].unresolved == ("D9:9",)
    assert q[1].evidence == () and q[2].category == 5
    assert data.turn_text(conv.turns[0]) == "Ann: hi"
    assert data.turn_text(conv.turns[1]) == "Bo: look [shares an image: a photo of a dog]"
    assert data.turn_text(conv.turns[2], dated=True) == "[9 May, 2023] Ann: bye"
    assert data.turn_metadata(conv.turns[2]) == {
        "speaker": "Ann", "dia_id": "D2:1", "session": 2, "date": "9:00 am on 9 May, 2023"}


def test_data_path_prefers_argument_then_env(monkeypatch, tmp_path):
    monkeypatch.setenv("STRATAMEM_LOCOMO", str(tmp_path / "env.json"))
    assert data.data_path("given.json") == Path("given.json")
    assert data.data_path(None) == tmp_path / "env.json"
    monkeypatch.delenv("STRATAMEM_LOCOMO")
    assert data.data_path(None) == data.DEFAULT_PATH


# --- metrics ----------------------------------------------------------------

RANKED = ["a", "x", "b", "y", "z"]
REL = {"a", "b", "c"}


def test_recall_and_hit():
    assert metrics.recall_at(RANKED, REL, 1) == pytest.approx(1 / 3)
    assert metrics.recall_at(RANKED, REL, 2) == pytest.approx(1 / 3)
    assert metrics.recall_at(RANKED, REL, 3) == pytest.approx(2 / 3)
    assert metrics.recall_at(RANKED, REL, 20) == pytest.approx(2 / 3)
    assert metrics.hit_at(["x", "a"], REL, 1) == 0.0
    assert metrics.hit_at(["x", "a"], REL, 2) == 1.0


def test_duplicates_do_not_earn_twice():
    # "a" repeated: the second copy is dropped, so "b" moves up to rank 2.
    assert metrics.recall_at(["a", "a", "b"], {"a", "b"}, 2) == 1.0
    assert metrics.reciprocal_rank(["x", "x", "a"], {"a"}) == 0.5


def test_reciprocal_rank():
    assert metrics.reciprocal_rank(RANKED, REL) == 1.0
    assert metrics.reciprocal_rank(["x", "y", "b"], REL) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank(["x"], REL) == 0.0
    assert metrics.reciprocal_rank([], REL) == 0.0


def test_ndcg():
    # hits at ranks 1 and 3; ideal has 3 relevant at ranks 1..3
    dcg = 1 + 1 / math.log2(4)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert metrics.ndcg_at(RANKED, REL, 10) == pytest.approx(dcg / ideal)
    assert metrics.ndcg_at(["a", "b", "c"], REL, 10) == pytest.approx(1.0)
    assert metrics.ndcg_at(["x"], REL, 10) == 0.0
    # only the top k count, and the ideal is capped at k relevant items
    assert metrics.ndcg_at(["x", "a"], {"a"}, 1) == 0.0
    assert metrics.ndcg_at(["a", "b"], {"a", "b", "c"}, 2) == pytest.approx(1.0)


def test_empty_relevant_is_an_error():
    with pytest.raises(ValueError):
        metrics.recall_at(["a"], set(), 5)
    with pytest.raises(ValueError):
        metrics.ndcg_at(["a"], set(), 10)


def test_aggregate_groups():
    rows = [(1, {"mrr": 1.0}), (2, {"mrr": 0.0}), (4, {"mrr": 0.5}), (5, {"mrr": 0.25})]
    agg = metrics.aggregate(rows)
    assert agg["1-4"] == {"mrr": pytest.approx(0.5), "n": 3}
    assert agg["1"]["mrr"] == 1.0 and agg["2"]["mrr"] == 0.0
    assert agg["5"] == {"mrr": 0.25, "n": 1}   # category 5 stays out of 1-4
    assert "3" not in agg
    assert list(agg) == ["1-4", "1", "2", "4", "5"]


def test_score_question_has_every_metric():
    row = metrics.score_question(RANKED, REL)
    assert set(row) == {"recall@1", "recall@5", "recall@10", "recall@20", "hit@1", "hit@5",
                        "hit@10", "hit@20", "mrr", "ndcg@10"}


def test_percentile_nearest_rank():
    values = list(range(1, 101))          # 1..100
    assert metrics.percentile(values, 50) == 50
    assert metrics.percentile(values, 99) == 99
    assert metrics.percentile(values, 100) == 100
    assert metrics.percentile([7.0], 99) == 7.0
    assert metrics.percentile([3, 1, 2], 50) == 2
    with pytest.raises(ValueError):
        metrics.percentile([], 50)
    lat = metrics.latency_summary([0.001, 0.002, 0.003])
    assert lat["p50_ms"] == pytest.approx(2.0) and lat["n"] == 3


# --- harness ----------------------------------------------------------------

class _OverlapSystem:
    """A tiny real ranker: turns ordered by words shared with the question."""

    def __init__(self):
        self.turns = []
        self.closed = False

    def add(self, conv):
        self.turns = list(conv.turns)

    def search(self, conv, question, k, mode):
        words = set(question.lower().split())
        scored = sorted(self.turns, key=lambda t: -len(words & set(t.text.lower().split())))
        return [t.dia_id for t in scored[:k]]

    def close(self):
        self.closed = True


def test_harness_scores_counts_and_skips():
    from bench.locomo import harness
    turns = [data.Turn("D1:1", "A", "the cat sat", "", 1, ""),
             data.Turn("D1:2", "B", "dogs bark loudly", "", 1, "")]
    qs = [data.Question(0, "where the cat sat", 4, ("D1:1",), ("D1:1",), ()),
          data.Question(1, "dogs bark", 1, ("D1:2",), ("D1:2", "D9:9"), ("D9:9",)),
          data.Question(2, "nothing", 3, (), (), ()),
          data.Question(3, "cat", 5, ("D1:2",), ("D1:2",), ())]
    conv = data.Conversation("c1", ("A", "B"), turns, qs)
    systems = []

    def make():
        systems.append(_OverlapSystem())
        return systems[-1]

    out = harness.evaluate("overlap", make, [conv], modes=("m1", "m2"), k=2)
    assert set(out) == {"overlap/m1", "overlap/m2"}
    r = out["overlap/m1"]
    assert r["questions_scored"] == 3 and r["questions_skipped_no_evidence"] == 1
    assert r["evidence_ids_unresolved"] == 1
    assert r["metrics"]["1-4"]["mrr"] == 1.0 and r["metrics"]["1-4"]["n"] == 2
    assert r["metrics"]["5"]["mrr"] == 0.5          # "cat" ranks D1:1 first
    assert r["search_latency"]["n"] == 3
    assert len(systems) == 1 and systems[0].closed  # one store per conversation
