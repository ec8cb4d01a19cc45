"""EmbedderBackend.LOCAL with the real sentence-transformers (CPU torch) on a
real model directory: the bundled all-MiniLM-L6-v2 weights (a
sentence-transformers layout), loaded by path. Its vectors match the native
encoder's, and the engine's prefixes are applied once (sentence-transformers'
own prompts are not added again).

Marked ``local_backend``: torch is a large optional extra
(``stratamem[local]``), so this module runs outside the default suite, by
``make test-local`` (which installs the extra first).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from stratamem import SyncMemory, _core

pytestmark = [pytest.mark.local_backend, pytest.mark.model]

from stratamem.backends import LocalBackend, engine_embedder


@pytest.fixture(autouse=True)
def _extra_installed() -> None:
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        pytest.fail("the LOCAL backend's extra is missing: pip install 'stratamem[local]' "
                    "(make test-local does)")

TEXTS = ["Prefers green tea in the morning", "The deploy runs on Fridays",
         "Alice moved to Lisbon in 2021", "What does the user drink?", "naïve café 🙂"]


def cos(a, b) -> np.ndarray:
    a, b = np.asarray(a), np.asarray(b)
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def test_local_backend_matches_the_native_encoder(model_dir: str) -> None:
    backend = LocalBackend(model_dir)
    assert backend.dimension == 384
    engine = engine_embedder(backend, backend_code=2, model_dir=model_dir)
    native = _core.Embedder(model_dir=model_dir)
    assert cos(engine.embed(TEXTS), native.embed(TEXTS)).min() >= 0.9999


def test_prompts_are_applied_once(tmp_path: Path, model_dir: str) -> None:
    """A model directory whose config names query/passage prompts (and a default
    one): the engine adds "query: " once; sentence-transformers adds nothing."""
    local = tmp_path / "minilm"
    shutil.copytree(model_dir, local, symlinks=True)
    cfg_path = local / "config_sentence_transformers.json"
    cfg = json.loads(cfg_path.read_text()) if cfg_path.exists() else {}
    cfg.update(prompts={"query": "query: ", "passage": "passage: "}, default_prompt_name="query")
    cfg_path.write_text(json.dumps(cfg))
    engine = engine_embedder(LocalBackend(local), backend_code=2, model_dir=str(local))
    native = _core.Embedder(model_dir=model_dir, query_prefix="", passage_prefix="")
    got = engine.embed(TEXTS, _core.EmbedKind.QUERY)
    assert cos(got, native.embed(["query: " + t for t in TEXTS])).min() >= 0.9999
    assert cos(got, native.embed(["query: query: " + t for t in TEXTS])).max() < 0.9999


def test_memory_with_the_local_backend(tmp_path: Path, model_dir: str) -> None:
    with SyncMemory(db_path=str(tmp_path / "m.db"), embedder_backend="local", model_dir=model_dir) as m:
        for t in TEXTS[:3]:
            m.save(t, user_id="u")
        hits = m.search("what tea does the user like?", user_id="u", mode="vector")
        assert hits[0].record.content == TEXTS[0]
