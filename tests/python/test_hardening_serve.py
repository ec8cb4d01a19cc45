"""Issue 9 against the real `stratamem serve`: hostile bodies, chunked and
oversize requests, overload, tenant-only stats, validation that names the
field, the bind policy and the default user. Real HTTP on loopback."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from test_serve_rest import ServeProcess

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("hard") / "serve.db"
    with ServeProcess(db, "--user", "default") as s:  # --max-body-bytes 1 MiB
        yield s


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def deep_body(depth: int) -> bytes:
    """A metadata value nested `depth` levels, as text (json.dumps would recurse)."""
    return ('{"content":"deep","metadata":{"a":' + "[" * depth + "1" + "]" * depth + "}}").encode()


def raw(server: ServeProcess, data: bytes, read_all: bool = True) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before taking it all (a 413): read the answer
        chunks = []
        while True:
            try:
                got = sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                break
            if not got:
                break
            chunks.append(got)
            if not read_all:
                break
        return b"".join(chunks)


def test_deep_json_is_400_at_every_route_and_the_server_lives(server: ServeProcess) -> None:
    with server.client("alice") as c:
        huge = ('{"content":"x","metadata":{"a":' + "[" * 60000 + "1" + "]" * 60000 + "}}").encode()
        for method, path, body in [
            ("POST", "/v1/memories", huge),
            ("POST", "/v1/memories/search", b'{"query":"x","filters":{"a":' + b"[" * 60000 + b"]" * 60000 + b"}}"),
            ("POST", "/v1/memories", deep_body(32)),  # body 1 + metadata 1 + 32 = 34 levels
        ]:
            r = c.request(method, path, content=body, headers={"Content-Type": "application/json"})
            assert r.status_code == 400 and "nested deeper than 32" in r.json()["error"]["message"], r.text
        mid = c.post("/v1/memories", content=deep_body(30)).json()["id"]  # 32 levels: accepted
        r = c.patch(f"/v1/memories/{mid}", content=b'{"metadata":{"a":' + b"[" * 60000 + b"]" * 60000 + b"}}")
        assert r.status_code == 400
        assert c.get("/healthz").status_code == 200


def test_metadata_over_64k_is_refused_by_the_engine(tmp_path: Path) -> None:
    with ServeProcess(tmp_path / "m.db", "--max-body-bytes", "1048576") as s, s.client("alice") as c:
        r = c.post("/v1/memories", json={"content": "big", "metadata": {"blob": "x" * 70000}})
        assert r.status_code == 400 and "metadata is" in r.json()["error"]["message"], r.text
        assert c.post("/v1/memories", json={"content": "small", "metadata": {"b": "x" * 1000}}).status_code == 201


def chunked_request(size: int) -> bytes:
    head = (b"POST /v1/memories HTTP/1.1\r\nHost: x\r\nX-Stratamem-User: alice\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    body = b'{"content":"' + b"x" * size + b'"}'
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 8192]), body[i:i + 8192]) for i in range(0, len(body), 8192))
    return head + chunks + b"0\r\n\r\n"


def test_chunked_body_over_the_limit_is_413_and_the_connection_closes(server: ServeProcess) -> None:
    follow = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    reply = raw(server, chunked_request(8 << 20) + follow)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b"PayloadTooLarge" in reply
    assert reply.count(b"HTTP/1.1") == 1  # closed: the rest was never read as a request
    with server.client("alice") as c:
        assert all("x" * 1000 not in m["content"] for m in c.get("/v1/memories").json()["memories"])


def test_small_chunked_body_is_accepted(server: ServeProcess) -> None:
    reply = raw(server, chunked_request(100).replace(b"HTTP/1.1\r\n", b"HTTP/1.1\r\nConnection: close\r\n", 1))
    assert reply.startswith(b"HTTP/1.1 201"), reply[:300]


def test_declared_length_over_the_limit_is_413_before_reading(server: ServeProcess) -> None:
    head = (b"POST /v1/memories HTTP/1.1\r\nHost: x\r\nX-Stratamem-User: alice\r\n"
            b"Content-Length: 9999999\r\n\r\n" + b"{" * 1000)
    reply = raw(server, head + b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 413") and reply.count(b"HTTP/1.1") == 1


@pytest.mark.parametrize("path,body,field", [
    ("/v1/memories", {"content": "a", "dedup": "no"}, "dedup"),
    ("/v1/memories", {"content": "a", "importance": 2}, "importance"),
    ("/v1/memories", {"content": "a", "scope": "everyone"}, "scope"),
    ("/v1/memories", {"content": ""}, "content"),
    ("/v1/memories", {"content": "a", "metadta": {}}, "metadta"),
    ("/v1/memories", {"content": 5}, "content"),
    ("/v1/memories/search", {"query": "a", "top_k": 1.9}, "top_k"),
    ("/v1/memories/search", {"query": "a", "top_k": 0}, "top_k"),
    ("/v1/memories/search", {"query": "a", "min_score": "high"}, "min_score"),
    ("/v1/memories/search", {"query": "a", "mode": "fuzzy"}, "mode"),
    ("/v1/memories/search", {"query": "a", "scopes": [1]}, "scopes[0]"),
])
def test_wrong_types_and_ranges_name_the_field(server: ServeProcess, path: str, body: dict, field: str) -> None:
    with server.client("alice") as c:
        r = c.post(path, json=body)
        assert r.status_code == 400, r.text
        assert r.json()["error"]["message"].startswith(field + ":"), r.text


def test_patch_validation(server: ServeProcess) -> None:
    with server.client("alice") as c:
        mid = c.post("/v1/memories", json={"content": "Patch me please"}).json()["id"]
        for body, field in [({"importance": -1}, "importance"), ({"content": ""}, "content"),
                            ({"importance": "high"}, "importance"), ({"colour": 1}, "colour")]:
            r = c.patch(f"/v1/memories/{mid}", json=body)
            assert r.status_code == 400 and r.json()["error"]["message"].startswith(field + ":"), r.text
        assert c.get(f"/v1/memories/{mid}").json()["version"] == 1  # nothing changed


def test_default_user_does_not_refuse_a_body_user(server: ServeProcess) -> None:
    with server.client() as c:  # no X-Stratamem-User header
        r = c.post("/v1/memories", json={"content": "Carol's note", "user_id": "carol"})
        assert r.status_code == 201 and r.json()["memory"]["user_id"] == "carol"
        r = c.post("/v1/memories", json={"content": "A default note"})
        assert r.status_code == 201 and r.json()["memory"]["user_id"] == "default"
    with server.client("dave") as c:  # a header still cannot be overridden by a body
        assert c.post("/v1/memories", json={"content": "x", "user_id": "carol"}).status_code == 403


def test_stats_show_only_the_tenant(server: ServeProcess) -> None:
    with server.client("erin") as c:
        c.post("/v1/memories", json={"content": "Erin's only memory"})
        stats = c.get("/v1/stats").json()
        assert set(stats) == {"total", "by_scope", "dimension", "embedder_model", "schema_version"}
        assert stats["total"] == 1
        r = c.get("/v1/stats", params={"view": "store"})
        assert r.status_code == 403  # no token on this server: no operator view


def test_store_stats_with_the_token(tmp_path: Path) -> None:
    with ServeProcess(tmp_path / "t.db", "--token", "s3cret") as s:
        with s.client("alice", Authorization="Bearer s3cret") as c:
            c.post("/v1/memories", json={"content": "Alice's memory"})
            store = c.get("/v1/stats", params={"view": "store"}).json()
            assert store["users"] == 1 and store["db_size_bytes"] > 0 and "ann" in store
            assert "db_size_bytes" not in c.get("/v1/stats").json()


@pytest.mark.parametrize("host", ["127.evil.example", "127.0.0.1.nip.io", "0.0.0.0"])
def test_bind_policy_uses_resolved_addresses(tmp_path: Path, host: str) -> None:
    import shutil
    exe = shutil.which("stratamem")
    r = subprocess.run([exe, "serve", "--db", str(tmp_path / "b.db"), "--host", host, "--port", "0"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "needs a token" in r.stderr, r.stderr


def test_overload_is_shed_fast_with_retry_after(tmp_path: Path) -> None:
    with ServeProcess(tmp_path / "o.db", "--threads", "1", "--max-queue", "1", "--quiet") as s:
        host, port = s.url.removeprefix("http://").split(":")
        hold = socket.create_connection((host, int(port)), timeout=10)
        hold.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert hold.recv(4096).startswith(b"HTTP/1.1 200")  # the only worker now waits on this connection
        queued = socket.create_connection((host, int(port)), timeout=10)
        queued.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.2)  # let the listener queue it
        reply = raw(s, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 503") and b"Retry-After: 1" in reply, reply[:300]
        assert b"Overloaded" in reply
        # Shed while the worker was still held: the queued request has no answer yet.
        queued.setblocking(False)
        with pytest.raises(BlockingIOError):
            queued.recv(4096)
        queued.setblocking(True)
        hold.close()
        assert queued.recv(4096).startswith(b"HTTP/1.1 200")  # the queued one is still served
        queued.close()
        with s.client() as c:
            assert c.get("/healthz").status_code == 200
