"""The one place a :class:`MemoryConfig`'s embedder settings become an engine
embedder (``_core.Embedder``), and where a model name becomes a directory:
an installed model package first (:mod:`stratamem._model`), then the engine's
offline resolution (a path, the Hugging Face cache, the model store;
:mod:`stratamem.models`)."""

from __future__ import annotations

import os
from typing import Any

from . import _core
from ._model import installed_model_dir
from .config import EmbedderBackend, MemoryConfig
from .errors import ConfigError, NotFoundError

__all__ = ["model_dir_for", "make_embedder"]

# EmbedderBackend -> the engine's numeric backend (stratamem/embedder.h).
_BACKENDS = {
    EmbedderBackend.NATIVE: 0,
    EmbedderBackend.ONNX: 1,
    EmbedderBackend.LOCAL: 2,
    EmbedderBackend.OPENAI: 3,
    EmbedderBackend.OLLAMA: 4,
    EmbedderBackend.HASH: 5,
}


def model_dir_for(model: str) -> str:
    """The directory of ``model``, found offline: the bundled weights, then the
    engine's resolution (a path, the Hugging Face cache, the model store).
    Raises :class:`ConfigError` with the engine's explanation (where it looked,
    and the ``stratamem models pull`` command for a known model)."""
    path = installed_model_dir(model)
    if path is not None:
        return path
    try:
        return _core.resolve_model(model)["dir"]
    except NotFoundError as exc:
        raise ConfigError(f"embedder_model: {exc}") from None


def make_embedder(config: MemoryConfig) -> Any:
    """The engine embedder ``config`` asks for (``_core.Embedder``)."""
    backend = config.embedder_backend
    common = dict(query_prefix=config.embedder_query_prefix,
                  passage_prefix=config.embedder_passage_prefix)
    if backend in (EmbedderBackend.ONNX, EmbedderBackend.LOCAL):
        from . import backends

        model_dir = str(config.model_dir) if config.model_dir else config.embedder_model
        if not os.path.isdir(model_dir):
            what = "model.onnx and tokenizer.json" if backend is EmbedderBackend.ONNX else \
                "a sentence-transformers model"
            raise ConfigError(
                f"embedder_backend {backend.name} loads a model directory by path: pass model_dir= "
                f"(or embedder_model=) a directory with {what}; {model_dir!r} is not one")
        impl = (backends.OnnxBackend if backend is EmbedderBackend.ONNX else backends.LocalBackend)(
            model_dir, threads=config.embed_threads)
        return backends.engine_embedder(impl, backend_code=_BACKENDS[backend], model_dir=model_dir,
                                        **common)
    model_dir = ""
    if backend is EmbedderBackend.NATIVE:
        model_dir = str(config.model_dir) if config.model_dir else model_dir_for(config.embedder_model)
    return _core.Embedder(
        backend=_BACKENDS[backend],
        model_dir=model_dir,
        # HTTP sends this name; the others label vectors with their own model id.
        model=config.embedder_model if backend.is_http else "",
        base_url=config.base_url(),
        api_key=config.api_key(),
        dimension=config.vector_dimension or 0,
        num_threads=config.embed_threads,
        precision=config.embedder_precision,
        **common,
    )
