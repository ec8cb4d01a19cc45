"""A save is acknowledged only after it committed: a child saving in a loop is
SIGKILLed; every id it reported is there afterwards and the file is intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from stratamem import SyncMemory

CHILD = textwrap.dedent("""
    import sys
    from stratamem import SyncMemory
    m = SyncMemory(db_path=sys.argv[1], model_dir=sys.argv[2])
    i = 0
    while True:
        mid = m.save(f"note {i}: the kill test writes memory number {i}", user_id="k",
                     metadata={"i": i})
        print(mid, flush=True)
        i += 1
""")


def run_until_killed(code: str, argv: list[str], count: int) -> list[str]:
    """Runs `code` in a child that prints one id per acknowledged save, SIGKILLs
    it after `count` ids, and returns them."""
    child = subprocess.Popen([sys.executable, "-c", code, *argv],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reported: list[str] = []
    try:
        while len(reported) < count:
            line = child.stdout.readline()
            assert line, f"child exited early: {child.stderr.read()}"
            reported.append(line.strip())
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return reported


@pytest.mark.slow
@pytest.mark.parametrize("round_, kill_after", [(0, 5), (1, 23), (2, 57)])
def test_reported_saves_survive_sigkill(tmp_path, model_dir, round_, kill_after):
    db = str(tmp_path / "kill.db")
    reported: list[str] = []
    # Each round kills a child that appends to the same file as the ones before.
    for _ in range(2):
        reported += run_until_killed(CHILD, [db, model_dir], kill_after)

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with SyncMemory(db_path=db, model_dir=model_dir) as m:
        stored = {r.id for r in m.get_all(user_id="k")}
        assert set(reported) <= stored
        # At most one save per child can have committed without being reported.
        assert len(stored) - len(reported) <= 2
        for mid in reported[-3:]:
            assert m.get(mid).content.startswith("note ")


INDEX_CHILD = textwrap.dedent("""
    import sys
    from stratamem import SyncMemory
    m = SyncMemory(db_path=sys.argv[1], embedder_backend="hash", vector_dimension=256,
                   vector_backend="hnsw")
    i = 0
    while True:
        mid = m.save(f"crash note {i} about index recovery", user_id="k", dedup=False)
        print(mid, flush=True)
        i += 1
""")


@pytest.mark.slow
def test_index_recovers_from_sqlite_after_a_crash_between_commit_and_index_save(tmp_path):
    """The HNSW sidecar is written on close, not per save: a SIGKILLed writer
    leaves it behind the table. Reopening repairs it from SQLite, and every
    acknowledged save is found through the index."""
    db = str(tmp_path / "crash.db")
    hash_cfg = {"embedder_backend": "hash", "vector_dimension": 256, "vector_backend": "hnsw"}
    with SyncMemory(db_path=db, **hash_cfg) as m:  # an index saved at close
        first = m.save_many([{"content": f"seed memory {i}", "user_id": "k", "dedup": False}
                             for i in range(200)])
    assert os.path.exists(db + ".hnsw")
    reported = run_until_killed(INDEX_CHILD, [db], 40)
    with SyncMemory(db_path=db, **hash_cfg) as m:
        ann = m.stats()["ann"]
        stored = {r.id for r in m.get_all(user_id="k")}
        assert set(reported) <= stored
        # Exactly the rows the child committed were added to the stale index.
        assert ann["source"] == "repaired"
        assert ann["repaired_rows"] == len(stored) - len(first) >= len(reported)
        assert ann["rows"] == len(stored)
        # Every acknowledged save is found by a search after the crash (hybrid:
        # the BM25 side matches each of them; the walk alone is approximate over
        # these near-identical hash vectors).
        found = {h.id for h in m.search("crash note about index recovery", user_id="k", top_k=1000)}
        assert set(reported) <= found


GRAPH_CHILD = textwrap.dedent("""
    import sys
    from stratamem import SyncMemory
    m = SyncMemory(db_path=sys.argv[1], embedder_backend="hash", vector_dimension=256)
    i = 0
    while True:
        mid = m.save(f"Note {i}: Alice met Person{i} in Berlin", user_id="k", dedup=False,
                     relationships=[("Alice", "met", f"Person{i}")])
        print(mid, flush=True)
        i += 1
""")

# Rows that point at nothing, or at another user's rows (VerifyGraph's checks).
DANGLING = """
SELECT (SELECT count(*) FROM mentions t WHERE NOT EXISTS (SELECT 1 FROM memories m WHERE m.seq = t.seq))
     + (SELECT count(*) FROM relations r WHERE NOT EXISTS (SELECT 1 FROM memories m WHERE m.seq = r.seq))
     + (SELECT count(*) FROM relations r WHERE NOT EXISTS
          (SELECT 1 FROM mentions t WHERE t.seq = r.seq AND t.entity_id = r.subject_id))
     + (SELECT count(*) FROM entities e WHERE NOT EXISTS (SELECT 1 FROM mentions t WHERE t.entity_id = e.id))
"""


@pytest.mark.slow
def test_graph_rows_commit_with_their_memory_across_sigkill(tmp_path):
    """Mentions and relations are written in the memory's transaction: after
    SIGKILLs every acknowledged save has its relation, nothing dangles, and a
    delete after the restart takes the graph rows with it."""
    db = str(tmp_path / "graph-kill.db")
    reported: list[str] = []
    for kill_after in (7, 31):
        reported += run_until_killed(GRAPH_CHILD, [db], kill_after)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute(DANGLING).fetchone()[0] == 0
        # One relation per memory that committed, never a memory without its relation.
        memories = conn.execute("SELECT count(*) FROM memories").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM relations").fetchone()[0] == memories
    conn.close()
    with SyncMemory(db_path=db, embedder_backend="hash", vector_dimension=256) as m:
        rels = {r.memory_id: r for r in m.relations(user_id="k", limit=10000)}
        assert set(reported) <= set(rels)
        last = reported[-1]
        assert rels[last].subject == "Alice" and rels[last].predicate == "met"
        m.delete(last)
        assert last not in {r.memory_id for r in m.relations(user_id="k", limit=10000)}
    with sqlite3.connect(db) as conn:
        assert conn.execute(DANGLING).fetchone()[0] == 0
    conn.close()
