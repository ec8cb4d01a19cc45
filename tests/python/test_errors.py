"""Every "Bad input" case of the spec gets a typed error, nothing stored is
lost, and the store stays usable afterwards."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

import stratamem
from stratamem import (ConfigError, CorruptionError, DimensionMismatchError, InvalidInputError,
                       InvalidTypeError, MemoryConfig, StratamemError, NotFoundError,
                       NotSupportedError, StoreError, SyncMemory, _core)


@pytest.fixture
def seeded(mem: SyncMemory):
    """A store holding one memory; the test checks it survives every error."""
    mid = mem.save("The one memory that must survive", user_id="u")
    yield mem
    assert mem.get(mid).content == "The one memory that must survive"
    assert len(mem.get_all(user_id="u")) == 1
    later = mem.save("still usable", user_id="later")
    assert mem.search("usable", user_id="later")[0].id == later


@pytest.mark.parametrize("content", ["", "   ", "\n\t \r\n", "\u3000"])
def test_empty_or_whitespace_content(seeded, content):
    with pytest.raises(InvalidInputError, match="empty|whitespace"):
        seeded.save(content, user_id="u")


def test_oversized_content(seeded):
    with pytest.raises(InvalidInputError, match="32768|bytes|large|long"):
        seeded.save("x" * (32 * 1024 + 1), user_id="u")


def test_size_limit_is_configurable_and_counts_utf8_bytes(config):
    with SyncMemory(config.replace(max_content_bytes=100)) as m:
        m.save("a" * 100, user_id="u")
        with pytest.raises(InvalidInputError):
            m.save("é" * 51, user_id="u")  # 51 characters, 102 bytes
        assert len(m.get_all(user_id="u")) == 1


@pytest.mark.parametrize("field", ["content", "user_id", "session_id", "source_agent"])
def test_lone_surrogates(seeded, field):
    kwargs = {"content": "valid text", "user_id": "u", field: "bad \ud800 text"}
    with pytest.raises(InvalidInputError, match="Unicode"):
        seeded.save(**kwargs)


def test_lone_surrogates_in_metadata_and_query(seeded):
    with pytest.raises(InvalidInputError):
        seeded.save("fine", user_id="u", metadata={"k": "\udcff"})
    with pytest.raises(InvalidInputError):
        seeded.search("query \udc80", user_id="u")


def test_nul_bytes(seeded):
    with pytest.raises(InvalidInputError, match="NUL|null|\\\\0"):
        seeded.save("before\x00after", user_id="u")


def test_unknown_id(seeded):
    with pytest.raises(NotFoundError) as info:
        seeded.get("00000000-0000-7000-8000-000000000000")
    assert isinstance(info.value, KeyError)
    with pytest.raises(NotFoundError):
        seeded.delete("no-such-id")


@pytest.mark.parametrize("kwargs", [
    {"content": 123, "user_id": "u"},
    {"content": b"bytes", "user_id": "u"},
    {"content": "ok", "user_id": 7},
    {"content": "ok", "user_id": "u", "session_id": 1, "scope": "session"},
    {"content": "ok", "user_id": "u", "importance": "high"},
    {"content": "ok", "user_id": "u", "metadata": "not a dict"},
    {"content": "ok", "user_id": "u", "metadata": {1: "int key"}},
    {"content": "ok", "user_id": "u", "scope": 0},
])
def test_wrong_types_on_save(seeded, kwargs):
    with pytest.raises(InvalidTypeError) as info:
        seeded.save(**kwargs)
    assert isinstance(info.value, TypeError) and isinstance(info.value, InvalidInputError)


def test_wrong_types_elsewhere(seeded):
    with pytest.raises(InvalidTypeError):
        seeded.search("q", user_id="u", top_k="3")
    with pytest.raises(InvalidTypeError):
        seeded.search("q", user_id="u", filters=["a"])
    with pytest.raises(InvalidTypeError):
        seeded.get(42)
    with pytest.raises(InvalidTypeError):
        seeded.save_many("not a list")
    with pytest.raises(InvalidInputError, match="unknown key"):
        seeded.save_many([{"content": "x", "user_id": "u", "colour": "red"}])
    with pytest.raises(InvalidInputError, match="not JSON"):
        seeded.save("x", user_id="u", metadata={"when": object()})


def test_bad_values(seeded):
    with pytest.raises(InvalidInputError, match="scope"):
        seeded.save("x", user_id="u", scope="global")
    with pytest.raises(InvalidInputError, match="mode"):
        seeded.search("x", user_id="u", mode="fuzzy")
    with pytest.raises(InvalidInputError, match="importance"):
        seeded.save("x", user_id="u", importance=1.5)
    with pytest.raises(InvalidInputError, match="top_k"):
        seeded.search("x", user_id="u", top_k=0)
    with pytest.raises(InvalidInputError, match="min_score"):
        seeded.search("x", user_id="u", min_score=1.5)
    with pytest.raises(InvalidInputError, match="limit"):
        seeded.get_all(user_id="u", limit=0)


@pytest.mark.parametrize("scope,ids,missing", [
    ("user", {"user_id": ""}, "user_id"),
    ("session", {"user_id": "u"}, "session_id"),
    ("agent", {"user_id": "u", "session_id": "s"}, "agent_id"),
    ("turn", {"user_id": "u", "session_id": "s", "agent_id": "a"}, "turn_id"),
])
def test_missing_ids_for_scope(seeded, scope, ids, missing):
    with pytest.raises(InvalidInputError, match=missing):
        seeded.save("x", scope=scope, **ids)


def test_search_needs_a_user(seeded):
    with pytest.raises(InvalidInputError, match="user_id"):
        seeded.search("x", user_id="")


def test_failed_batch_stores_nothing(seeded):
    with pytest.raises(InvalidInputError):
        seeded.save_many([{"content": "good", "user_id": "u"}, {"content": " ", "user_id": "u"}])


def _assert_refused_untouched(path: Path, model_dir: str, error: type[Exception]) -> None:
    before = path.read_bytes()
    with pytest.raises(error):
        SyncMemory(db_path=str(path), model_dir=model_dir)
    assert path.read_bytes() == before
    assert not Path(str(path) + "-wal").exists() or Path(str(path) + "-wal").stat().st_size == 0


def test_non_sqlite_file(tmp_path, model_dir):
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes, not a database\n" * 50)
    _assert_refused_untouched(path, model_dir, CorruptionError)


def test_corrupted_store_file(config, model_dir):
    with SyncMemory(config) as m:
        m.save_many([{"content": f"fact {i}", "user_id": "u"} for i in range(20)])
    path = Path(config.db_path)
    data = bytearray(path.read_bytes())
    data[0:100] = os.urandom(100)  # the SQLite header
    path.write_bytes(bytes(data))
    _assert_refused_untouched(path, model_dir, CorruptionError)


def test_other_sqlite_database_is_not_taken_over(tmp_path, model_dir):
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE memories (whatever TEXT)")
        db.execute("INSERT INTO memories VALUES ('precious')")
    db.close()
    _assert_refused_untouched(path, model_dir, StoreError)


# A missing parent directory is created (tests/python/test_damaged_files.py).
@pytest.mark.parametrize("make_path", [
    lambda tmp: tmp / "a-file.txt" / "x.db",
    lambda tmp: tmp,  # a directory
])
def test_unwritable_path(tmp_path, model_dir, make_path):
    (tmp_path / "a-file.txt").write_text("plain file")
    with pytest.raises(StoreError):
        SyncMemory(db_path=str(make_path(tmp_path)), model_dir=model_dir)


def test_dimension_mismatch_on_reopen(config):
    with SyncMemory(config) as m:
        mid = m.save("kept", user_id="u")
    with pytest.raises(DimensionMismatchError, match="768|384"):
        SyncMemory(config.replace(vector_dimension=768))
    with SyncMemory(config) as m:
        assert m.get(mid).content == "kept"


@pytest.mark.parametrize("backend", ["onnx", "LOCAL", stratamem.EmbedderBackend.ONNX])
def test_python_backends_need_a_model_directory(db_path, backend):
    with pytest.raises(ConfigError) as info:
        SyncMemory(db_path=db_path, embedder_backend=backend)
    name = str(getattr(backend, "value", backend)).upper()
    assert name in str(info.value)
    assert not Path(db_path).exists()


def test_config_errors():
    with pytest.raises(ConfigError, match="colour"):
        SyncMemory(colour="blue")
    with pytest.raises(ConfigError, match="vector_backend"):
        MemoryConfig(vector_backend="annoy")
    with pytest.raises(ConfigError, match="hnsw_m"):
        MemoryConfig(hnsw_m=0)
    with pytest.raises(ConfigError, match="cache_max_size"):
        MemoryConfig(cache_max_size=-1)
    with pytest.raises(ConfigError, match="durability"):
        MemoryConfig(durability="sometimes")
    with pytest.raises(ConfigError, match="embedder_model"):
        SyncMemory(db_path=":memory:", embedder_model="no-such-model")
    with pytest.raises(InvalidTypeError):
        SyncMemory(config={"db_path": "x"})
    assert isinstance(ConfigError("x"), ValueError)
    assert MemoryConfig(vector_backend="HNSW").vector_backend is stratamem.VectorBackend.HNSW
    assert "secret" not in repr(MemoryConfig(embedder_api_key="secret"))


def test_every_engine_code_maps_to_a_typed_error():
    expected = {
        _core.StatusCode.INVALID_ARGUMENT: stratamem.InvalidInputError,
        _core.StatusCode.NOT_FOUND: stratamem.NotFoundError,
        _core.StatusCode.CORRUPTION: stratamem.CorruptionError,
        _core.StatusCode.IO_ERROR: stratamem.StoreError,
        _core.StatusCode.DIMENSION_MISMATCH: stratamem.DimensionMismatchError,
        _core.StatusCode.NOT_SUPPORTED: stratamem.NotSupportedError,
        _core.StatusCode.EMBEDDER_ERROR: stratamem.EmbedderError,
        _core.StatusCode.INTERNAL: stratamem.InternalError,
    }
    for code, cls in expected.items():
        with pytest.raises(StratamemError) as info:
            _core._raise_status(code, "boom")
        assert type(info.value) is cls and str(info.value) == "boom"
        assert info.value.status_code == code.value
    _core._raise_status(_core.StatusCode.OK, "")  # no error
