"""stratamem: persistent memory for LLM applications.

A C++ engine (SQLite store, full-text and vector search, a native sentence
encoder) behind a small Python API::

    from stratamem import Memory

    async with Memory(db_path="app.db") as memory:
        await memory.save("Prefers dark mode", user_id="bob")
        hits = await memory.search("UI preferences", user_id="bob", session_id="s2")

:class:`SyncMemory` is the same API without ``await``.
"""

from typing import TYPE_CHECKING

from . import errors as _errors
from .errors import *  # noqa: F403 - the exception classes (stdlib-only module)

# Everything else is imported on first use (PEP 562), so `import stratamem._cli`
# (the `stratamem` console script) and `stratamem._model` stay fast: the engine,
# asyncio and the wrapper load only when a program touches them.
_LAZY = {
    "__version__": "._core",
    "Memory": ".memory",
    "SyncMemory": ".memory",
    "MemoryConfig": ".config",
    "EmbedderBackend": ".config",
    "VectorBackend": ".config",
    "Durability": ".config",
    "Ranking": ".config",
    "MemoryRecord": ".records",
    "SearchResult": ".records",
    "SavedId": ".records",
    "Entity": ".records",
    "ExtractedEntity": ".records",
    "Neighbor": ".records",
    "Relation": ".records",
    "extract_entities": "._graph",
    "bundled_model_dir": "._model",
    "with_memory": ".wrap",
}

__all__ = [
    "__version__",
    "Memory",
    "SyncMemory",
    "MemoryConfig",
    "EmbedderBackend",
    "VectorBackend",
    "Durability",
    "Ranking",
    "MemoryRecord",
    "SearchResult",
    "SavedId",
    "Entity",
    "Relation",
    "Neighbor",
    "ExtractedEntity",
    "extract_entities",
    "bundled_model_dir",
    "with_memory",
    "models",
]
__all__ += _errors.__all__


# Submodules reachable as attributes without their own import (``stratamem.models``).
_SUBMODULES = ("models",)


def __getattr__(name: str):
    import importlib

    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stratamem' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:
    from ._core import __version__
    from ._model import bundled_model_dir
    from .config import Durability, EmbedderBackend, MemoryConfig, Ranking, VectorBackend
    from .memory import Memory, SyncMemory
    from ._graph import extract_entities
    from .records import Entity, ExtractedEntity, MemoryRecord, Neighbor, Relation, SavedId, SearchResult
    from .wrap import with_memory
