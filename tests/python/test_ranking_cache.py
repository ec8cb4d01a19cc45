"""Ranking signals, MMR diversity and the caches through the Python API and the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stratamem import (ConfigError, InvalidInputError, InvalidTypeError, MemoryConfig, Ranking,
                       SyncMemory)
from test_cli import run_cli, run_json

RELEVANCE_ONLY = Ranking(recency=0, importance=0, access=0)


def test_score_is_relevance_scaled_by_the_signals(mem: SyncMemory) -> None:
    mem.save("The staging database runs PostgreSQL 16", user_id="u", importance=0.9)
    hit = mem.search("which database version", user_id="u")[0]
    factor = 0.75 + 0.1 * hit.recency + 0.1 * 0.9 + 0.05 * hit.access
    assert hit.score == pytest.approx(hit.relevance * factor)
    assert hit.recency == pytest.approx(1.0, abs=1e-3)  # saved moments ago
    assert hit.explanation.startswith(f"{hit.score:.4f} = relevance {hit.relevance:.4f}")
    assert "x importance 0.90" in hit.explanation
    plain = mem.search("which database version", user_id="u", ranking=RELEVANCE_ONLY)[0]
    assert plain.score == pytest.approx(plain.relevance)


def test_config_ranking_is_the_default(tmp_path: Path, config: MemoryConfig) -> None:
    with SyncMemory(config.replace(db_path=tmp_path / "r.db", ranking=RELEVANCE_ONLY)) as m:
        m.save("Lunch is at noon", user_id="u", importance=0.1)
        hit = m.search("lunch time", user_id="u")[0]
        assert hit.score == pytest.approx(hit.relevance)


def test_access_count_follows_searches(mem: SyncMemory) -> None:
    mid = mem.save("The wifi password is on the fridge", user_id="u")
    for _ in range(3):
        mem.search("wifi password", user_id="u", top_k=1)
    mem.save("an unrelated write flushes the counts", user_id="other")
    rec = mem.get(mid)
    assert rec.access_count == 3 and rec.last_accessed_at is not None


def test_diversity_prefers_a_different_memory(mem: SyncMemory) -> None:
    mem.save("Trip to Lisbon booked: flights on May 3", user_id="u", dedup=False)
    mem.save("Trip to Lisbon booked: flights on May 3 (confirmed)", user_id="u", dedup=False)
    other = mem.save("Trip packing list: sunscreen and a rain jacket", user_id="u")
    plain = mem.search("Lisbon trip booked", user_id="u", top_k=2, ranking=RELEVANCE_ONLY)
    assert other not in [h.id for h in plain]
    diverse = mem.search("Lisbon trip booked", user_id="u", top_k=2, ranking=RELEVANCE_ONLY,
                         diversity=0.8)
    assert diverse[0].id == plain[0].id and diverse[1].id == other


def test_bad_ranking_arguments_are_typed_errors(mem: SyncMemory) -> None:
    with pytest.raises(ConfigError):
        Ranking(recency=0.6, importance=0.5)
    with pytest.raises(ConfigError):
        Ranking(half_life_days=0)
    with pytest.raises(ConfigError):
        MemoryConfig(ranking={"recency": 0.1})  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        mem.search("x", user_id="u", ranking={"recency": 0.1})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        mem.search("x", user_id="u", diversity=1.0)


def test_stats_report_cache_hits_and_exact_invalidation(mem: SyncMemory) -> None:
    mem.save("Alice likes green tea", user_id="alice")
    for _ in range(3):
        mem.search("tea", user_id="alice")
    mem.search("tea", user_id="bob")
    cache = mem.stats()["cache"]
    assert cache["query"]["hits"] == 2 and cache["query"]["misses"] == 2
    assert cache["query"]["hit_rate"] == pytest.approx(0.5)
    assert cache["embedding"]["hits"] == 1  # bob's search embedded "tea" no more
    mem.save("Bob likes coffee", user_id="bob")  # drops bob's entry only
    assert mem.stats()["cache"]["query"]["invalidations"] == 1
    assert [h.content for h in mem.search("tea", user_id="alice")] == ["Alice likes green tea"]
    assert mem.stats()["cache"]["query"]["hits"] == 3
    mem.save("Alice also likes mint tea", user_id="alice")
    assert len(mem.search("tea", user_id="alice")) == 2  # recomputed, sees the new memory
    assert set(mem.stats()["ann"]) == {"rows", "source", "repaired_rows"}


def test_cache_can_be_turned_off(tmp_path: Path, config: MemoryConfig) -> None:
    with SyncMemory(config.replace(db_path=tmp_path / "c.db", cache_enabled=False)) as m:
        m.save("Alice likes green tea", user_id="alice")
        for _ in range(3):
            m.search("tea", user_id="alice")
        cache = m.stats()["cache"]
        assert cache["query"]["hits"] == 0 and cache["embedding"]["hits"] == 0
        assert cache["query"]["hit_rate"] is None


def test_cli_explain_diversity_and_cache_stats(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    run_cli("add", "Trip to Lisbon booked for May", "--user", "u", db=db)
    run_cli("add", "Trip packing list: sunscreen", "--user", "u", db=db)
    out = run_cli("search", "Lisbon trip", "--user", "u", "--explain", "--diversity", "0.3", db=db).stdout
    assert re.search(r"^\S+  [0-9.]+ = relevance [0-9.]+ \(", out, re.M), out
    hits = run_json("search", "Lisbon trip", "--user", "u", db=db)
    assert all(h["score"] <= h["relevance"] and h["explanation"] for h in hits)
    stats = run_json("stats", db=db)
    assert set(stats["cache"]) == {"query", "embedding"} and "rows" in stats["ann"]
    bad = run_cli("search", "x", "--user", "u", "--diversity", "1.5", db=db, expect=None)
    assert bad.returncode != 0 and "diversity" in bad.stderr
