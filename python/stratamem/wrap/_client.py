"""The wrapped clients: proxies that intercept ``chat.completions.create`` and
pass everything else through to the SDK client untouched.

One call runs six steps: inject (recall memories for the latest user
message), instruct (the system prompt asks for a <memory> block), call (the
caller's arguments plus those two additions), parse (the assistant's reply
only), store, return (the SDK's own response or stream, blocks removed).
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from ._anthropic import is_messages_client, messages_wrapper
from ._binding import Binding, BoundMemory, Passthrough as _Passthrough, Recall, model_of as _model_of
from ._messages import Plan, build_messages, plan_call
from ._reply import AsyncStream, SyncStream, own_facts, strip_response


def _prepare(plan: Plan, recall: Recall, args: dict[str, Any]) -> dict[str, Any]:
    if plan.messages is None:
        return args
    return {**args, "messages": build_messages(plan, recall.block)}


class _SyncCompletions(_Passthrough):
    def __init__(self, inner: Any, binding: Binding) -> None:
        self._inner = inner
        self._binding = binding

    def create(self, *args: Any, **kwargs: Any) -> Any:
        b = self._binding
        plan = plan_call(kwargs)
        recall = b.recall(plan.query)
        response = self._inner.create(*args, **_prepare(plan, recall, kwargs))
        if not plan.instruct:
            return response

        def store(parsed: Any) -> None:
            if plan.extract and parsed is not None and parsed.facts:
                b.store(own_facts(parsed, plan.messages), model=_model_of(response, plan),
                        recalled=recall.memories)

        if kwargs.get("stream"):
            return SyncStream(response, store)
        store(strip_response(response))
        return response


class _AsyncCompletions(_Passthrough):
    def __init__(self, inner: Any, binding: Binding) -> None:
        self._inner = inner
        self._binding = binding

    async def create(self, *args: Any, **kwargs: Any) -> Any:
        b = self._binding
        plan = plan_call(kwargs)
        # Engine calls release the GIL and run off the event loop.
        recall = await asyncio.to_thread(b.recall, plan.query)
        response = await self._inner.create(*args, **_prepare(plan, recall, kwargs))
        if not plan.instruct:
            return response

        async def store(parsed: Any) -> None:
            if plan.extract and parsed is not None and parsed.facts:
                await asyncio.to_thread(b.store, own_facts(parsed, plan.messages),
                                        model=_model_of(response, plan),
                                        recalled=recall.memories)

        if kwargs.get("stream"):
            return AsyncStream(response, store)
        await store(strip_response(response))
        return response


class _Chat(_Passthrough):
    def __init__(self, inner: Any, completions: Any) -> None:
        self._inner = inner
        self.completions = completions


class MemoryClient(_Passthrough):
    """A sync SDK client (``OpenAI``, ``AzureOpenAI``, ``Groq``, ...;
    ``Anthropic``) with memory. Made by :func:`stratamem.with_memory`."""

    _completions_class: type = _SyncCompletions
    _is_async = False

    def __init__(self, inner: Any, binding: Binding) -> None:
        self._inner = inner
        self._binding = binding
        if _has_chat(inner):
            self.chat = _Chat(inner.chat, self._completions_class(inner.chat.completions, binding))
        else:  # Anthropic's Messages API (_anthropic.py)
            self.messages = messages_wrapper(inner.messages, binding, is_async=self._is_async)
        self.memory = BoundMemory(binding)

    @property
    def wrapped(self) -> Any:
        """The SDK client underneath."""
        return self._inner

    def with_options(self, *args: Any, **kwargs: Any) -> "MemoryClient":
        """The SDK's ``with_options``, wrapped again (same memory and ids)."""
        return type(self)(self._inner.with_options(*args, **kwargs), self._binding)

    def copy(self, *args: Any, **kwargs: Any) -> "MemoryClient":
        return type(self)(self._inner.copy(*args, **kwargs), self._binding)

    def close(self) -> None:
        """Closes the SDK client and the store, if the wrapper opened it."""
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()
        if self._binding.owns_memory:
            self._binding.memory.close()

    def __enter__(self) -> "MemoryClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._inner!r} {self.memory!r}>"


class AsyncMemoryClient(MemoryClient):
    """An async SDK client (``AsyncOpenAI``, ``AsyncGroq``, ...) with memory.
    ``client.memory`` stays synchronous."""

    _completions_class = _AsyncCompletions
    _is_async = True

    async def close(self) -> None:  # type: ignore[override]
        close = getattr(self._inner, "close", None)
        if close is not None:
            result = close()
            if inspect.isawaitable(result):
                await result
        if self._binding.owns_memory:
            self._binding.memory.close()

    async def __aenter__(self) -> "AsyncMemoryClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()


def _has_chat(client: Any) -> bool:
    return callable(getattr(getattr(getattr(client, "chat", None), "completions", None),
                            "create", None))


def is_async_client(client: Any) -> bool:
    create = client.chat.completions.create if _has_chat(client) else client.messages.create
    # SDKs decorate create() with functools.wraps'd sync wrappers: unwrap first.
    return inspect.iscoroutinefunction(inspect.unwrap(create))
