"""Dedup on save, versions (update / supersede / history) and as-of search,
through the Python API on real files with the real model."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from stratamem import Memory, NotFoundError, SavedId, SyncMemory

from conftest import run


def test_same_fact_from_two_agents_is_merged_with_provenance(mem):
    first = mem.save("Project uses uv, not pip", user_id="team", agent_id="claude", importance=0.4)
    again = mem.save("project uses uv, NOT pip.", user_id="team", agent_id="codex", importance=0.9)
    assert isinstance(first, SavedId) and isinstance(first, str)
    assert first.merged is False
    assert again.merged is True and again == first
    record = mem.get(first)
    assert record.sources == ("claude", "codex")
    assert record.seen_count == 2
    assert record.importance == 0.9
    assert mem.stats(user_id="team")["total"] == 1


def test_different_facts_that_embed_alike_are_not_merged(mem):
    ids = mem.save_many([{"content": f"Meeting with the bank at {h} pm", "user_id": "u"} for h in (3, 4, 5)])
    assert [i.merged for i in ids] == [False, False, False]
    swapped = mem.save("Project uses pip, not uv", user_id="u")
    original = mem.save("Project uses uv, not pip", user_id="u")
    assert not swapped.merged and not original.merged
    assert mem.stats(user_id="u")["total"] == 5


def test_dedup_can_be_turned_off_per_save(mem):
    a = mem.save("likes green tea", user_id="u")
    b = mem.save("likes green tea", user_id="u", dedup=False)
    assert a != b and not b.merged


def test_update_keeps_the_id_and_the_old_version_leaves_search(mem):
    sid = mem.save("Alice lives in Berlin", user_id="alice")
    before_move = datetime.now(timezone.utc)
    time.sleep(0.01)
    record = mem.update(sid, "Alice lives in Lisbon")
    assert record.id == sid and record.version == 2
    hits = mem.search("where does Alice live", user_id="alice")
    assert [h.content for h in hits] == ["Alice lives in Lisbon"]
    past = mem.search("where does Alice live", user_id="alice", as_of=before_move)
    assert [h.content for h in past] == ["Alice lives in Berlin"]
    history = mem.history(sid)
    assert [(h.version, h.content) for h in history] == [(1, "Alice lives in Berlin"), (2, "Alice lives in Lisbon")]
    assert history[0].valid_to is not None and history[1].valid_to is None


def test_supersede_and_history_across_a_reopen(config):
    with SyncMemory(config) as mem:
        old = mem.save("Bob drinks coffee", user_id="bob", agent_id="claude")
        new = mem.supersede(old, "Bob switched to tea")
    with SyncMemory(config) as mem:
        assert mem.get(old).superseded_by == new
        assert [h.content for h in mem.history(new)] == ["Bob drinks coffee", "Bob switched to tea"]
        assert mem.get(new).source_agent == "claude"
        assert [h.content for h in mem.search("what does Bob drink", user_id="bob")] == ["Bob switched to tea"]
        with pytest.raises(NotFoundError):
            mem.history("no-such-id")


def test_async_twin_has_the_same_version_methods(config):
    async def main():
        async with Memory(config) as mem:
            sid = await mem.save("Carol uses vim", user_id="carol")
            merged = await mem.save("Carol uses vim", user_id="carol", agent_id="gemini")
            assert merged.merged and merged == sid
            await mem.update(sid, "Carol uses emacs", importance=0.8)
            history = await mem.history(sid)
            assert [h.content for h in history] == ["Carol uses vim", "Carol uses emacs"]
            assert history[-1].importance == 0.8
            new = await mem.supersede(sid, "Carol uses helix")
            assert (await mem.get(sid)).superseded_by == new
    run(main())
