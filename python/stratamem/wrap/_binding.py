"""The memory side of a wrapped client: one store, one (user, session, agent).

``recall`` searches and formats the block for the latest user message;
``store`` saves a reply's facts. Both are synchronous (the async client runs
them with ``asyncio.to_thread``); they go through the public
:class:`~stratamem.SyncMemory` API only.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Sequence

from .. import _core
from ..errors import InvalidInputError, StratamemError
from ..memory import SyncMemory
from ..records import MemoryRecord, SearchResult

logger = logging.getLogger("stratamem")

#: ~4 characters per token: the budget is an estimate, not a tokenizer count.
CHARS_PER_TOKEN = 4
#: Memories below this relevance are not injected. Measured on LoCoMo and
#: PrefEval (bench/recall/floor.py, bench/results/relevance-floor.json): the
#: lowest of the measured models' floors (bge-small's 0.152; MiniLM's own is
#: 0.211), each the highest relevance that keeps 95% of the relevant top-5 hits
#: on both sets. With MiniLM it drops no relevant top-5 hit there and a quarter
#: of questions asked of a store that cannot answer them inject nothing.
RELEVANCE_FLOOR = 0.15
#: A `replaces` text found by search must be this close (cosine) to count.
REPLACE_MIN_COSINE = 0.85
_PLACEHOLDERS = {"...", "<fact>", "fact", "content"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass
class Recall:
    block: str = ""
    memories: list[SearchResult] = field(default_factory=list)


class Binding:
    """The store and the ids a wrapper works with. Thread-safe (the store is)."""

    def __init__(self, memory: SyncMemory, *, user_id: str, session_id: str | None,
                 agent_id: str | None, top_k: int, min_score: float, max_memory_tokens: int,
                 owns_memory: bool) -> None:
        self.memory = memory
        self.user_id = user_id
        # No session given: one per wrapper, so "session" facts live as long as
        # this wrapper (and every copy from with_options) and no longer.
        self.session_id = session_id or f"with-memory-{uuid.uuid4().hex[:16]}"
        self.session_generated = session_id is None
        self.agent_id = agent_id
        self.top_k = top_k
        self.min_score = min_score
        self.max_chars = max_memory_tokens * CHARS_PER_TOKEN
        self.owns_memory = owns_memory

    # --- inject ----------------------------------------------------------------

    def recall(self, query: str) -> Recall:
        if not query or self.top_k == 0:
            return Recall()
        try:
            hits = self.memory.search(query, user_id=self.user_id, session_id=self.session_id,
                                      agent_id=self.agent_id, top_k=self.top_k,
                                      min_score=self.min_score)
        except StratamemError:
            # Memory is an aid: a failing store must not fail the user's call.
            logger.warning("stratamem: recall failed; calling without memories", exc_info=True)
            return Recall()
        block, included = _core.format_memory_context([h.content for h in hits], self.max_chars)
        return Recall(block, hits[:included])

    # --- store -----------------------------------------------------------------

    def _where(self, scope: str) -> str | None:
        """The level a fact is saved at, given the ids this wrapper has."""
        if scope == "turn":
            # The turn is over by the time the reply is parsed: no later search
            # could see a turn-level memory, so it is not stored.
            return None
        if scope == "agent" and not self.agent_id:
            return "session"
        return scope

    def store(self, facts: Sequence[Any], *, model: str | None, recalled: Sequence[SearchResult]
              ) -> list[str]:
        """Saves facts (``_core.Fact``); returns the ids written. Failures are
        logged and skipped, one fact at a time."""
        metadata = {"session_id": self.session_id, "model": model or "", "via": "with_memory"}
        plain: list[dict[str, Any]] = []
        ids: list[str] = []
        for fact in facts:
            if _norm(fact.content) in _PLACEHOLDERS:
                logger.debug("stratamem: placeholder fact %r dropped", fact.content)
                continue
            scope = self._where(fact.scope.name.lower())
            if scope is None:
                logger.debug("stratamem: turn-level fact %r not stored", fact.content)
                continue
            item = dict(content=fact.content, user_id=self.user_id, session_id=self.session_id,
                        agent_id=self.agent_id, scope=scope, importance=fact.importance,
                        metadata=metadata, source_agent=self.agent_id)
            if fact.entities or fact.relations:  # the block's graph, saved with the fact
                item["entities"] = [{"name": e.name, "type": e.type} for e in fact.entities]
                item["relationships"] = [(r.subject, r.predicate, r.object) for r in fact.relations]
            old = self._replaced(fact.replaces, recalled) if fact.replaces else None
            if old is not None and hasattr(self.memory, "supersede"):
                try:
                    ids.append(self.memory.supersede(old.id, **item))
                    continue
                except StratamemError:
                    logger.debug("stratamem: supersede failed; saving as new", exc_info=True)
            plain.append(item)
        if plain:
            try:
                ids.extend(self.memory.save_many(plain))
            except StratamemError:
                # One bad fact (too long, ...) must not lose the others.
                for item in plain:
                    try:
                        ids.append(self.memory.save(**item))
                    except InvalidInputError as exc:  # this fact only (too long, ...)
                        logger.debug("stratamem: fact %r not stored: %s", item["content"], exc)
                    except StratamemError:
                        logger.warning("stratamem: storing a fact failed", exc_info=True)
        return ids

    def _visible(self, record: MemoryRecord) -> bool:
        if record.user_id != self.user_id:
            return False
        if record.scope == "user":
            return True
        if record.session_id != self.session_id:
            return False
        return record.scope == "session" or (record.scope == "agent"
                                             and record.agent_id == self.agent_id)

    def _replaced(self, target: str, recalled: Sequence[SearchResult]) -> MemoryRecord | None:
        """The memory a fact's ``replaces`` names: an id, or the text of a
        memory this user can see (as injected, possibly still escaped)."""
        wanted = _norm(target)
        for m in recalled:
            if target == m.id or wanted in (_norm(m.content),
                                            _norm(_core.neutralise_memory_text(m.content))):
                return m
        try:
            record = self.memory.get(target)
            return record if self._visible(record) else None
        except StratamemError:
            pass
        try:
            hits = self.memory.search(target, user_id=self.user_id, session_id=self.session_id,
                                      agent_id=self.agent_id, top_k=3)
        except StratamemError:
            return None
        for hit in hits:
            if _norm(hit.content) == wanted or hit.vector_score >= REPLACE_MIN_COSINE:
                return hit
        return None


def model_of(response: Any, plan: Any) -> str | None:
    """The model that answered (the reply's), else the one the call named."""
    model = getattr(response, "model", None)
    return model if isinstance(model, str) and model else plan.model


class Passthrough:
    """Attribute access falls through to the wrapped SDK object (``_inner``):
    the wrappers replace only what they intercept."""

    _inner: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __dir__(self) -> list[str]:
        return sorted(set(dir(type(self))) | set(dir(self._inner)))


class BoundMemory:
    """``client.memory``: the store, bound to the wrapper's user, session and
    agent. Synchronous for every client (sync or async); returns the same
    records as :class:`~stratamem.SyncMemory`."""

    def __init__(self, binding: Binding) -> None:
        self._b = binding

    @property
    def user_id(self) -> str:
        return self._b.user_id

    @property
    def session_id(self) -> str:
        """The wrapper's session (generated per wrapper when none was given)."""
        return self._b.session_id

    @property
    def agent_id(self) -> str | None:
        return self._b.agent_id

    @property
    def store(self) -> SyncMemory:
        """The underlying :class:`~stratamem.SyncMemory`."""
        return self._b.memory

    def _ctx(self) -> dict[str, Any]:
        return {"user_id": self._b.user_id, "session_id": self._b.session_id,
                "agent_id": self._b.agent_id}

    def search(self, query: str, top_k: int = 5) -> list[SearchResult]:
        """What the wrapper would recall for ``query``, best first."""
        return self._b.memory.search(query, top_k=top_k, **self._ctx())

    def add(self, content: str, *, importance: float = 0.5, scope: str = "user",
            metadata: dict[str, Any] | None = None) -> str:
        """Saves a memory in the wrapper's context; returns its id."""
        return self._b.memory.save(content, scope=scope, importance=importance,
                                   metadata=metadata, source_agent=self._b.agent_id,
                                   **self._ctx())

    def get(self, id: str) -> MemoryRecord:
        return self._own(id)

    def get_all(self) -> list[MemoryRecord]:
        """Every memory a call from this wrapper could recall, newest first."""
        return self._b.memory.get_all(**self._ctx())

    def delete(self, id: str) -> None:
        self._own(id)
        self._b.memory.delete(id)

    def clear(self) -> int:
        """Forgets everything stored for this user_id (all sessions); returns
        how many memories were deleted."""
        return self._b.memory.clear(user_id=self._b.user_id)

    def stats(self) -> dict[str, Any]:
        """Counts of what this wrapper can see: ``total``, ``by_scope``, ..."""
        return self._b.memory.stats(**self._ctx())

    def history(self, id: str) -> list[MemoryRecord]:
        """The versions of a memory (oldest first) when the store keeps them."""
        self._own(id)
        history = getattr(self._b.memory, "history", None)
        if history is None:
            from ..errors import NotSupportedError
            raise NotSupportedError("this stratamem store keeps no history")
        return history(id)

    def _own(self, id: str) -> MemoryRecord:
        # Ids of other users' memories are treated as unknown.
        record = self._b.memory.get(id)
        if record.user_id != self._b.user_id:
            from ..errors import NotFoundError
            raise NotFoundError(f"no memory with id {id!r} for user {self._b.user_id!r}")
        return record

    def __repr__(self) -> str:
        return (f"<BoundMemory user_id={self._b.user_id!r} session_id={self._b.session_id!r} "
                f"agent_id={self._b.agent_id!r}>")
