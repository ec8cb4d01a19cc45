"""``with_memory(Anthropic())``: the six steps for Anthropic's Messages API
(``messages.create``, streaming or not, and ``messages.stream``), on the same
binding and the engine's protocol code as the OpenAI wrapper. See
docs/anthropic.md.

Anthropic's shapes, as ``stratamem serve``'s ``/v1/messages`` route reads them
(tools/serve/messages_memory.h): the instruction is appended to ``system`` (a
string, or a list of text blocks); memories go first into the latest user
message with text of its own (after its leading ``tool_result`` blocks); every
text block of the reply loses its ``<memory>`` blocks and all their facts are
stored; streams keep one ``StreamFilter`` per text block and store once
``message_stop`` has arrived. Only SDK objects are walked here: parsing,
filtering and echo checks are the engine's.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable

from .. import _core
from ._binding import Binding, BoundMemory, Passthrough as _Passthrough, Recall, model_of as _model_of
from ._messages import INSTRUCTION, field, text_of, text_parts
from ._reply import AsyncStreamShell, StreamShell, _log_problems, _set


def is_messages_client(client: Any) -> bool:
    """An Anthropic-style client: ``messages.create`` and no ``chat``."""
    return callable(getattr(getattr(client, "messages", None), "create", None))


# --- the request -----------------------------------------------------------------


@dataclass(frozen=True)
class MessagesPlan:
    messages: list[Any] | None  #: the caller's messages (None: not a list; pass through)
    query: str                  #: the search text ("" = no injection)
    user_index: int | None      #: the message the memories go into
    instruct: bool              #: ask for a block, strip and store
    model: str | None


def plan_messages(kwargs: Mapping[str, Any]) -> MessagesPlan:
    messages = kwargs.get("messages")
    if not isinstance(messages, list):
        return MessagesPlan(None, "", None, False, None)
    index, query = None, ""
    for i in range(len(messages) - 1, -1, -1):
        if field(messages[i], "role") != "user":
            continue
        text = text_of(field(messages[i], "content")).strip()
        if text:  # a message of tool results only is skipped
            index, query = i, text
            break
    # JSON output: a block after the JSON would break it. Memories still go in.
    config = kwargs.get("output_config")
    json_output = bool(field(config, "format")) or _given(kwargs.get("output_format"))
    model = kwargs.get("model")
    return MessagesPlan(messages, query, index, not json_output,
                        model if isinstance(model, str) else None)


def _given(value: Any) -> bool:
    # The SDK's NOT_GIVEN / omit sentinels are falsy.
    return value is not None and bool(value)


def _injected(message: Any, block: str) -> Any | None:
    if not isinstance(message, Mapping):
        return None
    content = message.get("content")
    if isinstance(content, str):
        return {**message, "content": f"{block}\n\n{content}"}
    if isinstance(content, list):
        at = 0
        while at < len(content) and field(content[at], "type") == "tool_result":
            at += 1  # the API wants tool results first
        return {**message, "content": [*content[:at], {"type": "text", "text": block},
                                       *content[at:]]}
    return None


def _instructed(system: Any) -> Any:
    if isinstance(system, str):
        return f"{system}\n\n{INSTRUCTION}" if system else INSTRUCTION
    if isinstance(system, list):  # a new last block: cache_control breakpoints stay valid
        return [*system, {"type": "text", "text": INSTRUCTION}]
    if not _given(system):
        return INSTRUCTION
    return system  # an unknown shape: left as given


def _without_empty_text(message: Any) -> Any | None:
    """A copy of an assistant message without its empty text blocks (a stream
    whose only text was a block leaves one; the API refuses them when sent
    back), or None when there is nothing to drop."""
    if field(message, "role") != "assistant":
        return None
    content = field(message, "content")
    if not isinstance(content, list):
        return None
    kept = [b for b in content if not (field(b, "type") == "text" and field(b, "text") == "")]
    if len(kept) in (0, len(content)):
        return None
    return {"role": "assistant", "content": kept}


def prepare(plan: MessagesPlan, recall: Recall, kwargs: dict[str, Any]) -> dict[str, Any]:
    if plan.messages is None:
        return kwargs
    out = dict(kwargs)
    messages = list(plan.messages)
    changed = False
    for i, message in enumerate(messages):
        replaced = _without_empty_text(message)
        if replaced is not None:
            messages[i], changed = replaced, True
    if recall.block and plan.user_index is not None:
        replaced = _injected(plan.messages[plan.user_index], recall.block)
        if replaced is not None:
            messages[plan.user_index], changed = replaced, True
    if changed:  # else the caller's own list goes on
        out["messages"] = messages
    if plan.instruct:
        out["system"] = _instructed(kwargs.get("system"))
    return out


def echo_guard(plan: MessagesPlan, system: Any) -> Any:
    """What the model was given and did not write: the instruction, the
    caller's system prompt, and every non-assistant message's text and tool
    results."""
    guard = _core.EchoGuard()
    guard.add_message([INSTRUCTION])
    if _given(system):
        guard.add_message(text_parts(system))
    for message in plan.messages or []:
        if field(message, "role") == "assistant":
            continue
        content = field(message, "content")
        parts = text_parts(content)
        if isinstance(content, list):
            for block in content:
                if field(block, "type") == "tool_result":
                    parts.extend(text_parts(field(block, "content")))
        guard.add_message(parts)
    return guard


# --- the reply ---------------------------------------------------------------------


def strip_message(message: Any) -> list[Any]:
    """Removes blocks from every text block of a Message in place (a text
    block left empty is dropped when there are others); returns the facts."""
    content = field(message, "content")
    if not isinstance(content, list):
        return []
    facts: list[Any] = []
    kept = []
    for block in content:
        text = field(block, "text")
        if field(block, "type") == "text" and isinstance(text, str):
            parsed = _core.parse_reply(text)
            _log_problems(parsed)
            facts.extend(parsed.facts)
            if parsed.blocks:
                _set(block, "text", parsed.visible)
                if not parsed.visible and len(content) > 1:
                    continue  # the API refuses empty text blocks sent back
        kept.append(block)
    if len(kept) != len(content):
        _set(message, "content", kept)
    return facts


class EventFilter:
    """One StreamFilter per text block of a stream of raw Messages events;
    rewrites the events in place."""

    def __init__(self) -> None:
        self.filters: dict[int, Any] = {}
        self.complete = False

    def process(self, event: Any) -> list[Any]:
        kind = field(event, "type")
        index = field(event, "index")
        if kind == "message_stop":
            self.complete = True
        elif kind == "content_block_start":
            block = field(event, "content_block")
            if field(block, "type") == "text":
                f = self.filters[index] = _core.StreamFilter()
                if field(block, "text"):
                    _set(block, "text", f.feed(field(block, "text")))
        elif kind == "content_block_delta" and index in self.filters:
            delta = field(event, "delta")
            if field(delta, "type") == "text_delta" and isinstance(field(delta, "text"), str):
                _set(delta, "text", self.filters[index].feed(field(delta, "text")))
        elif kind == "content_block_stop" and index in self.filters:
            f = self.filters[index]
            if not f.finished:
                rest = f.finish()
                if rest:  # held back at the end of the block: one more delta before the stop
                    return [_text_delta(index, rest), event]
        return [event]

    def facts(self) -> list[Any]:
        facts: list[Any] = []
        for index in sorted(self.filters):
            f = self.filters[index]
            f.finish()
            _log_problems(f.result)
            facts.extend(f.result.facts)
        return facts


def _text_delta(index: int, text: str) -> Any:
    from anthropic.types import RawContentBlockDeltaEvent, TextDelta

    return RawContentBlockDeltaEvent(type="content_block_delta", index=index,
                                     delta=TextDelta(type="text_delta", text=text))


class _SyncEvents(StreamShell):
    """The SDK's raw event stream with blocks removed; facts are stored when
    ``message_stop`` arrives. A stream cut before it stores nothing."""

    def __init__(self, stream: Any, on_end: Callable[[list[Any]], None]) -> None:
        self._stream = stream
        self._iter = iter(stream)
        self._filter = EventFilter()
        self._on_end: Callable[[list[Any]], None] | None = on_end
        self._pending: list[Any] = []

    def __iter__(self) -> "_SyncEvents":
        return self

    def __next__(self) -> Any:
        while not self._pending:
            self._pending = self._filter.process(next(self._iter))
        event = self._pending.pop(0)
        if self._filter.complete and not self._pending and self._on_end is not None:
            on_end, self._on_end = self._on_end, None
            on_end(self._filter.facts())
        return event


class _AsyncEvents(AsyncStreamShell):
    """The async twin of :class:`_SyncEvents`."""

    def __init__(self, stream: Any, on_end: Callable[[list[Any]], Any]) -> None:
        self._stream = stream
        self._iter = stream.__aiter__()
        self._filter = EventFilter()
        self._on_end: Callable[[list[Any]], Any] | None = on_end
        self._pending: list[Any] = []

    def __aiter__(self) -> "_AsyncEvents":
        return self

    async def __anext__(self) -> Any:
        while not self._pending:
            self._pending = self._filter.process(await self._iter.__anext__())
        event = self._pending.pop(0)
        if self._filter.complete and not self._pending and self._on_end is not None:
            on_end, self._on_end = self._on_end, None
            await on_end(self._filter.facts())
        return event


def _helper(cls_name: str, raw: Any) -> Any:
    """The SDK's own MessageStream / AsyncMessageStream over `raw`, so
    ``text_stream``, ``get_final_message()`` and the rest work as usual."""
    from anthropic.lib import streaming

    cls = getattr(streaming, cls_name)
    if "output_format" in inspect.signature(cls).parameters:
        from anthropic import NOT_GIVEN

        return cls(raw, output_format=NOT_GIVEN)
    return cls(raw)


# --- the wrapped resources ----------------------------------------------------------


class _SyncMessages(_Passthrough):
    def __init__(self, inner: Any, binding: Binding) -> None:
        self._inner = inner
        self._binding = binding

    def _begin(self, kwargs: dict[str, Any]) -> tuple[MessagesPlan, Recall, dict[str, Any]]:
        plan = plan_messages(kwargs)
        recall = self._binding.recall(plan.query)
        return plan, recall, prepare(plan, recall, kwargs)

    def _storer(self, plan: MessagesPlan, recall: Recall, system: Any
                ) -> Callable[[list[Any], Any], None]:
        def store(facts: list[Any], response: Any = None) -> None:
            if facts:
                kept = echo_guard(plan, system).own_facts(facts)
                if kept:
                    self._binding.store(kept, model=_model_of(response, plan),
                                        recalled=recall.memories)
        return store

    def create(self, *args: Any, **kwargs: Any) -> Any:
        plan, recall, prepared = self._begin(kwargs)
        response = self._inner.create(*args, **prepared)
        if not plan.instruct:
            return response
        store = self._storer(plan, recall, kwargs.get("system"))
        if kwargs.get("stream"):
            return _SyncEvents(response, store)
        store(strip_message(response), response)
        return response

    def stream(self, **kwargs: Any) -> Any:
        if _given(kwargs.get("output_format")):
            return self._inner.stream(**kwargs)  # JSON output: nothing to strip
        return _SyncStreamManager(self, kwargs)


class _SyncStreamManager:
    """``messages.stream(...)``: a context manager giving the SDK's own
    MessageStream over the filtered events."""

    def __init__(self, messages: _SyncMessages, kwargs: dict[str, Any]) -> None:
        self._messages = messages
        self._kwargs = kwargs
        self._stream: Any = None

    def __enter__(self) -> Any:
        self._stream = _helper("MessageStream", self._messages.create(**self._kwargs, stream=True))
        return self._stream

    def __exit__(self, *exc: Any) -> None:
        if self._stream is not None:
            self._stream.close()


class _AsyncMessages(_SyncMessages):
    async def create(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        plan = plan_messages(kwargs)
        # Engine calls release the GIL and run off the event loop.
        recall = await asyncio.to_thread(self._binding.recall, plan.query)
        response = await self._inner.create(*args, **prepare(plan, recall, kwargs))
        if not plan.instruct:
            return response
        store = self._storer(plan, recall, kwargs.get("system"))

        async def store_async(facts: list[Any], response: Any = None) -> None:
            await asyncio.to_thread(store, facts, response)

        if kwargs.get("stream"):
            return _AsyncEvents(response, store_async)
        await store_async(strip_message(response), response)
        return response

    def stream(self, **kwargs: Any) -> Any:
        if _given(kwargs.get("output_format")):
            return self._inner.stream(**kwargs)
        return _AsyncStreamManager(self, kwargs)


class _AsyncStreamManager:
    def __init__(self, messages: _AsyncMessages, kwargs: dict[str, Any]) -> None:
        self._messages = messages
        self._kwargs = kwargs
        self._stream: Any = None

    async def __aenter__(self) -> Any:
        raw = await self._messages.create(**self._kwargs, stream=True)
        self._stream = _helper("AsyncMessageStream", raw)
        return self._stream

    async def __aexit__(self, *exc: Any) -> None:
        if self._stream is not None:
            await self._stream.close()


def messages_wrapper(inner: Any, binding: Binding, *, is_async: bool) -> Any:
    return (_AsyncMessages if is_async else _SyncMessages)(inner, binding)


__all__ = ["BoundMemory", "is_messages_client", "messages_wrapper"]
