"""Pure functions over a chat request: reading message text, deciding what the
wrapper may do with a call, and building the two additions (the memory block
in the latest user message, the instruction in the system prompt). No I/O.

Only the latest user message and the system prompt are ever replaced, by new
objects; every other message is passed on as the very object the caller gave
(so it serialises byte-identically and providers' prompt caches keep working).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import _core

INSTRUCTION: str = _core.MEMORY_INSTRUCTION

_JSON_FORMATS = {"json_object", "json_schema"}


def field(obj: Any, name: str, default: Any = None) -> Any:
    """``obj[name]`` for mappings, ``obj.name`` otherwise (SDK objects)."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def text_parts(content: Any) -> list[str]:
    """The text parts of a message's content: a string, or the text parts of
    a list of parts (images, audio and files are skipped)."""
    if isinstance(content, str):
        return [content]
    if isinstance(content, Sequence) and not isinstance(content, (bytes, bytearray)):
        texts = []
        for part in content:
            if isinstance(part, str):
                texts.append(part)
            elif field(part, "type") == "text" and isinstance(field(part, "text"), str):
                texts.append(field(part, "text"))
        return texts
    return []


def text_of(content: Any) -> str:
    """The text of a message's content, its parts joined by newlines."""
    return "\n".join(text_parts(content))


def latest_user_index(messages: Sequence[Any]) -> int | None:
    for i in range(len(messages) - 1, -1, -1):
        if field(messages[i], "role") == "user":
            return i
    return None


@dataclass(frozen=True)
class Plan:
    """What the wrapper does with one ``create`` call."""

    messages: list[Any] | None  #: the caller's messages (None: not a list; pass through)
    query: str                  #: the search text ("" = no injection)
    user_index: int | None      #: where the memory block goes
    instruct: bool              #: add the instruction and take blocks out of the reply
    extract: bool               #: store the facts of the first choice
    model: str | None           #: the requested model (provenance)


def plan_call(kwargs: Mapping[str, Any]) -> Plan:
    messages = kwargs.get("messages")
    if not isinstance(messages, list):
        return Plan(None, "", None, False, False, None)
    index = latest_user_index(messages)
    query = text_of(field(messages[index], "content")).strip() if index is not None else ""
    # JSON modes: a block after the JSON would break the reply, so the model is
    # not asked for one (and the reply is returned untouched). Memories are
    # still injected: reading them cannot break anything.
    response_format = kwargs.get("response_format")
    json_mode = field(response_format, "type") in _JSON_FORMATS or (
        isinstance(response_format, type))  # a pydantic class (beta .parse)
    model = kwargs.get("model")
    return Plan(messages, query, index, not json_mode, not json_mode,
                model if isinstance(model, str) else None)


def _with_text(message: Any, text: str, *, before: bool) -> Any | None:
    """A copy of a dict message with `text` added to its content, or None when
    the message cannot be extended safely (not a dict, unknown content)."""
    if not isinstance(message, Mapping):
        return None
    content = message.get("content")
    if isinstance(content, str):
        new_content: Any = f"{text}\n\n{content}" if before else f"{content}\n\n{text}"
    elif isinstance(content, list):
        part = {"type": "text", "text": text}
        new_content = [part, *content] if before else [*content, part]
    elif content is None and not before:
        new_content = text
    else:
        return None
    return {**message, "content": new_content}


def build_messages(plan: Plan, memory_block: str) -> list[Any]:
    """The caller's messages with the memory block put into the latest user
    message and the instruction appended to the first system (or developer)
    message, or inserted as a new first system message."""
    assert plan.messages is not None
    messages = list(plan.messages)
    if memory_block and plan.user_index is not None:
        replaced = _with_text(messages[plan.user_index], memory_block, before=True)
        if replaced is not None:
            messages[plan.user_index] = replaced
    if plan.instruct:
        for i, message in enumerate(messages):
            if field(message, "role") in ("system", "developer"):
                replaced = _with_text(message, INSTRUCTION, before=False)
                if replaced is not None:
                    messages[i] = replaced
                    break
        else:
            messages.insert(0, {"role": "system", "content": INSTRUCTION})
    return messages


def echo_guard(messages: Sequence[Any]) -> Any:
    """Everything the model was given that it did not write (system, user,
    tool and function messages) plus the instruction: a fact the reply merely
    echoes from here is not the model's own and is not stored."""
    guard = _core.EchoGuard()
    guard.add_message([INSTRUCTION])
    for message in messages:
        if field(message, "role") != "assistant":
            guard.add_message(text_parts(field(message, "content")))
    return guard
