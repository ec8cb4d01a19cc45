"""Embedding backends that run in Python, plugged into the engine through one
batch function (``EmbedderOptions::callback``): the engine applies the model's
query / passage prefixes, checks the vectors and normalises them.

* :class:`OnnxBackend` (``EmbedderBackend.ONNX``): any BERT-family
  sentence-embedding model exported to ONNX, with its ``tokenizer.json``, run
  by onnxruntime (extra ``stratamem[onnx]``).
* :class:`LocalBackend` (``EmbedderBackend.LOCAL``): a sentence-transformers
  model directory (extra ``stratamem[local]``).

Each has one method, ``embed_batch(texts, kind)``, and ``dimension`` / ``model_id``.
:func:`engine_embedder` is the one place a config's backend becomes an engine
embedder.
"""

from __future__ import annotations

from typing import Any, Protocol, Sequence

from .. import _core
from .local import LocalBackend
from .onnx import OnnxBackend

__all__ = ["BatchBackend", "OnnxBackend", "LocalBackend", "engine_embedder"]


class BatchBackend(Protocol):
    """What the engine needs of a Python backend."""

    dimension: int
    model_id: str

    def embed_batch(self, texts: Sequence[str], kind: Any) -> Any:
        """One vector per text (2-D float32 array or list of float lists);
        ``texts`` already carry the model's prefix for ``kind``."""


def engine_embedder(backend: BatchBackend, *, backend_code: int, model_dir: str,
                    batch_size: int = 32, query_prefix: str | None = None,
                    passage_prefix: str | None = None) -> Any:
    """An engine embedder (``_core.Embedder``) over ``backend.embed_batch``."""
    return _core.Embedder(
        backend=backend_code, model_dir=model_dir, model=backend.model_id,
        dimension=backend.dimension, batch_size=batch_size, query_prefix=query_prefix,
        passage_prefix=passage_prefix, callback=backend.embed_batch)
