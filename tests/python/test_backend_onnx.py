"""EmbedderBackend.ONNX with the real onnxruntime, on a model directory laid
out from the e5-small-v2 registry artifact (model.onnx + tokenizer.json + a
manifest), through the public API: the engine applies the prefixes once, the
vectors match the native encoder's, errors of the Python side are typed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from stratamem import SyncMemory, _core, models
from stratamem.backends import OnnxBackend, engine_embedder
from stratamem.errors import ConfigError, DimensionMismatchError, EmbedderError

from model_jars import E5, extract_onnx, jar_path

pytestmark = pytest.mark.model

TEXTS = ["Prefers green tea in the morning", "The deploy runs on Fridays",
         "Alice moved to Lisbon in 2021", "What does the user drink?"]


@pytest.fixture(scope="module")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("e5-onnx")
    extract_onnx(E5, root)
    (root / "stratamem_model.json").write_text(json.dumps(
        {"name": E5, "pooling": "mean", "query_prefix": "query: ", "passage_prefix": "passage: ",
         "max_tokens": 512}))
    return root


@pytest.fixture(scope="module")
def native_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    store = tmp_path_factory.mktemp("store")
    jar_path(E5)
    return models.pull(E5, store_dir=store, repository_url=f"file://{store}/none").dir


def cos(a, b) -> np.ndarray:
    a, b = np.asarray(a), np.asarray(b)
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def test_onnx_backend_matches_the_native_encoder(onnx_dir: Path, native_dir: str) -> None:
    backend = OnnxBackend(onnx_dir)
    assert (backend.dimension, backend.model_id, backend.pooling) == (384, "e5-small-v2", "mean")
    engine = engine_embedder(backend, backend_code=1, model_dir=str(onnx_dir))
    nat = _core.Embedder(model_dir=native_dir)
    for kind in (_core.EmbedKind.QUERY, _core.EmbedKind.PASSAGE):
        got = engine.embed(TEXTS, kind)
        assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
        assert cos(got, nat.embed(TEXTS, kind)).min() >= 0.9999
    # The backend itself sees the prefixed text: the engine added "query: " once.
    raw = backend.embed_batch(["query: " + TEXTS[0]])
    assert cos(engine.embed(TEXTS[:1], _core.EmbedKind.QUERY), raw)[0] > 0.99999


def test_memory_with_the_onnx_backend(tmp_path: Path, onnx_dir: Path) -> None:
    with SyncMemory(db_path=str(tmp_path / "m.db"), embedder_backend="onnx", model_dir=onnx_dir) as m:
        for t in TEXTS[:3]:
            m.save(t, user_id="u")
        hits = m.search("what tea does the user like?", user_id="u", mode="vector")
        assert hits[0].record.content == TEXTS[0]
        assert m.stats()["embedder_model"] == "e5-small-v2"


def test_callback_errors_are_typed(onnx_dir: Path) -> None:
    def boom(texts, kind):
        raise RuntimeError("the model fell over")

    e = _core.Embedder(backend=1, model="x", dimension=3, callback=boom)
    with pytest.raises(EmbedderError, match="the model fell over"):
        e.embed(["a"])
    wrong = _core.Embedder(backend=1, model="x", dimension=4, callback=lambda t, k: [[1.0, 0, 0]] * len(t))
    with pytest.raises(DimensionMismatchError):
        wrong.embed(["a"])
    short = _core.Embedder(backend=1, model="x", dimension=3, callback=lambda t, k: [])
    with pytest.raises(EmbedderError, match="0 vectors for 1 texts"):
        short.embed(["a"])
    zero = _core.Embedder(backend=1, model="x", dimension=2, callback=lambda t, k: [[0.0, 0.0]] * len(t))
    with pytest.raises(EmbedderError, match="zero"):
        zero.embed(["a"])
    with pytest.raises(Exception, match="callback"):
        _core.Embedder(backend=1, model="x", dimension=3)
    with pytest.raises(EmbedderError, match="tokenizer.json"):
        OnnxBackend(onnx_dir.parent / "missing-dir")


def test_missing_onnxruntime_names_the_extra(monkeypatch, onnx_dir: Path) -> None:
    import builtins

    real_import = builtins.__import__

    def no_ort(name, *args, **kwargs):
        if name == "onnxruntime":
            raise ImportError("No module named 'onnxruntime'", name="onnxruntime")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ort)
    with pytest.raises(ConfigError, match=r"stratamem\[onnx\]"):
        OnnxBackend(onnx_dir)
