"""Issue 10: the engine carries its own SQLite (3.54.1, docs/format.md). A store
written by the builds that linked Debian's SQLite 3.40.1 opens and keeps working,
the system's SQLite reads what ours wrote, and the module loads no libsqlite3.
Real files, the hash embedder (no model)."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import stratamem._core as core
from stratamem import SyncMemory

HASH = {"embedder_backend": "hash", "vector_dimension": 64}
# Written by the engine built against Debian's libsqlite3 3.40.1: users "u"
# (19 memories, metadata {"k": i % 3}, "fact number 0 ..." deleted) and "alice".
OLD_STORE = Path(__file__).parent / "fixtures" / "store_sqlite_3_40_1.db.gz"


def old_store(tmp_path: Path) -> Path:
    db = tmp_path / "old.db"
    db.write_bytes(gzip.decompress(OLD_STORE.read_bytes()))
    return db


def test_a_store_written_with_sqlite_3_40_opens_and_keeps_working(tmp_path: Path) -> None:
    db = old_store(tmp_path)
    with SyncMemory(db_path=str(db), **HASH) as m:
        facts = {r.content for r in m.get_all(user_id="u")}
        assert len(facts) == 19 and "fact number 0 about topic 0" not in facts
        hits = m.search("Python backend", user_id="alice", mode="text")  # FTS5
        assert [h.content for h in hits] == ["Alice prefers Python for backend work"]
        filtered = m.search("fact topic", user_id="u", mode="text", top_k=50, filters={"k": 2})  # json_extract
        assert len(filtered) == 6 and all(r.metadata == {"k": 2} for r in filtered)
        new = m.save("Alice deploys on Fridays", user_id="alice")
        assert m.search("deploys Fridays", user_id="alice", mode="text")[0].id == new
    with SyncMemory(db_path=str(db), **HASH) as m:
        assert len(m.get_all(user_id="alice")) == 2
        m._engine().verify()  # integrity_check, the FTS5 index, no orphan vectors


def test_the_system_sqlite_reads_what_the_engine_wrote(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    with SyncMemory(db_path=str(db), **HASH) as m:
        m.save("Bob's favourite editor is Helix", user_id="bob", metadata={"src": "chat"})
    with sqlite3.connect(db) as c:  # Python's sqlite3: the system's libsqlite3
        assert c.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = c.execute("SELECT content FROM memories_fts WHERE memories_fts MATCH 'helix'").fetchall()
        assert rows == [("Bob's favourite editor is Helix",)]


def test_the_module_needs_no_libsqlite3() -> None:
    # DT_NEEDED names sit in the module's string table: a module linked to the
    # system's SQLite names libsqlite3.so.0 there.
    assert b"libsqlite3.so" not in Path(core.__file__).read_bytes()
