"""stratamem: persistent memory for LLM applications.

A C++ engine (SQLite store, full-text and vector search, a native sentence
encoder) behind a small Python API::

    from stratamem import Memory

    async with Memory(db_path="app.db") as memory:
        await memory.save("Prefers dark mode", user_id="bob")
        hits = await memory.search("UI preferences", user_id="bob", session_id="s2")

:class:`SyncMemory` is the same API without ``await``.
"""

from ._core import __version__ as _engine_version
from ._model import bundled_model_dir
from .config import Durability, EmbedderBackend, MemoryConfig, Ranking, VectorBackend
from . import errors as _errors
from .errors import (
    ConfigError,
    CorruptionError,
    DimensionMismatchError,
    EmbedderError,
    InternalError,
    InvalidInputError,
    InvalidTypeError,
    StratamemError,
    NotFoundError,
    NotSupportedError,
    StoreError,
)
from .memory import Memory, SyncMemory
from .records import Entity, ExtractedEntity, MemoryRecord, Neighbor, Relation, SavedId, SearchResult
from ._graph import extract_entities

from .wrap import with_memory

__version__ = _engine_version

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
]
__all__ += _errors.__all__
