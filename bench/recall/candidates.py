"""The engine's full-text signal for every question of a set, with the term
statistics a calibration needs, read from a real store the engine built.

Each instance is saved through ``SyncMemory`` (the ``hash`` embedder: only the
full-text index is read here, the vectors come from ``reference_vectors``), then
the store's FTS5 table is queried with Python's sqlite3 exactly as the engine
queries it: the same MATCH (``BuildFtsQuery``'s words, quoted and OR'd, stop
words dropped), the same ``bm25(memories_fts, 1.0, 0.0)``. Per question it
records every matching memory's BM25 and, per query term, the number of rows
holding it, so any normalisation can be recomputed offline.
"""
from __future__ import annotations

import math
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .sets import Instance

# src/fts/fts_query.cc, kStopwords (kept in step by test_recall_bench.py).
STOPWORDS = frozenset("""a about after all also am an and any are as at be been but by can could did do
does for from had has have he her him his how i if in into is it its me my no not of on or our s she
should so some than that the their them then there these they this to was we were what when where which
who whom why will with would you your""".split())


def fts_terms(text: str, max_terms: int = 32) -> list[str]:
    """The words BuildFtsQuery quotes: runs of ASCII letters, digits, '_' and
    non-ASCII bytes; first occurrences; stop words dropped unless nothing is left."""
    terms: list[str] = []
    cur = bytearray()
    raw = text.encode("utf-8")

    def flush() -> None:
        w = cur.decode("utf-8", "replace")
        if cur and len(terms) < max_terms and w not in terms:
            terms.append(w)
        cur.clear()

    for b in raw:
        if b >= 0x80 or chr(b).isascii() and (chr(b).isalnum() or b == ord("_")):
            cur.append(b)
        else:
            flush()
    flush()
    content = [t for t in terms if t.lower() not in STOPWORDS]
    return content or terms


@dataclass
class TextSignal:
    n_rows: int                      # rows in the FTS table (BM25's N)
    terms: list[str]
    term_rows: list[int]             # rows holding each term (BM25's n_t)
    hits: dict[str, float]           # doc key -> BM25 (higher is better)


def idf(n_rows: int, n_t: int) -> float:
    """FTS5's idf (fts5_aux.c): log((N - n + 0.5) / (n + 0.5)), at least 1e-6."""
    v = math.log((n_rows - n_t + 0.5) / (n_t + 0.5))
    return v if v > 0 else 1e-6


def collect(inst: Instance, workdir: str | None = None) -> dict[str, TextSignal]:
    from stratamem import SyncMemory
    with tempfile.TemporaryDirectory(prefix="recall-", dir=workdir) as tmp:
        db = str(Path(tmp) / "m.db")
        mem = SyncMemory(db_path=db, embedder_backend="hash", vector_dimension=None,
                         durability="normal", cache_enabled=False)
        ids = mem.save_many([{"content": d.text, "user_id": inst.user, "dedup": False,
                              "metadata": {"key": d.key}} for d in inst.docs])
        mem.close()
        del ids
        con = sqlite3.connect(db)
        key_of = {seq: key for seq, key in con.execute(
            "SELECT seq, json_extract(metadata, '$.key') FROM memories")}
        n_rows = con.execute("SELECT count(*) FROM memories_fts").fetchone()[0]
        out = {}
        for q in inst.queries:
            terms = fts_terms(q.text)
            match = " OR ".join(f'"{t}"' for t in terms)
            hits = {}
            if match:
                for seq, s in con.execute(
                        "SELECT rowid, -bm25(memories_fts, 1.0, 0.0) FROM memories_fts "
                        "WHERE memories_fts MATCH ?", (match,)):
                    hits[key_of[seq]] = s
            rows = [con.execute("SELECT count(*) FROM memories_fts WHERE memories_fts MATCH ?",
                                (f'content : "{t}"',)).fetchone()[0] for t in terms]
            out[q.key] = TextSignal(n_rows, terms, rows, hits)
        con.close()
        return out
