"""The shared core of :class:`Memory` and :class:`SyncMemory` (httpx's
``BaseClient`` pattern): turning Python arguments into engine requests and
engine values into Python ones, without I/O. The two public classes only add
how the engine call is run (on a worker thread, or right here)."""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from collections.abc import Iterable, Mapping
from typing import Any

from . import _core
from ._embedder import make_embedder
from .config import MemoryConfig, Ranking
from .errors import InvalidInputError, InvalidTypeError, StoreError
from .records import (_EPOCH, MemoryRecord, SavedId, SearchResult, record_from_core,
                      result_from_core)

_SCOPES = {
    "user": _core.Scope.USER,
    "session": _core.Scope.SESSION,
    "agent": _core.Scope.AGENT,
    "turn": _core.Scope.TURN,
}
_FUSIONS = {
    "score": _core.FusionMethod.SCORE,
    "rrf": _core.FusionMethod.RRF,
}
_MODES = {
    "hybrid": _core.SearchMode.HYBRID,
    "vector": _core.SearchMode.VECTOR,
    "text": _core.SearchMode.TEXT,
}
SAVE_KEYS = frozenset(
    {"content", "user_id", "session_id", "agent_id", "turn_id", "scope", "importance",
     "metadata", "source_agent", "dedup"}
)


# --- argument checks: only what Python must do before calling the engine -----

def text(name: str, value: Any, *, optional: bool = False) -> str:
    """A str the binding can pass as UTF-8 ("" for None when optional)."""
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise InvalidTypeError(f"{name} must be a str, not {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        # Lone surrogates (e.g. from surrogateescape-decoded bytes) are not text.
        raise InvalidInputError(
            f"{name} is not valid Unicode ({exc.reason} at index {exc.start})"
        ) from None
    return value


def number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidTypeError(f"{name} must be a number, not {type(value).__name__}")
    if not math.isfinite(value):
        raise InvalidInputError(f"{name} must be finite, got {value!r}")
    return float(value)


def integer(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


def choice(name: str, value: Any, table: Mapping[str, Any]) -> Any:
    if not isinstance(value, str):
        raise InvalidTypeError(f"{name} must be a str, not {type(value).__name__}")
    try:
        return table[value]
    except KeyError:
        raise InvalidInputError(
            f"unknown {name} {value!r} (expected {', '.join(table)})"
        ) from None


def json_text(name: str, value: Any) -> str:
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except RecursionError:
        # Far past the engine's 32-level limit anyway (docs/format.md).
        raise InvalidInputError(f"{name} is nested too deeply") from None
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{name} is not JSON-serialisable: {exc}") from None
    return text(name, encoded)


def metadata_json(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, Mapping):
        raise InvalidTypeError(f"metadata must be a dict, not {type(value).__name__}")
    for key in value:
        if not isinstance(key, str):
            raise InvalidTypeError(f"metadata keys must be str, not {type(key).__name__}")
    return json_text("metadata", dict(value))


def scope_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        raise InvalidTypeError(f"scopes must be a str or a list of str, not {type(value).__name__}")
    return [choice("scope", s, _SCOPES) for s in value]


# --- requests -----------------------------------------------------------------

def context(user_id: Any, session_id: Any = None, agent_id: Any = None, turn_id: Any = None,
            *, user_optional: bool = False) -> Any:
    """A ``_core.ScopeContext``; ``None`` ids become "" (not given)."""
    return _core.ScopeContext(
        text("user_id", user_id, optional=user_optional),
        text("session_id", session_id, optional=True),
        text("agent_id", agent_id, optional=True),
        text("turn_id", turn_id, optional=True),
    )


def save_request(content: Any, *, user_id: Any, session_id: Any = None, agent_id: Any = None,
                 turn_id: Any = None, scope: Any = "user", importance: Any = 0.5,
                 metadata: Any = None, source_agent: Any = None, dedup: Any = True) -> Any:
    if not isinstance(dedup, bool):
        raise InvalidTypeError(f"dedup must be a bool, not {type(dedup).__name__}")
    return _core.SaveRequest(
        text("content", content),
        choice("scope", scope, _SCOPES),
        context(user_id, session_id, agent_id, turn_id),
        text("source_agent", source_agent, optional=True),
        number("importance", importance),
        metadata_json(metadata),
        dedup,
    )


def save_requests(items: Any) -> list[Any]:
    if isinstance(items, (str, bytes, Mapping)) or not isinstance(items, Iterable):
        raise InvalidTypeError(f"items must be a list of dicts, not {type(items).__name__}")
    requests = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise InvalidTypeError(f"items[{i}] must be a dict, not {type(item).__name__}")
        unknown = sorted(set(item) - SAVE_KEYS)
        if unknown:
            raise InvalidInputError(f"items[{i}] has unknown key(s): {', '.join(map(str, unknown))}")
        for key in ("content", "user_id"):
            if key not in item:
                raise InvalidInputError(f"items[{i}] needs {key!r}")
        requests.append(save_request(**item))
    return requests


def micros(name: str, value: Any) -> int:
    """A timezone-aware datetime (naive ones are taken as UTC) -> unix microseconds."""
    if not isinstance(value, datetime):
        raise InvalidTypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    delta = value - _EPOCH
    out = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    if out <= 0:
        raise InvalidInputError(f"{name} must be after 1970-01-01")
    return out


def saved_ids(outcomes: Iterable[Any]) -> list[SavedId]:
    return [SavedId(o.id, o.merged) for o in outcomes]


def update_args(id: Any, content: Any, *, importance: Any, metadata: Any
                ) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return (
        (text("id", id), text("content", content)),
        {"importance": -1.0 if importance is None else number("importance", importance),
         "metadata_json": metadata_json(metadata)},
    )


def supersede_request(content: Any, *, user_id: Any, session_id: Any, agent_id: Any,
                      turn_id: Any, scope: Any, importance: Any, metadata: Any,
                      source_agent: Any) -> Any:
    """Without a user_id the engine puts the replacement where the old memory lives."""
    if user_id is None:
        return _core.SaveRequest(text("content", content), _SCOPES["user"], _core.ScopeContext(),
                                 text("source_agent", source_agent, optional=True),
                                 number("importance", importance), metadata_json(metadata))
    return save_request(content, user_id=user_id, session_id=session_id, agent_id=agent_id,
                        turn_id=turn_id, scope=scope, importance=importance, metadata=metadata,
                        source_agent=source_agent)


def search_args(query: Any, *, user_id: Any, session_id: Any, agent_id: Any, turn_id: Any,
                top_k: Any, min_score: Any, filters: Any, scopes: Any, mode: Any,
                as_of: Any = None, fusion: Any = "score", ranking: Any = None,
                diversity: Any = 0.0, default_ranking: Ranking | None = None
                ) -> tuple[tuple[Any, ...], dict[str, Any]]:
    if ranking is None:
        ranking = default_ranking or Ranking()
    if not isinstance(ranking, Ranking):
        raise InvalidTypeError(f"ranking must be a stratamem.Ranking, not {type(ranking).__name__}")
    if filters is None:
        filters = {}
    if not isinstance(filters, Mapping):
        raise InvalidTypeError(f"filters must be a dict, not {type(filters).__name__}")
    equals = [(text("filter key", k), json_text(f"filters[{k!r}]", v)) for k, v in filters.items()]
    return (
        (text("query", query), context(user_id, session_id, agent_id, turn_id)),
        {
            "top_k": integer("top_k", top_k),
            "min_score": number("min_score", min_score),
            "mode": choice("mode", mode, _MODES),
            "metadata_equals": equals,
            "scopes": scope_list(scopes),
            "as_of": 0 if as_of is None else micros("as_of", as_of),
            "fusion": choice("fusion", fusion, _FUSIONS),
            "recency_weight": ranking.recency,
            "importance_weight": ranking.importance,
            "access_weight": ranking.access,
            "recency_half_life_days": ranking.half_life_days,
            "diversity": number("diversity", diversity),
        },
    )


def list_args(*, user_id: Any, session_id: Any, agent_id: Any, turn_id: Any, scope: Any,
              limit: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    if limit is not None and integer("limit", limit) < 1:
        raise InvalidInputError(f"limit must be >= 1 or None, got {limit}")
    return (
        (context(user_id, session_id, agent_id, turn_id),),
        {"visible_only": True, "scopes": scope_list(scope), "limit": limit or 0},
    )


def stats_dict(stats: Any) -> dict[str, Any]:
    by_scope = dict(zip(_SCOPES, stats.by_scope))
    return {
        "total": stats.total,
        "by_scope": by_scope,
        "users": stats.users,
        "dimension": stats.dimension,
        "embedder_model": stats.embedder_model,
        "db_size_bytes": stats.db_size_bytes,
        "schema_version": stats.schema_version,
        "ann": {"rows": stats.ann_rows, "source": stats.ann_source or None,
                "repaired_rows": stats.ann_repaired_rows},
        "cache": {
            "query": _cache(stats.query_cache_hits, stats.query_cache_misses,
                            stats.query_cache_entries)
            | {"invalidations": stats.query_cache_invalidations},
            "embedding": _cache(stats.embed_cache_hits, stats.embed_cache_misses,
                                stats.embed_cache_entries),
        },
    }


def _cache(hits: int, misses: int, entries: int) -> dict[str, Any]:
    lookups = hits + misses
    return {"hits": hits, "misses": misses, "entries": entries,
            "hit_rate": hits / lookups if lookups else None}


def records(values: Iterable[Any]) -> list[MemoryRecord]:
    return [record_from_core(v) for v in values]


def results(values: Iterable[Any]) -> list[SearchResult]:
    return [result_from_core(v) for v in values]


# --- opening --------------------------------------------------------------------

def make_config(config: Any, overrides: Mapping[str, Any]) -> MemoryConfig:
    if config is None:
        config = MemoryConfig()
    elif not isinstance(config, MemoryConfig):
        raise InvalidTypeError(f"config must be a MemoryConfig, not {type(config).__name__}")
    return config.with_overrides(overrides)


def open_store(config: MemoryConfig) -> Any:
    """Builds the embedder and opens the store (blocking; GIL released inside)."""
    embedder = make_embedder(config)
    return _core.Store.open(
        str(config.db_path),
        embedder,
        durability=_core.Durability.FULL if config.durability.value == "full"
        else _core.Durability.NORMAL,
        max_content_bytes=config.max_content_bytes,
        vector_backend=getattr(_core.VectorBackend, config.vector_backend.name),
        vector_dimension=config.vector_dimension or 0,
        hnsw_m=config.hnsw_m,
        hnsw_ef_construction=config.hnsw_ef_construction,
        hnsw_ef_search=config.hnsw_ef_search,
        hnsw_scalar=getattr(_core.IndexScalar, config.hnsw_scalar.upper()),
        dedup_threshold=config.dedup_threshold,
        cache_enabled=config.cache_enabled,
        cache_max_size=config.cache_max_size,
    )


class BaseMemory:
    """State shared by both APIs: the config and the open engine store."""

    def __init__(self, config: MemoryConfig | None = None, **overrides: Any) -> None:
        self._config = make_config(config, overrides)
        self._store: Any = open_store(self._config)

    @property
    def config(self) -> MemoryConfig:
        """The validated configuration this store was opened with."""
        return self._config

    @property
    def closed(self) -> bool:
        return self._store is None

    def _engine(self) -> Any:
        store = self._store
        if store is None:
            raise StoreError(f"this {type(self).__name__} is closed")
        return store

    def _detach(self) -> Any:
        """Marks closed and returns the store to close (None if already closed)."""
        store, self._store = self._store, None
        return store

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<{type(self).__name__} db_path={str(self._config.db_path)!r} {state}>"
