"""The memory API: :class:`Memory` (async) and its sync twin :class:`SyncMemory`.

Both open the store eagerly in the constructor (so a bad config, path or model
raises right there) and share every non-I/O step through ``_client``. Engine
calls release the GIL; :class:`Memory` runs them on worker threads
(``asyncio.to_thread``) so the event loop is never blocked by a save or search.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, Callable, Iterable, Mapping, TypeVar

from . import _client
from .config import EmbedderBackend, MemoryConfig, Ranking, VectorBackend
from .records import (Entity, MemoryRecord, Neighbor, Relation, SavedId, SearchResult,
                      entity_from_core, neighbor_from_core, relation_from_core)

__all__ = ["Memory", "SyncMemory", "MemoryConfig", "EmbedderBackend", "VectorBackend",
           "MemoryRecord", "SearchResult", "SavedId"]

T = TypeVar("T")


class Memory(_client.BaseMemory):
    """Persistent, scoped memory for an LLM app (async API).

    ``Memory(config=None, **overrides)``: ``overrides`` are :class:`MemoryConfig`
    field names, e.g. ``Memory(db_path="app.db")``. Use as ``async with Memory()
    as m:`` or call :meth:`close`.
    """

    async def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def save(self, content: str, *, user_id: str, session_id: str | None = None,
                   agent_id: str | None = None, turn_id: str | None = None,
                   scope: str = "user", importance: float = 0.5,
                   metadata: Mapping[str, Any] | None = None,
                   source_agent: str | None = None, dedup: bool = True,
                   entities: Iterable[Any] | None = None,
                   relationships: Iterable[Any] | None = None,
                   world_from: datetime | None = None, world_to: datetime | None = None) -> SavedId:
        """Saves a memory at ``scope`` ("user", "session", "agent" or "turn";
        the ids that level needs are required) and returns its id once it is
        committed. ``source_agent`` defaults to ``agent_id``.

        With ``dedup`` (default) the same fact already stored at that scope
        (equal normalised text, or cosine >= ``dedup_threshold``) is merged:
        one memory, importance and last-seen updated, the agent added to its
        ``sources``; the returned :class:`SavedId` is that memory's id and has
        ``merged == True``.

        The graph (docs/graph.md): ``entities`` (names, or ``{"name", "type"}``
        dicts) and ``relationships`` (``{"source", "type", "target"}`` dicts or
        triples) are stored with the memory, beside what the native extractor
        finds in ``content``; ``world_from`` / ``world_to`` say when the fact
        holds in the world, when known."""
        request = _client.save_request(
            content, user_id=user_id, session_id=session_id, agent_id=agent_id,
            turn_id=turn_id, scope=scope, importance=importance, metadata=metadata,
            source_agent=source_agent, dedup=dedup, entities=entities,
            relationships=relationships, world_from=world_from, world_to=world_to)
        return _client.saved_ids(await self._run(self._engine().save_detailed, [request]))[0]

    async def save_many(self, items: Iterable[Mapping[str, Any]]) -> list[SavedId]:
        """Saves dicts with :meth:`save`'s arguments as keys, in one
        transaction (all or nothing); returns the ids in order."""
        requests = _client.save_requests(items)
        return _client.saved_ids(await self._run(self._engine().save_detailed, requests))

    async def update(self, id: str, content: str, *, importance: float | None = None,
                     metadata: Mapping[str, Any] | None = None,
                     entities: Iterable[Any] | None = None,
                     relationships: Iterable[Any] | None = None) -> MemoryRecord:
        """Writes a new version of memory ``id`` (same id, ``version + 1``). The
        old version leaves search results at once and stays in :meth:`history`
        with its entities and relations; the new one gets those found in
        ``content`` and those given here."""
        args, kwargs = _client.update_args(id, content, importance=importance, metadata=metadata,
                                           entities=entities, relationships=relationships)
        return _client.records([await self._run(self._engine().update, *args, **kwargs)])[0]

    async def supersede(self, old_id: str, content: str, *, user_id: str | None = None,
                        session_id: str | None = None, agent_id: str | None = None,
                        turn_id: str | None = None, scope: str = "user",
                        importance: float = 0.5, metadata: Mapping[str, Any] | None = None,
                        source_agent: str | None = None,
                        entities: Iterable[Any] | None = None,
                        relationships: Iterable[Any] | None = None,
                        world_from: datetime | None = None,
                        world_to: datetime | None = None) -> str:
        """Retires memory ``old_id`` in favour of a new memory with ``content``
        and returns the new id. Without ``user_id`` the new memory takes the old
        one's scope, ids and source agent. The old fact stops holding in the
        world when the new one starts (``world_from``, default now): its
        ``world_to`` and its relations' close then, and stay readable
        (``relations()``, ``search(valid_at=...)``)."""
        request = _client.supersede_request(
            content, user_id=user_id, session_id=session_id, agent_id=agent_id,
            turn_id=turn_id, scope=scope, importance=importance, metadata=metadata,
            source_agent=source_agent, entities=entities, relationships=relationships,
            world_from=world_from, world_to=world_to)
        return await self._run(self._engine().supersede, _client.text("old_id", old_id), request)

    async def history(self, id: str) -> list[MemoryRecord]:
        """Every version of ``id`` and of the memories it superseded, oldest first."""
        return _client.records(await self._run(self._engine().history, _client.text("id", id)))

    async def search(self, query: str, *, user_id: str, session_id: str | None = None,
                     agent_id: str | None = None, turn_id: str | None = None,
                     top_k: int = 10, min_score: float = 0.0,
                     filters: Mapping[str, Any] | None = None,
                     scopes: Iterable[str] | str | None = None,
                     mode: str = "hybrid", as_of: datetime | None = None,
                     fusion: str = "score", ranking: Ranking | None = None,
                     diversity: float = 0.0, include_graph: bool | None = None,
                     valid_at: datetime | None = None) -> list[SearchResult]:
        """The memories visible from this context that best match ``query``,
        best first. ``filters``: metadata key -> value equality; ``scopes``:
        restrict to these levels; ``mode``: "hybrid", "vector" or "text";
        ``as_of``: answer as the store stood at that moment (past versions);
        ``fusion``: "score" (weighted cosine + relative BM25, default) or "rrf";
        ``min_score``: a floor on relevance; ``ranking``: how recency, importance
        and access mix in (default: the config's); ``diversity`` in [0, 1): MMR,
        preferring results unlike those already picked; ``include_graph``: fuse
        graph expansion from the entities the query names (``None``: the
        config's ``include_graph``); ``valid_at``: only what held in the world
        at that moment (superseded facts included when they held then)."""
        args, kwargs = _client.search_args(
            query, user_id=user_id, session_id=session_id, agent_id=agent_id,
            turn_id=turn_id, top_k=top_k, min_score=min_score, filters=filters,
            scopes=scopes, mode=mode, as_of=as_of, fusion=fusion, ranking=ranking,
            diversity=diversity, default_ranking=self._config.ranking,
            include_graph=include_graph, valid_at=valid_at,
            graph_weight=self._config.graph_weight)
        return _client.results(await self._run(self._engine().search, *args, **kwargs))

    async def get(self, id: str) -> MemoryRecord:
        """The memory with this id (:class:`NotFoundError` if none)."""
        record = await self._run(self._engine().get, _client.text("id", id))
        return _client.records([record])[0]

    async def get_all(self, *, user_id: str, session_id: str | None = None,
                      agent_id: str | None = None, turn_id: str | None = None,
                      scope: Iterable[str] | str | None = None,
                      limit: int | None = None) -> list[MemoryRecord]:
        """Every memory a search from this context could see (optionally only
        some levels, at most ``limit``), newest first."""
        args, kwargs = _client.list_args(
            user_id=user_id, session_id=session_id, agent_id=agent_id, turn_id=turn_id,
            scope=scope, limit=limit)
        return _client.records(await self._run(self._engine().list, *args, **kwargs))

    async def delete(self, id: str) -> None:
        """Deletes the memory with this id (:class:`NotFoundError` if none)."""
        await self._run(self._engine().delete, _client.text("id", id))

    async def clear(self, *, user_id: str, session_id: str | None = None,
                    agent_id: str | None = None, turn_id: str | None = None) -> int:
        """Deletes what is private to the narrowest id given (user only: all of
        the user's memories) and returns how many were deleted."""
        ctx = _client.context(user_id, session_id, agent_id, turn_id)
        return await self._run(self._engine().clear, ctx)

    async def entities(self, *, user_id: str, session_id: str | None = None,
                       agent_id: str | None = None, turn_id: str | None = None,
                       name: str | None = None, type: str | None = None,
                       as_of: datetime | None = None, valid_at: datetime | None = None,
                       limit: int = 100) -> list[Entity]:
        """The entities visible from this context, most named first; ``name``:
        only the one with this name or alias, ``type``: only this type."""
        args, kwargs = _client.entities_args(
            user_id=user_id, session_id=session_id, agent_id=agent_id, turn_id=turn_id,
            name=name, type=type, as_of=as_of, valid_at=valid_at, limit=limit)
        return [entity_from_core(e) for e in await self._run(self._engine().entities, *args, **kwargs)]

    async def relations(self, *, user_id: str, session_id: str | None = None,
                        agent_id: str | None = None, turn_id: str | None = None,
                        entity: str | None = None, predicate: str | None = None,
                        include_superseded: bool = True, as_of: datetime | None = None,
                        valid_at: datetime | None = None, limit: int = 100) -> list[Relation]:
        """The relations visible from this context, newest first; ``entity``:
        only those it is a side of; past facts (superseded) unless
        ``include_superseded=False``; ``valid_at``: only those holding then."""
        args, kwargs = _client.relations_args(
            user_id=user_id, session_id=session_id, agent_id=agent_id, turn_id=turn_id,
            entity=entity, predicate=predicate, include_superseded=include_superseded,
            as_of=as_of, valid_at=valid_at, limit=limit)
        return [relation_from_core(r) for r in await self._run(self._engine().relations, *args, **kwargs)]

    async def neighbors(self, entity: str, *, user_id: str, session_id: str | None = None,
                        agent_id: str | None = None, turn_id: str | None = None, hops: int = 2,
                        as_of: datetime | None = None, valid_at: datetime | None = None,
                        limit: int = 20) -> list[Neighbor]:
        """Entities around ``entity`` (named with it, related to it, and with
        ``hops=2`` one step further), best first, with the memories naming them
        (:class:`NotFoundError` when ``entity`` is not visible here)."""
        args, kwargs = _client.neighbors_args(
            entity, user_id=user_id, session_id=session_id, agent_id=agent_id, turn_id=turn_id,
            hops=hops, as_of=as_of, valid_at=valid_at, limit=limit)
        return [neighbor_from_core(n) for n in await self._run(self._engine().neighbors, *args, **kwargs)]

    async def graph(self, *, user_id: str, session_id: str | None = None,
                    agent_id: str | None = None, turn_id: str | None = None,
                    format: str = "json", as_of: datetime | None = None,
                    valid_at: datetime | None = None, limit: int = 1000) -> Any:
        """Everything visible from this context as a graph: ``format="json"``
        gives a dict (``entities``, ``relations``, ``co_mentions``),
        ``"graphml"`` and ``"dot"`` (Graphviz) a str."""
        args, kwargs = _client.graph_read_args(
            user_id=user_id, session_id=session_id, agent_id=agent_id, turn_id=turn_id,
            as_of=as_of, valid_at=valid_at, limit=limit)
        return _client.graph_export(await self._run(self._engine().graph, *args, **kwargs), format)

    async def stats(self, *, user_id: str | None = None, session_id: str | None = None,
                    agent_id: str | None = None, turn_id: str | None = None) -> dict[str, Any]:
        """Counts for the whole store, or what is visible from a user's context:
        ``total``, ``by_scope``, ``users``, ``dimension``, ``embedder_model``,
        ``db_size_bytes``, ``schema_version``."""
        ctx = _client.context(user_id, session_id, agent_id, turn_id, user_optional=True)
        return _client.stats_dict(await self._run(self._engine().stats, ctx))

    async def close(self) -> None:
        """Flushes and closes the store. Idempotent; later calls raise StoreError."""
        store = self._detach()
        if store is not None:
            await self._run(store.close)

    async def __aenter__(self) -> "Memory":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()


class SyncMemory(_client.BaseMemory):
    """The same API as :class:`Memory` for code without an event loop; each
    method runs the engine call directly (the GIL is released inside it)."""

    def save(self, content: str, *, user_id: str, session_id: str | None = None,
             agent_id: str | None = None, turn_id: str | None = None,
             scope: str = "user", importance: float = 0.5,
             metadata: Mapping[str, Any] | None = None,
             source_agent: str | None = None, dedup: bool = True,
             entities: Iterable[Any] | None = None,
             relationships: Iterable[Any] | None = None,
             world_from: datetime | None = None, world_to: datetime | None = None) -> SavedId:
        request = _client.save_request(
            content, user_id=user_id, session_id=session_id, agent_id=agent_id,
            turn_id=turn_id, scope=scope, importance=importance, metadata=metadata,
            source_agent=source_agent, dedup=dedup, entities=entities,
            relationships=relationships, world_from=world_from, world_to=world_to)
        return _client.saved_ids(self._engine().save_detailed([request]))[0]

    def save_many(self, items: Iterable[Mapping[str, Any]]) -> list[SavedId]:
        return _client.saved_ids(self._engine().save_detailed(_client.save_requests(items)))

    def update(self, id: str, content: str, *, importance: float | None = None,
               metadata: Mapping[str, Any] | None = None,
               entities: Iterable[Any] | None = None,
               relationships: Iterable[Any] | None = None) -> MemoryRecord:
        args, kwargs = _client.update_args(id, content, importance=importance, metadata=metadata,
                                           entities=entities, relationships=relationships)
        return _client.records([self._engine().update(*args, **kwargs)])[0]

    def supersede(self, old_id: str, content: str, *, user_id: str | None = None,
                  session_id: str | None = None, agent_id: str | None = None,
                  turn_id: str | None = None, scope: str = "user",
                  importance: float = 0.5, metadata: Mapping[str, Any] | None = None,
                  source_agent: str | None = None,
                  entities: Iterable[Any] | None = None,
                  relationships: Iterable[Any] | None = None,
                  world_from: datetime | None = None,
                  world_to: datetime | None = None) -> str:
        request = _client.supersede_request(
            content, user_id=user_id, session_id=session_id, agent_id=agent_id,
            turn_id=turn_id, scope=scope, importance=importance, metadata=metadata,
            source_agent=source_agent, entities=entities, relationships=relationships,
            world_from=world_from, world_to=world_to)
        return self._engine().supersede(_client.text("old_id", old_id), request)

    def history(self, id: str) -> list[MemoryRecord]:
        return _client.records(self._engine().history(_client.text("id", id)))

    def search(self, query: str, *, user_id: str, session_id: str | None = None,
               agent_id: str | None = None, turn_id: str | None = None,
               top_k: int = 10, min_score: float = 0.0,
               filters: Mapping[str, Any] | None = None,
               scopes: Iterable[str] | str | None = None,
               mode: str = "hybrid", as_of: datetime | None = None,
               fusion: str = "score", ranking: Ranking | None = None,
               diversity: float = 0.0, include_graph: bool | None = None,
               valid_at: datetime | None = None) -> list[SearchResult]:
        args, kwargs = _client.search_args(
            query, user_id=user_id, session_id=session_id, agent_id=agent_id,
            turn_id=turn_id, top_k=top_k, min_score=min_score, filters=filters,
            scopes=scopes, mode=mode, as_of=as_of, fusion=fusion, ranking=ranking,
            diversity=diversity, default_ranking=self._config.ranking,
            include_graph=include_graph, valid_at=valid_at,
            graph_weight=self._config.graph_weight)
        return _client.results(self._engine().search(*args, **kwargs))

    def get(self, id: str) -> MemoryRecord:
        return _client.records([self._engine().get(_client.text("id", id))])[0]

    def get_all(self, *, user_id: str, session_id: str | None = None,
                agent_id: str | None = None, turn_id: str | None = None,
                scope: Iterable[str] | str | None = None,
                limit: int | None = None) -> list[MemoryRecord]:
        args, kwargs = _client.list_args(
            user_id=user_id, session_id=session_id, agent_id=agent_id, turn_id=turn_id,
            scope=scope, limit=limit)
        return _client.records(self._engine().list(*args, **kwargs))

    def delete(self, id: str) -> None:
        self._engine().delete(_client.text("id", id))

    def clear(self, *, user_id: str, session_id: str | None = None,
              agent_id: str | None = None, turn_id: str | None = None) -> int:
        return self._engine().clear(_client.context(user_id, session_id, agent_id, turn_id))

    def entities(self, *, user_id: str, session_id: str | None = None,
                 agent_id: str | None = None, turn_id: str | None = None,
                 name: str | None = None, type: str | None = None,
                 as_of: datetime | None = None, valid_at: datetime | None = None,
                 limit: int = 100) -> list[Entity]:
        args, kwargs = _client.entities_args(
            user_id=user_id, session_id=session_id, agent_id=agent_id, turn_id=turn_id,
            name=name, type=type, as_of=as_of, valid_at=valid_at, limit=limit)
        return [entity_from_core(e) for e in self._engine().entities(*args, **kwargs)]

    def relations(self, *, user_id: str, session_id: str | None = None,
                  agent_id: str | None = None, turn_id: str | None = None,
                  entity: str | None = None, predicate: str | None = None,
                  include_superseded: bool = True, as_of: datetime | None = None,
                  valid_at: datetime | None = None, limit: int = 100) -> list[Relation]:
        args, kwargs = _client.relations_args(
            user_id=user_id, session_id=session_id, agent_id=agent_id, turn_id=turn_id,
            entity=entity, predicate=predicate, include_superseded=include_superseded,
            as_of=as_of, valid_at=valid_at, limit=limit)
        return [relation_from_core(r) for r in self._engine().relations(*args, **kwargs)]

    def neighbors(self, entity: str, *, user_id: str, session_id: str | None = None,
                  agent_id: str | None = None, turn_id: str | None = None, hops: int = 2,
                  as_of: datetime | None = None, valid_at: datetime | None = None,
                  limit: int = 20) -> list[Neighbor]:
        args, kwargs = _client.neighbors_args(
            entity, user_id=user_id, session_id=session_id, agent_id=agent_id, turn_id=turn_id,
            hops=hops, as_of=as_of, valid_at=valid_at, limit=limit)
        return [neighbor_from_core(n) for n in self._engine().neighbors(*args, **kwargs)]

    def graph(self, *, user_id: str, session_id: str | None = None,
              agent_id: str | None = None, turn_id: str | None = None,
              format: str = "json", as_of: datetime | None = None,
              valid_at: datetime | None = None, limit: int = 1000) -> Any:
        args, kwargs = _client.graph_read_args(
            user_id=user_id, session_id=session_id, agent_id=agent_id, turn_id=turn_id,
            as_of=as_of, valid_at=valid_at, limit=limit)
        return _client.graph_export(self._engine().graph(*args, **kwargs), format)

    def stats(self, *, user_id: str | None = None, session_id: str | None = None,
              agent_id: str | None = None, turn_id: str | None = None) -> dict[str, Any]:
        ctx = _client.context(user_id, session_id, agent_id, turn_id, user_optional=True)
        return _client.stats_dict(self._engine().stats(ctx))

    def close(self) -> None:
        store = self._detach()
        if store is not None:
            store.close()

    def __enter__(self) -> "SyncMemory":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


# SyncMemory's methods do what Memory's do, without await: one docstring each,
# written once (on Memory) and shared, so help(SyncMemory.save) says what it does.
for _name, _method in vars(SyncMemory).items():
    if not _name.startswith("_") and callable(_method) and _method.__doc__ is None:
        _method.__doc__ = getattr(Memory, _name).__doc__
del _name, _method
