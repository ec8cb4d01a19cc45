"""Issue 9: damaged or missing files. Each case is a clear typed error or a
silent rebuild of what is derived (the .hnsw sidecar), and nothing already
stored is lost or overwritten. Real files, the hash embedder (no model)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from stratamem import CorruptionError, StoreError, SyncMemory

HASH = {"embedder_backend": "hash", "vector_dimension": 64}


def fill(db: Path, n: int = 300, **options) -> list[str]:
    with SyncMemory(db_path=str(db), **HASH, **options) as m:
        return m.save_many([{"content": f"fact number {i} about topic {i % 11}", "user_id": "u"} for i in range(n)])


def contents(db: Path, **options) -> set[str]:
    with SyncMemory(db_path=str(db), **HASH, **options) as m:
        return {r.content for r in m.get_all(user_id="u")}


def test_missing_parent_directory_is_created(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "nested" / "memory.db"
    fill(db, 3)
    assert db.exists() and len(contents(db)) == 3


@pytest.mark.model
def test_cli_on_a_fresh_machine_creates_the_directory(tmp_path: Path) -> None:
    exe = shutil.which("stratamem")
    db = tmp_path / "home" / ".stratamem" / "memory.db"  # as docs/agents.md's snippets use it
    r = subprocess.run([exe, "add", "--db", str(db), "--user", "u", "first fact"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert db.exists()


def test_not_sqlite_is_a_corruption_error_and_the_file_is_untouched(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    original = b"these are my notes, not a database\n" * 200
    db.write_bytes(original)
    with pytest.raises(CorruptionError, match="not a stratamem store|damaged"):
        SyncMemory(db_path=str(db), **HASH)
    assert db.read_bytes() == original


@pytest.mark.parametrize("keep", [0.5, 0.1, 100])
def test_truncated_db_is_a_typed_error_never_overwritten(tmp_path: Path, keep: float) -> None:
    db = tmp_path / "t.db"
    fill(db)
    size = db.stat().st_size
    cut = int(size * keep) if keep < 1 else int(keep)
    with open(db, "r+b") as f:
        f.truncate(cut)
    damaged = db.read_bytes()
    try:
        with SyncMemory(db_path=str(db), **HASH) as m:
            m.get_all(user_id="u")
            m.search("fact number 3", user_id="u")
            m._engine().verify()
            pytest.fail("a truncated store passed verify()")
    except (CorruptionError, StoreError) as exc:
        assert str(exc)
    assert db.read_bytes()[:len(damaged)] == damaged[:len(damaged)]


def test_corrupted_page_is_found_and_the_rest_is_readable(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    fill(db, 2000)
    page = sqlite3.connect(db).execute("PRAGMA page_size").fetchone()[0]
    with open(db, "r+b") as f:
        f.seek(page * 5)
        f.write(os.urandom(page))  # one page of the middle of the file
    with pytest.raises((CorruptionError, StoreError)):
        with SyncMemory(db_path=str(db), **HASH) as m:
            m._engine().verify()
            m.get_all(user_id="u")
            pytest.fail("a corrupted page went unnoticed")


def run_without_override(code: str) -> subprocess.CompletedProcess:
    """Root ignores file modes: the read-only cases run without the
    capabilities that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH)."""
    argv = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        argv = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--", *argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("what", ["file", "directory"])
def test_read_only_file_or_directory(tmp_path: Path, what: str) -> None:
    d = tmp_path / "ro"
    d.mkdir()
    db = d / "r.db"
    fill(db, 20)
    if what == "file":
        os.chmod(db, 0o444)
    else:
        os.chmod(d, 0o555)
    code = f"""
import sys
from stratamem import StoreError, SyncMemory
try:
    with SyncMemory(db_path={str(db)!r}, embedder_backend="hash", vector_dimension=64) as m:
        m.save("new fact", user_id="u")
    print("WROTE")
except StoreError as exc:
    print("STOREERROR", exc)
import sqlite3
print("READ", sqlite3.connect("file:" + {str(db)!r} + "?immutable=1", uri=True).execute(
    "SELECT count(*) FROM memories").fetchone()[0])
"""
    r = run_without_override(code)
    os.chmod(d, 0o755)
    assert "STOREERROR" in r.stdout, r.stdout + r.stderr
    assert re.search(r"read-?only", r.stdout), r.stdout
    assert "READ 20" in r.stdout, r.stdout + r.stderr
    assert len(contents(db)) == 20


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other store", "empty"])
def test_damaged_sidecar_is_rebuilt_silently(tmp_path: Path, damage: str) -> None:
    db = tmp_path / "s.db"
    fill(db, 500, vector_backend="hnsw")
    sidecar = Path(str(db) + ".hnsw")
    assert sidecar.exists()
    if damage == "truncate":
        data = sidecar.read_bytes()
        sidecar.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        sidecar.write_bytes(os.urandom(sidecar.stat().st_size))
    elif damage == "empty":
        sidecar.write_bytes(b"")
    else:
        other = tmp_path / "other.db"
        with SyncMemory(db_path=str(other), vector_backend="hnsw", **HASH) as m:  # same parameters
            m.save_many([{"content": f"someone else's fact {i}", "user_id": "u"} for i in range(500)])
        shutil.copy(str(other) + ".hnsw", sidecar)
    with SyncMemory(db_path=str(db), vector_backend="hnsw", **HASH) as m:
        assert m.stats()["ann"]["source"] == "built", m.stats()["ann"]
        hits = m.search("fact number 123 about topic 2", user_id="u", mode="vector", top_k=1)
        assert hits[0].content == "fact number 123 about topic 2"
        m._engine().verify()
    assert len(contents(db)) == 500
