"""A scripted Anthropic Messages server for the Anthropic tests.

It speaks the wire format the real ``anthropic`` SDK uses (``POST
/v1/messages``, a JSON Message or named Server-Sent Events: message_start,
content_block_start/delta/stop, message_delta, message_stop, with pings) on
127.0.0.1 at an ephemeral port, in a thread. It plays the model as
openai_fake_server does: the next scripted :class:`Reply`, else
:func:`openai_fake_server.rule_model` over the same request read as a chat
(``system`` as a system message). Every request is recorded.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable

from openai_fake_server import FakeOpenAIServer, Reply, message_text, rule_model

__all__ = ["FakeAnthropicServer", "Reply", "as_chat"]


def as_chat(body: dict[str, Any]) -> dict[str, Any]:
    """The Messages request as a chat completion request (for rule_model)."""
    system = body.get("system")
    messages = [{"role": "system", "content": message_text(system)}] if system else []
    return {**body, "messages": messages + list(body.get("messages", []))}


class FakeAnthropicServer(FakeOpenAIServer):
    """``with FakeAnthropicServer() as s: Anthropic(base_url=s.root_url)``.
    ``push``, ``requests`` and the script are FakeOpenAIServer's."""

    def last(self) -> dict[str, Any]:
        return self.requests[-1]["body"]

    def __init__(self, model: Callable[[dict[str, Any]], Reply] = rule_model) -> None:
        super().__init__(lambda body: model(as_chat(body)))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(super()._handler()):  # type: ignore[misc]  # its quiet log and _json
            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                body = json.loads(raw or b"{}")
                with server._lock:
                    server.requests.append({"path": self.path, "body": body,
                                            "headers": dict(self.headers)})
                if self.path.split("?")[0] != "/v1/messages":
                    return self._json(404, {"type": "error", "error": {
                        "type": "not_found_error", "message": "not found"}})
                reply = server._next_reply(body)
                if reply.status != 200:
                    return self._json(reply.status, {"type": "error", "error": {
                        "type": "invalid_request_error", "message": reply.error_message}})
                if body.get("stream"):
                    return self._stream(body, reply)
                self._json(200, message(body, reply))

            def _stream(self, body: dict[str, Any], reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                for name, data in stream_events(body, reply):
                    self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
                    self.wfile.flush()
                self.close_connection = True

        return Handler


_USAGE = {"input_tokens": 11, "output_tokens": 7}


def _content(reply: Reply) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"type": "text", "text": reply.content or ""}]
    for call in reply.tool_calls or []:
        blocks.append({"type": "tool_use", "id": call.get("id", "toolu_1"),
                       "name": call["name"], "input": call.get("input", {})})
    return blocks


def message(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    return {"id": "msg_fake", "type": "message", "role": "assistant",
            "model": body.get("model", "fake-claude"), "content": _content(reply),
            "stop_reason": reply.finish_reason or ("tool_use" if reply.tool_calls else "end_turn"),
            "stop_sequence": None, "usage": _USAGE}


def stream_events(body: dict[str, Any], reply: Reply) -> list[tuple[str, dict[str, Any]]]:
    start = {**message(body, reply), "content": [], "stop_reason": None,
             "usage": {"input_tokens": 11, "output_tokens": 1}}
    out: list[tuple[str, dict[str, Any]]] = [("message_start", {"type": "message_start",
                                                                "message": start}),
                                             ("ping", {"type": "ping"})]
    content = reply.content or ""
    pieces = reply.pieces if reply.pieces is not None else [
        content[i:i + 4] for i in range(0, len(content), 4)]
    out.append(("content_block_start", {"type": "content_block_start", "index": 0,
                                        "content_block": {"type": "text", "text": ""}}))
    for piece in pieces:
        out.append(("content_block_delta", {"type": "content_block_delta", "index": 0,
                                            "delta": {"type": "text_delta", "text": piece}}))
    out.append(("content_block_stop", {"type": "content_block_stop", "index": 0}))
    for i, call in enumerate(reply.tool_calls or [], start=1):
        out.append(("content_block_start", {"type": "content_block_start", "index": i,
                                            "content_block": {"type": "tool_use",
                                                              "id": call.get("id", "toolu_1"),
                                                              "name": call["name"], "input": {}}}))
        out.append(("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {
            "type": "input_json_delta", "partial_json": json.dumps(call.get("input", {}))}}))
        out.append(("content_block_stop", {"type": "content_block_stop", "index": i}))
    if reply.no_finish_chunk:  # a cut stream: no message_delta / message_stop
        return out
    stop = message(body, reply)["stop_reason"]
    out.append(("message_delta", {"type": "message_delta",
                                  "delta": {"stop_reason": stop, "stop_sequence": None},
                                  "usage": {"output_tokens": 7}}))
    out.append(("message_stop", {"type": "message_stop"}))
    return out
