"""Issue 9, the engine's own boundary: metadata and filters past the
documented depth or size are InvalidInputError (never RecursionError or a raw
SQLite CHECK failure), and clear() counts memories, not version rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from stratamem import InvalidInputError, SyncMemory
from test_cli import run_cli

HASH = {"embedder_backend": "hash", "vector_dimension": 64}


def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.fixture
def m(tmp_path: Path):
    with SyncMemory(db_path=str(tmp_path / "s.db"), **HASH) as mem:
        yield mem


@pytest.mark.parametrize("depth", [33, 1500, 5000])
def test_deep_metadata_is_invalid_input(m: SyncMemory, depth: int) -> None:
    with pytest.raises(InvalidInputError, match="nested"):
        m.save("deep", user_id="u", metadata={"a": nested(depth)})
    mid = m.save("shallow", user_id="u", metadata={"a": nested(30)})  # 31 levels with the object
    with pytest.raises(InvalidInputError, match="nested"):
        m.update(mid, "shallow", metadata={"a": nested(depth)})
    with pytest.raises(InvalidInputError):
        m.search("shallow", user_id="u", filters={"a": nested(depth)})
    assert [r.content for r in m.get_all(user_id="u")] == ["shallow"]


def test_metadata_size_limit(m: SyncMemory) -> None:
    with pytest.raises(InvalidInputError, match="65536"):
        m.save("big", user_id="u", metadata={"blob": "x" * (10 << 20)})
    m.save("fits", user_id="u", metadata={"blob": "x" * 60000})


def test_clear_counts_memories_not_versions(m: SyncMemory) -> None:
    mid = m.save("first text", user_id="u")
    m.update(mid, "second text")
    m.update(mid, "third text")
    m.save("another", user_id="u")
    assert m.clear(user_id="u") == 2


@pytest.mark.model
def test_cli_counts_in_words(tmp_path: Path, model_dir: str) -> None:
    db = tmp_path / "c.db"
    with SyncMemory(db_path=str(db), model_dir=model_dir) as mem:
        mid = mem.save("Kim likes tea", user_id="kim")
        mem.update(mid, "Kim likes green tea")
        mem.update(mid, "Kim likes jasmine tea")
    out = tmp_path / "e.jsonl"
    done = run_cli("export", "--user", "kim", "--out", str(out), db=db)
    assert "exported 1 memory (3 versions)" in done.stderr, done.stderr
    done = run_cli("clear", "--user", "kim", "--yes", db=db)
    assert done.stdout.startswith("deleted 1 memory ("), done.stdout
