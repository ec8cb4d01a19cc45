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
     "metadata", "source_agent", "dedup", "entities", "relationships", "world_from", "world_to"}
)
_GRAPH_SEARCH = {None: _core.GraphSignal.STORE_DEFAULT, True: _core.GraphSignal.ON,
                 False: _core.GraphSignal.OFF}


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


def flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError(f"{name} must be a bool, not {type(value).__name__}")
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
                 metadata: Any = None, source_agent: Any = None, dedup: Any = True,
                 entities: Any = None, relationships: Any = None, world_from: Any = None,
                 world_to: Any = None) -> Any:
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
        entity_inputs(entities),
        relation_inputs(relationships),
        optional_micros("world_from", world_from),
        optional_micros("world_to", world_to),
    )


# --- the graph's inputs: the reference API's shapes --------------------------

def entity_inputs(value: Any) -> list[Any]:
    """``["Alice", {"name": "Acme", "type": "organization"}]``; headroom's
    ``{"entity": ..., "entity_type": ...}`` is read too."""
    if value is None:
        return []
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidTypeError(f"entities must be a list, not {type(value).__name__}")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            out.append(_core.EntityInput(text(f"entities[{i}]", item)))
        elif isinstance(item, Mapping):
            name = item.get("name", item.get("entity"))
            kind = item.get("type", item.get("entity_type"))
            out.append(_core.EntityInput(text(f"entities[{i}].name", name),
                                         text(f"entities[{i}].type", kind, optional=True)))
        else:
            raise InvalidTypeError(f"entities[{i}] must be a str or a dict, not {type(item).__name__}")
    return out


def relation_inputs(value: Any) -> list[Any]:
    """``[{"source": "Alice", "type": "works_at", "target": "Acme"}]`` (also
    ``"relationship"`` / ``"destination"``, as mem0 writes them), or
    ``("Alice", "works_at", "Acme")`` triples; optional ``world_from`` /
    ``world_to`` datetimes."""
    if value is None:
        return []
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidTypeError(f"relationships must be a list, not {type(value).__name__}")
    out = []
    for i, item in enumerate(value):
        where = f"relationships[{i}]"
        if isinstance(item, Mapping):
            source = item.get("source", item.get("subject"))
            predicate = item.get("type", item.get("relationship", item.get("predicate")))
            target = item.get("target", item.get("destination", item.get("object")))
            start, end = item.get("world_from"), item.get("world_to")
        elif isinstance(item, (tuple, list)) and len(item) == 3:
            source, predicate, target = item
            start = end = None
        else:
            raise InvalidTypeError(f"{where} must be a dict or a (source, type, target) triple")
        out.append(_core.RelationInput(
            text(f"{where}.source", source), text(f"{where}.type", predicate),
            text(f"{where}.target", target), optional_micros(f"{where}.world_from", start),
            optional_micros(f"{where}.world_to", end)))
    return out


def optional_micros(name: str, value: Any) -> int:
    return 0 if value is None else micros(name, value)


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


def update_args(id: Any, content: Any, *, importance: Any, metadata: Any, entities: Any = None,
                relationships: Any = None) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return (
        (text("id", id), text("content", content)),
        {"importance": -1.0 if importance is None else number("importance", importance),
         "metadata_json": metadata_json(metadata),
         "entities": entity_inputs(entities), "relations": relation_inputs(relationships)},
    )


def supersede_request(content: Any, *, user_id: Any, session_id: Any, agent_id: Any,
                      turn_id: Any, scope: Any, importance: Any, metadata: Any,
                      source_agent: Any, entities: Any = None, relationships: Any = None,
                      world_from: Any = None, world_to: Any = None) -> Any:
    """Without a user_id the engine puts the replacement where the old memory lives."""
    if user_id is None:
        return _core.SaveRequest(text("content", content), _SCOPES["user"], _core.ScopeContext(),
                                 text("source_agent", source_agent, optional=True),
                                 number("importance", importance), metadata_json(metadata), True,
                                 entity_inputs(entities), relation_inputs(relationships),
                                 optional_micros("world_from", world_from),
                                 optional_micros("world_to", world_to))
    return save_request(content, user_id=user_id, session_id=session_id, agent_id=agent_id,
                        turn_id=turn_id, scope=scope, importance=importance, metadata=metadata,
                        source_agent=source_agent, entities=entities, relationships=relationships,
                        world_from=world_from, world_to=world_to)


def search_args(query: Any, *, user_id: Any, session_id: Any, agent_id: Any, turn_id: Any,
                top_k: Any, min_score: Any, filters: Any, scopes: Any, mode: Any,
                as_of: Any = None, fusion: Any = "score", ranking: Any = None,
                diversity: Any = 0.0, default_ranking: Ranking | None = None,
                include_graph: Any = None, valid_at: Any = None, graph_weight: float = 0.3
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
    if include_graph is not None and not isinstance(include_graph, bool):
        raise InvalidTypeError(f"include_graph must be a bool or None, not {type(include_graph).__name__}")
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
            "include_graph": _GRAPH_SEARCH[include_graph],
            "graph_weight": graph_weight,
            "valid_at": optional_micros("valid_at", valid_at),
        },
    )


def graph_read_args(*, user_id: Any, session_id: Any, agent_id: Any, turn_id: Any, as_of: Any,
                    valid_at: Any, limit: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The context and options every graph read shares."""
    return (
        (context(user_id, session_id, agent_id, turn_id),),
        {"as_of": optional_micros("as_of", as_of), "valid_at": optional_micros("valid_at", valid_at),
         "limit": integer("limit", limit)},
    )


def entities_args(*, name: Any, type: Any, **read: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    args, kwargs = graph_read_args(**read)
    kwargs |= {"name": text("name", name, optional=True), "type": text("type", type, optional=True)}
    return args, kwargs


def relations_args(*, entity: Any, predicate: Any, include_superseded: Any,
                   **read: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    args, kwargs = graph_read_args(**read)
    kwargs |= {"entity": text("entity", entity, optional=True),
               "predicate": text("predicate", predicate, optional=True),
               "include_superseded": flag("include_superseded", include_superseded)}
    return args, kwargs


def neighbors_args(entity: Any, *, hops: Any, **read: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    args, kwargs = graph_read_args(**read)
    kwargs["hops"] = integer("hops", hops)
    return (args[0], text("entity", entity)), kwargs


def graph_export(snapshot: Any, format: Any) -> Any:
    """``"json"`` -> dict; ``"graphml"`` / ``"dot"`` -> str."""
    fmt = choice("format", format, {"json": "json", "graphml": "graphml", "dot": "dot"})
    if fmt == "json":
        return json.loads(snapshot.to_json())
    return snapshot.to_graphml() if fmt == "graphml" else snapshot.to_dot()


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
        graph_extract=config.graph_extract,
        graph_search=config.include_graph,
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
