"""A scripted OpenAI-compatible chat server for the with_memory tests.

It speaks the wire format the real SDKs use (``POST .../chat/completions``,
JSON or Server-Sent Events, ``GET .../models``, error bodies) on 127.0.0.1 at
an ephemeral port, in a thread. It plays the model: each request takes the
next scripted :class:`Reply` from the queue, or, when the queue is empty,
:func:`rule_model` answers (a tiny deterministic "model" that notices stated
preferences and uses the injected memories). Every request is recorded.

Run it standalone (``python openai_fake_server.py``) to point other processes
at it; it prints its base URL.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


@dataclass
class Reply:
    """One scripted model turn."""

    content: str | None = ""
    #: Streaming: the content split into these pieces (default: ~4-char pieces).
    pieces: list[str] | None = None
    tool_calls: list[dict[str, Any]] | None = None
    finish_reason: str | None = None
    #: Non-200: the error status sent instead of a reply.
    status: int = 200
    error_message: str = "scripted error"
    #: Seconds to wait before answering (timeouts).
    delay: float = 0.0
    #: n > 1: the contents of the other choices.
    extra_choices: list[str] = field(default_factory=list)
    #: Streaming: omit the chunk carrying finish_reason (a cut stream).
    no_finish_chunk: bool = False


def message_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content if p.get("type") == "text")
    return ""


_CONTEXT = re.compile(r"<stratamem-context>.*?</stratamem-context>\s*", re.S)


def rule_model(body: dict[str, Any]) -> Reply:
    """Notices "I prefer X" (and stores it as a memory block) and answers
    "which language" questions from the injected memories, else says so."""
    messages = body.get("messages", [])
    user = next((m for m in reversed(messages) if m.get("role") == "user"), {})
    text = message_text(user.get("content"))
    context = "\n".join(_CONTEXT.findall(text))
    question = _CONTEXT.sub("", text)
    asked_for_block = any("<memory>" in message_text(m.get("content"))
                          for m in messages if m.get("role") == "system")
    m = re.search(r"I prefer (\w+)( for [\w ]+)?", question)
    if m:
        block = json.dumps({"memories": [{"content": f"Prefers {m.group(1)}{m.group(2) or ''}",
                                          "scope": "user", "importance": 0.8}]})
        tail = f"\n\n<memory>{block}</memory>" if asked_for_block else ""
        return Reply(f"Noted: you prefer {m.group(1)}.{tail}")
    lang = re.search(r"Prefers (\w+)", context)
    answer = f"Use {lang.group(1)}." if lang else "I don't know your preferences yet."
    tail = '\n\n<memory>{"memories": []}</memory>' if asked_for_block else ""
    return Reply(answer + tail)


class FakeOpenAIServer:
    """``with FakeOpenAIServer() as server: OpenAI(base_url=server.base_url)``."""

    def __init__(self, model: Callable[[dict[str, Any]], Reply] = rule_model) -> None:
        self.model = model
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def push(self, *replies: Reply | str) -> None:
        for r in replies:
            self.script.append(Reply(r) if isinstance(r, str) else r)

    def last_messages(self) -> list[dict[str, Any]]:
        return self.requests[-1]["body"]["messages"]

    def __enter__(self) -> "FakeOpenAIServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self.script:
                return self.script.popleft()
        return self.model(body)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, payload: Any) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [
                        {"id": "fake-model", "object": "model", "created": 0, "owned_by": "test"}]})
                else:
                    self._json(404, {"error": {"message": "not found", "type": "not_found"}})

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                body = json.loads(raw or b"{}")
                path = self.path.split("?")[0]
                with server._lock:
                    server.requests.append({"path": self.path, "raw": raw, "body": body,
                                            "headers": dict(self.headers)})
                if path.endswith("/embeddings"):
                    inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
                    return self._json(200, {"object": "list", "model": body.get("model"),
                                            "data": [{"object": "embedding", "index": i,
                                                      "embedding": [0.5, 0.5]}
                                                     for i, _ in enumerate(inputs)],
                                            "usage": {"prompt_tokens": 1, "total_tokens": 1}})
                if not path.endswith("/chat/completions"):
                    return self._json(404, {"error": {"message": "not found"}})
                reply = server._next_reply(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    return self._json(reply.status, {"error": {
                        "message": reply.error_message, "type": "scripted", "code": reply.status}})
                if body.get("stream"):
                    return self._stream(body, reply)
                self._json(200, completion(body, reply))

            def _stream(self, body: dict[str, Any], reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                for chunk in stream_chunks(body, reply):
                    self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        return Handler


_USAGE = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}


def _finish(reply: Reply) -> str:
    return reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")


def completion(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    contents = [reply.content, *reply.extra_choices]
    choices = []
    for i, content in enumerate(contents):
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if reply.tool_calls and i == 0:
            message["tool_calls"] = reply.tool_calls
        choices.append({"index": i, "message": message, "finish_reason": _finish(reply),
                        "logprobs": None})
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000,
            "model": body.get("model", "fake-model"), "choices": choices,
            "usage": _USAGE, "system_fingerprint": "fp_fake"}


def stream_chunks(body: dict[str, Any], reply: Reply) -> list[dict[str, Any]]:
    def chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000,
                "model": body.get("model", "fake-model"), "choices": choices, **extra}

    out = [chunk([{"index": 0, "delta": {"role": "assistant", "content": ""},
                   "finish_reason": None}])]
    content = reply.content or ""
    pieces = reply.pieces if reply.pieces is not None else [
        content[i:i + 4] for i in range(0, len(content), 4)]
    for piece in pieces:
        out.append(chunk([{"index": 0, "delta": {"content": piece}, "finish_reason": None}]))
    for i, extra in enumerate(reply.extra_choices, start=1):
        out.append(chunk([{"index": i, "delta": {"role": "assistant", "content": extra},
                           "finish_reason": _finish(reply)}]))
    if reply.tool_calls:
        calls = [{"index": j, **call} for j, call in enumerate(reply.tool_calls)]
        out.append(chunk([{"index": 0, "delta": {"tool_calls": calls}, "finish_reason": None}]))
    if not reply.no_finish_chunk:
        out.append(chunk([{"index": 0, "delta": {}, "finish_reason": _finish(reply)}]))
    if (body.get("stream_options") or {}).get("include_usage"):
        out.append(chunk([], usage=_USAGE))
    return out


if __name__ == "__main__":
    with FakeOpenAIServer() as s:
        print(s.base_url, flush=True)
        threading.Event().wait()
