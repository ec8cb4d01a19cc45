"""What the store hands back: :class:`MemoryRecord` and :class:`SearchResult`."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

__all__ = ["MemoryRecord", "SearchResult", "SavedId", "ScopeName", "Entity", "Relation", "Neighbor",
           "ExtractedEntity"]

ScopeName = Literal["user", "session", "agent", "turn"]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class MemoryRecord:
    """One memory. Ids that were not given at save time are ``None``."""

    id: str
    content: str
    scope: ScopeName
    user_id: str
    session_id: str | None
    agent_id: str | None
    turn_id: str | None
    #: The agent that wrote it (provenance); defaults to ``agent_id`` at save time.
    source_agent: str | None
    importance: float
    created_at: datetime  #: timezone-aware, UTC
    updated_at: datetime  #: timezone-aware, UTC
    metadata: dict[str, Any]
    #: Hex sha256 of the normalised content.
    content_hash: str
    #: 1 for a new memory; :meth:`Memory.update` adds versions under the same id.
    version: int
    #: When this version became current, and when it stopped (``None``: current).
    valid_from: datetime
    valid_to: datetime | None
    #: The id of the memory that replaced this one (:meth:`Memory.supersede`).
    superseded_by: str | None
    #: Every agent that stated this fact (dedup merges keep them all).
    sources: tuple[str, ...]
    seen_count: int
    last_seen_at: datetime
    #: How often a search returned it, and when last (``None``: never); the
    #: access ranking signal. Counted in memory, written with the next write or on close.
    access_count: int
    last_accessed_at: datetime | None
    #: World time: when the fact held, when known (``None``: unknown / still
    #: holds). :meth:`Memory.supersede` closes ``world_to``. Store time is
    #: ``valid_from`` / ``valid_to`` above.
    world_from: datetime | None
    world_to: datetime | None


@dataclass(frozen=True)
class SearchResult(MemoryRecord):
    """A :class:`MemoryRecord` (all its fields are attributes here too) plus how
    it ranked. ``score`` in [0, 1] is ``relevance`` (the fused vector + BM25
    score) mixed with ``recency``, importance and ``access`` as
    :class:`stratamem.Ranking` says; ``explanation`` spells that sum out. A
    signal that did not rank the memory has score 0 and rank 0 (ranks are 1-based)."""

    score: float
    relevance: float
    recency: float
    access: float
    explanation: str
    vector_score: float
    text_score: float
    vector_rank: int
    text_rank: int
    #: Graph expansion from the entities the query names, in [0, 1] (0: it did
    #: not reach this memory), and the path it took, e.g. ``"Caroline (subject)"``.
    graph_score: float
    graph_path: str | None

    @property
    def record(self) -> MemoryRecord:
        """The memory without the ranking fields."""
        names = [f.name for f in dataclasses.fields(MemoryRecord)]
        return MemoryRecord(**{n: getattr(self, n) for n in names})


class SavedId(str):
    """The id :meth:`Memory.save` returns: a plain ``str`` that also says
    whether the fact was merged into an existing memory (``merged``; the id is
    then that memory's)."""

    merged: bool

    def __new__(cls, id: str, merged: bool = False) -> "SavedId":
        self = super().__new__(cls, id)
        self.merged = merged
        return self


@dataclass(frozen=True)
class Entity:
    """Something the user's memories name (a person, place, project, path,
    date ...), as visible from the context it was read in."""

    id: int
    #: Its identity within the user: case, possessives, "the" and titles folded.
    key: str
    #: The most frequent way of writing its key ("Alice Smith", not the first
    #: name "Alice" that joined it); ``aliases`` the other ways.
    name: str
    type: str
    aliases: tuple[str, ...]
    #: Visible memories that name it.
    memories: int


@dataclass(frozen=True)
class Relation:
    """``subject -[predicate]-> object``, from one memory. World time
    (``world_from`` / ``world_to``) says when it held, ``None`` when unknown;
    ``recorded_at`` is when the store learned it. ``superseded``: its memory was
    superseded, so this is a past fact (its ``world_to`` closed then)."""

    id: int
    subject: str
    predicate: str
    object: str
    memory_id: str
    memory_version: int
    world_from: datetime | None
    world_to: datetime | None
    recorded_at: datetime
    superseded: bool


@dataclass(frozen=True)
class Neighbor:
    """An entity around the asked one: ``hops`` 1 (named with it or related to
    it) or 2 (through another), ``score`` in (0, 1] decayed by distance,
    ``path`` how, ``memory_ids`` the newest memories that name it."""

    entity: Entity
    hops: int
    score: float
    path: str
    memory_ids: tuple[str, ...]


@dataclass(frozen=True)
class ExtractedEntity:
    """What :func:`stratamem.extract_entities` finds in a text: ``subject``
    when the text is about it (a speaker label, a note's first name), ``weak``
    for a capitalised word that only starts a sentence (stored only when the
    user's memories already name it)."""

    name: str
    key: str
    type: str
    subject: bool
    weak: bool
    count: int


def _time(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def _maybe_time(micros: int) -> datetime | None:
    return _time(micros) if micros else None


def _opt(text: str) -> str | None:
    return text or None


def _record_fields(rec: Any) -> dict[str, Any]:
    ctx = rec.context
    return {
        "id": rec.id,
        "content": rec.content,
        "scope": rec.scope.name.lower(),
        "user_id": ctx.user_id,
        "session_id": _opt(ctx.session_id),
        "agent_id": _opt(ctx.agent_id),
        "turn_id": _opt(ctx.turn_id),
        "source_agent": _opt(rec.source_agent),
        "importance": rec.importance,
        "created_at": _time(rec.created_at),
        "updated_at": _time(rec.updated_at),
        "metadata": json.loads(rec.metadata_json) if rec.metadata_json else {},
        "content_hash": rec.content_hash,
        "version": rec.version,
        "valid_from": _time(rec.valid_from),
        "valid_to": _time(rec.valid_to) if rec.valid_to else None,
        "superseded_by": _opt(rec.superseded_by),
        "sources": tuple(rec.sources),
        "seen_count": rec.seen_count,
        "last_seen_at": _time(rec.last_seen_at),
        "access_count": rec.access_count,
        "last_accessed_at": _time(rec.last_accessed_at) if rec.last_accessed_at else None,
        "world_from": _maybe_time(rec.world_from),
        "world_to": _maybe_time(rec.world_to),
    }


def record_from_core(rec: Any) -> MemoryRecord:
    """``_core.MemoryRecord`` -> :class:`MemoryRecord`."""
    return MemoryRecord(**_record_fields(rec))


def result_from_core(res: Any) -> SearchResult:
    """``_core.SearchResult`` -> :class:`SearchResult`."""
    return SearchResult(
        **_record_fields(res.record),
        score=res.score,
        relevance=res.relevance,
        recency=res.recency,
        access=res.access,
        explanation=res.explanation,
        vector_score=res.vector_score,
        text_score=res.text_score,
        vector_rank=res.vector_rank,
        text_rank=res.text_rank,
        graph_score=res.graph_score,
        graph_path=res.graph_path or None,
    )


def entity_from_core(e: Any) -> Entity:
    return Entity(id=e.id, key=e.key, name=e.name, type=e.type, aliases=tuple(e.aliases), memories=e.memories)


def relation_from_core(r: Any) -> Relation:
    return Relation(id=r.id, subject=r.subject, predicate=r.predicate, object=r.object, memory_id=r.memory_id,
                    memory_version=r.memory_version, world_from=_maybe_time(r.world_from),
                    world_to=_maybe_time(r.world_to), recorded_at=_time(r.recorded_at), superseded=r.superseded)


def neighbor_from_core(n: Any) -> Neighbor:
    return Neighbor(entity=entity_from_core(n.entity), hops=n.hops, score=n.score, path=n.path,
                    memory_ids=tuple(n.memory_ids))
