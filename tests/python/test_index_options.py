"""The HNSW index's options through the Python API: compact vectors, the
background build, and what stats() says about the index."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from stratamem import ConfigError, MemoryConfig, SyncMemory

HASH = {"embedder_backend": "hash", "vector_dimension": 128}


def test_hnsw_scalar_is_validated() -> None:
    assert MemoryConfig(hnsw_scalar="I8").hnsw_scalar == "i8"
    with pytest.raises(ConfigError, match="hnsw_scalar"):
        MemoryConfig(hnsw_scalar="int4")


@pytest.mark.parametrize("scalar", ["f16", "i8"])
def test_compact_index_answers_and_a_scalar_change_rebuilds_it(tmp_path: Path, scalar: str) -> None:
    db = str(tmp_path / "compact.db")
    with SyncMemory(db_path=db, vector_backend="hnsw", **HASH) as m:
        ids = m.save_many([{"content": f"note {i} about topic {i % 7}", "user_id": "u", "dedup": False}
                           for i in range(300)])
    size_f32 = Path(db + ".hnsw").stat().st_size
    with SyncMemory(db_path=db, vector_backend="hnsw", hnsw_scalar=scalar, **HASH) as m:
        assert m.stats()["ann"] == {"rows": 300, "source": "built", "repaired_rows": 0}
        hits = m.search("note 42 about topic 0", user_id="u", top_k=10, mode="vector")
        assert ids[42] in [h.id for h in hits], [h.content for h in hits]
    assert Path(db + ".hnsw").stat().st_size < size_f32
    # Hits are re-scored from the float32 rows: the exact scan's cosines.
    with SyncMemory(db_path=db, vector_backend="exact", **HASH) as m:
        exact = {h.id: h.vector_score for h in
                 m.search("note 42 about topic 0", user_id="u", top_k=50, mode="vector")}
    for h in hits:
        assert h.vector_score == pytest.approx(exact[h.id], abs=1e-6)
    with SyncMemory(db_path=db, vector_backend="hnsw", hnsw_scalar=scalar, **HASH) as m:
        assert m.stats()["ann"]["source"] == "sidecar"


def test_auto_builds_the_index_in_the_background(tmp_path: Path) -> None:
    db = str(tmp_path / "auto.db")
    with SyncMemory(db_path=db, vector_backend="exact", durability="normal", **HASH) as m:
        m.save_many([{"content": f"memory number {i} of a large user", "user_id": "big", "dedup": False}
                     for i in range(9000)])
    with SyncMemory(db_path=db, **HASH) as m:  # vector_backend="auto"
        assert m.stats()["ann"]["source"] is None
        assert len(m.search("memory number 5", user_id="big", mode="vector")) == 10
        assert m.stats()["ann"]["source"] in ("building", "built"), m.stats()["ann"]
        deadline = time.monotonic() + 120
        while m.stats()["ann"]["source"] == "building" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert m.stats()["ann"] == {"rows": 9000, "source": "built", "repaired_rows": 0}
    assert Path(db + ".hnsw").exists()
