"""Taking <memory> blocks out of what the SDK returns: whole responses and
streams of chunks (sync and async). Responses and chunks keep their SDK type;
only ``content`` strings change, and only when a block was found.

``n > 1``: blocks are removed from every choice; facts come from the first
choice only (the others are alternatives of the same turn)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Callable

from .. import _core
from ._messages import echo_guard, field

logger = logging.getLogger("stratamem")


def _set(obj: Any, name: str, value: Any) -> None:
    if isinstance(obj, Mapping):
        obj[name] = value  # type: ignore[index]
    else:
        setattr(obj, name, value)


def _log_problems(parsed: Any) -> None:
    for problem in parsed.problems:
        logger.debug("stratamem: <memory> block: %s", problem)


def own_facts(parsed: Any, messages: list[Any]) -> list[Any]:
    """The reply's facts, minus any the reply only echoed from the request (a
    fact the user typed or a tool returned is not the model's, however the
    echo is formatted: the engine compares normalised fact contents)."""
    facts = list(parsed.facts)
    kept = echo_guard(messages).own_facts(facts)
    if len(kept) != len(facts):
        logger.debug("stratamem: %d echoed fact(s) ignored", len(facts) - len(kept))
    return kept


def strip_response(response: Any) -> Any | None:
    """Removes blocks from every choice's message in place; returns the parse
    of the first choice (None when it has no text content: tool calls)."""
    first = None
    for i, choice in enumerate(field(response, "choices") or []):
        message = field(choice, "message")
        content = field(message, "content")
        if not isinstance(content, str):
            continue
        parsed = _core.parse_reply(content)
        if parsed.blocks:
            _set(message, "content", parsed.visible)
        if field(choice, "index", i) == 0:
            _log_problems(parsed)
            first = parsed
    return first


class ChunkFilter:
    """Runs one StreamFilter per choice over a stream's chunks (in place)."""

    def __init__(self) -> None:
        self.filters: dict[int, Any] = {}
        self.last_chunk: Any = None

    def process(self, chunk: Any) -> Any:
        self.last_chunk = chunk
        for choice in field(chunk, "choices") or []:
            index = field(choice, "index", 0) or 0
            delta = field(choice, "delta")
            content = field(delta, "content") if delta is not None else None
            f = self.filters.get(index)
            if isinstance(content, str) and content:
                if f is None:
                    f = self.filters[index] = _core.StreamFilter()
                _set(delta, "content", f.feed(content))
            if field(choice, "finish_reason") is not None and f is not None and not f.finished:
                tail = f.finish()
                if tail and delta is not None:
                    _set(delta, "content", (field(delta, "content") or "") + tail)
        return chunk

    def leftover_chunk(self) -> Any | None:
        """At the end of a stream that never sent a finish_reason: a copy of
        the last chunk carrying the held-back text (None when there is none)."""
        tails = {i: f.finish() for i, f in self.filters.items() if not f.finished}
        tails = {i: t for i, t in tails.items() if t}
        if not tails or self.last_chunk is None or not hasattr(self.last_chunk, "model_copy"):
            return None
        chunk = self.last_chunk.model_copy(deep=True)
        choices = []
        for choice in chunk.choices or []:
            if choice.index in tails and choice.delta is not None:
                choice.delta.content = tails.pop(choice.index)
                choices.append(choice)
        chunk.choices = choices
        return chunk if choices else None

    def first_parse(self) -> Any | None:
        f = self.filters.get(0)
        if f is None:
            return None
        f.finish()
        parsed = f.result
        _log_problems(parsed)
        return parsed


class StreamShell:
    """What every wrapped stream shares: closing drops the pending store (a
    stream abandoned before its end stores nothing), ``with`` closes it, and
    other attributes are the SDK stream's (.response, ...)."""

    _stream: Any
    _on_end: Any

    def close(self) -> None:
        self._on_end = None
        self._stream.close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class AsyncStreamShell:
    """The async twin of :class:`StreamShell`."""

    _stream: Any
    _on_end: Any

    async def close(self) -> None:
        self._on_end = None
        await self._stream.close()

    async def __aenter__(self) -> Any:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class SyncStream(StreamShell):
    """The SDK's stream with blocks removed; facts are stored when it ends.
    Iterating it yields the SDK's own chunk objects. A stream abandoned before
    its end, or one that fails, stores nothing."""

    def __init__(self, stream: Any, on_end: Callable[[Any], None]) -> None:
        self._stream = stream
        self._iter = iter(stream)
        self._filter = ChunkFilter()
        self._on_end: Callable[[Any], None] | None = on_end
        self._done = False

    def __iter__(self) -> "SyncStream":
        return self

    def __next__(self) -> Any:
        if self._done:
            raise StopIteration
        try:
            return self._filter.process(next(self._iter))
        except StopIteration:
            self._done = True
            leftover = self._filter.leftover_chunk()
            on_end, self._on_end = self._on_end, None
            if on_end is not None:
                on_end(self._filter.first_parse())
            if leftover is not None:
                return leftover
            raise

    def close(self) -> None:
        self._done = True
        super().close()


class AsyncStream(AsyncStreamShell):
    """The async twin of :class:`SyncStream`."""

    def __init__(self, stream: Any, on_end: Callable[[Any], Any]) -> None:
        self._stream = stream
        self._iter = stream.__aiter__()
        self._filter = ChunkFilter()
        self._on_end: Callable[[Any], Any] | None = on_end
        self._done = False

    def __aiter__(self) -> "AsyncStream":
        return self

    async def __anext__(self) -> Any:
        if self._done:
            raise StopAsyncIteration
        try:
            return self._filter.process(await self._iter.__anext__())
        except StopAsyncIteration:
            self._done = True
            leftover = self._filter.leftover_chunk()
            on_end, self._on_end = self._on_end, None
            if on_end is not None:
                await on_end(self._filter.first_parse())
            if leftover is not None:
                return leftover
            raise

    async def close(self) -> None:
        self._done = True
        await super().close()
