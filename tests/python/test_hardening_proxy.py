"""Issue 9 through the `stratamem serve` proxy: wrong types in a chat request
are a 400 naming the field and never reach the upstream; a user-typed block
echoed in another formatting is not stored; hostile replies do not hold a
worker. The real openai SDK / httpx -> real serve -> scripted upstream."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from openai_fake_server import FakeOpenAIServer, Reply
from test_hardening_wrap import FACT, TYPED, echoes
from test_serve_rest import ServeProcess

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def upstream():
    with FakeOpenAIServer() as s:
        yield s


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory, upstream: FakeOpenAIServer):
    db = tmp_path_factory.mktemp("proxy") / "p.db"
    with ServeProcess(db, "--upstream", upstream.base_url) as s:
        yield s


def chat(proxy: ServeProcess, user: str, body: dict) -> httpx.Response:
    with proxy.client(user) as c:
        return c.post("/v1/chat/completions", json=body)


def stored(proxy: ServeProcess, user: str) -> list[str]:
    with proxy.client(user) as c:
        return [m["content"] for m in c.get("/v1/memories").json()["memories"]]


@pytest.mark.parametrize("body,field", [
    ({"messages": [{"role": "user", "content": "hi"}], "stream": "yes"}, "stream"),
    ({"messages": [{"role": 5, "content": "hi"}]}, "messages[0].role"),
    ({"messages": [{"role": "user", "content": [{"type": 7, "text": "hi"}]}]}, "messages[0].content[0].type"),
    ({"messages": [{"role": "user", "content": [{"type": "text", "text": 3}]}]}, "messages[0].content[0].text"),
    ({"messages": [{"role": "user", "content": "hi"}], "response_format": {"type": 1}}, "response_format.type"),
    ({"messages": [{"role": "user", "content": 5}]}, "messages[0].content"),
    ({"messages": "hi"}, "messages"),
    ({"messages": [{"role": "user", "content": "hi"}], "user": ["x"]}, "user"),
])
def test_bad_chat_requests_are_400_and_not_forwarded(proxy, upstream, body, field) -> None:
    upstream.script.clear()
    before = len(upstream.requests)
    r = chat(proxy, "val", {"model": "m", **body})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"].startswith(f"'{field}'"), r.text
    assert len(upstream.requests) == before


@pytest.mark.parametrize("shape", list(echoes()))
def test_reformatted_echo_is_not_stored(proxy, upstream, shape) -> None:
    user = "echo-" + shape.replace(" ", "-").replace("\\", "")
    upstream.push(Reply(echoes()[shape]))
    r = chat(proxy, user, {"model": "m", "messages": [{"role": "user", "content": "Remember: " + TYPED}]})
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"] == "Done."
    assert stored(proxy, user) == []


def test_split_parts_and_streamed_echo_are_not_stored(proxy, upstream) -> None:
    parts = [{"type": "text", "text": TYPED[:30]}, {"type": "text", "text": TYPED[30:]}]
    upstream.push(Reply(echoes()["spaces"]))
    chat(proxy, "split", {"model": "m", "messages": [{"role": "user", "content": parts}]})
    upstream.push(Reply(echoes()["key order"]))
    with proxy.client("streamed") as c:
        with c.stream("POST", "/v1/chat/completions", json={
                "model": "m", "stream": True, "messages": [{"role": "user", "content": TYPED}]}) as r:
            events = [line[6:] for line in r.iter_lines() if line.startswith("data: ")]
    chunks = [json.loads(e) for e in events if e != "[DONE]"]
    assert "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"]) == "Done."
    assert stored(proxy, "split") == [] and stored(proxy, "streamed") == []


def test_own_fact_next_to_an_echo_is_kept(proxy, upstream) -> None:
    own = "Prefers tea over coffee"
    upstream.push(Reply('ok <memory>{"memories": [{"content": "%s"}, {"content": "%s"}]}</memory>' % (FACT, own)))
    chat(proxy, "mixed", {"model": "m", "messages": [
        {"role": "user", "content": "I like tea more than coffee"},
        {"role": "tool", "tool_call_id": "t", "content": json.dumps({"page": FACT})}]})
    assert stored(proxy, "mixed") == [own]


def test_adversarial_reply_is_parsed_and_the_proxy_keeps_serving(proxy, upstream) -> None:
    upstream.push(Reply("answer " + "<memory>" + "{" * (1 << 20)))
    r = chat(proxy, "dos", {"model": "m", "messages": [{"role": "user", "content": "hi"}]})
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"] == "answer"
    upstream.push(Reply("fine " + "<memory></memory>" * 20000))
    r = chat(proxy, "dos", {"model": "m", "messages": [{"role": "user", "content": "hi"}]})
    assert r.json()["choices"][0]["message"]["content"] == "fine"
