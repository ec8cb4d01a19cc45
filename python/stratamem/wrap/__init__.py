"""``with_memory(client, user_id)``: long-term memory for any OpenAI-compatible
chat client (OpenAI, AzureOpenAI, Groq and their async twins, or any object
with the same ``chat.completions.create``) and for Anthropic's (``Anthropic``,
``AsyncAnthropic``: ``messages.create`` and ``messages.stream``). See
docs/with-memory.md and docs/anthropic.md."""

from __future__ import annotations

import os
from typing import Any

from .._client import text as _text
from ..config import MemoryConfig
from ..errors import InvalidInputError, InvalidTypeError
from ..memory import SyncMemory
from ._anthropic import is_messages_client
from ._binding import RELEVANCE_FLOOR, BoundMemory, Binding
from ._client import AsyncMemoryClient, MemoryClient, _has_chat, is_async_client

__all__ = ["with_memory", "MemoryClient", "AsyncMemoryClient", "BoundMemory"]


def with_memory(client: Any, user_id: str, *, session_id: str | None = None,
                agent_id: str | None = None, db_path: str | os.PathLike[str] | None = None,
                top_k: int = 5, min_score: float = RELEVANCE_FLOOR, max_memory_tokens: int = 400,
                config: MemoryConfig | None = None, memory: SyncMemory | None = None,
                **overrides: Any) -> MemoryClient:
    """Wraps ``client`` so every ``chat.completions.create`` (OpenAI-style
    clients) or ``messages.create`` / ``messages.stream`` (Anthropic's) remembers.

    ``user_id`` owns the memories; ``session_id`` (default: one generated per
    wrapper) and ``agent_id`` narrow where session- and agent-level facts live.
    ``top_k`` memories at most, within about ``max_memory_tokens`` tokens, are
    put into the latest user message, those with relevance below ``min_score``
    left out (the default floor is measured, docs/with-memory.md; ``0`` injects
    the best ``top_k`` whatever they are). The store is opened from ``config`` with
    ``db_path`` and any other :class:`MemoryConfig` field as keyword overrides,
    or an open :class:`SyncMemory` is shared via ``memory`` (the wrapper then
    never closes it).
    """
    if not _has_chat(client) and not is_messages_client(client):
        raise InvalidTypeError("with_memory needs a client with chat.completions.create or "
                               f"messages.create, not {type(client).__name__}")
    _text("user_id", user_id)
    if not user_id.strip():
        raise InvalidInputError("user_id must not be empty")
    _text("session_id", session_id, optional=True)
    _text("agent_id", agent_id, optional=True)
    for name, value in (("top_k", top_k), ("max_memory_tokens", max_memory_tokens)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInputError(f"{name} must be an int >= 0, got {value!r}")
    if db_path is not None:
        overrides["db_path"] = db_path
    if memory is not None:
        if not isinstance(memory, SyncMemory):
            raise InvalidTypeError(f"memory must be a SyncMemory, not {type(memory).__name__}")
        if config is not None or overrides:
            raise InvalidInputError("give either memory= or a config/db_path/overrides, not both")
        owns = False
    else:
        memory = SyncMemory(config, **overrides)
        owns = True
    binding = Binding(memory, user_id=user_id, session_id=session_id or None,
                      agent_id=agent_id or None, top_k=top_k, min_score=float(min_score),
                      max_memory_tokens=max_memory_tokens, owns_memory=owns)
    cls = AsyncMemoryClient if is_async_client(client) else MemoryClient
    return cls(client, binding)
