"""`stratamem serve`: the REST API, auth, limits and shutdown, over real HTTP
against the real installed `stratamem` console script on a tmp store."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

import stratamem

pytestmark = pytest.mark.model


class ServeProcess:
    """`stratamem serve --port 0 ...` in a subprocess; `.url` once listening."""

    def __init__(self, db: Path, *args: str, env: dict[str, str] | None = None) -> None:
        exe = shutil.which("stratamem")
        assert exe, "the stratamem console script is not installed (pip install .)"
        full_env = {**os.environ, **(env or {})}
        full_env.setdefault("STRATAMEM_MODEL_DIR", stratamem.bundled_model_dir())
        self.proc = subprocess.Popen([exe, "serve", "--db", str(db), "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=full_env)
        self.log: list[str] = []
        self._listening = threading.Event()
        self.url = ""
        threading.Thread(target=self._read_stderr, daemon=True).start()
        if not self._listening.wait(60):
            self.stop()
            raise AssertionError("serve did not start:\n" + "\n".join(self.log))

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line.rstrip("\n"))
            m = re.search(r"listening on (http://\S+)", line)
            if m:
                self.url = m.group(1)
                self._listening.set()

    def client(self, user: str | None = None, **headers: str) -> httpx.Client:
        if user is not None:
            headers["X-Stratamem-User"] = user
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(30)

    def __enter__(self) -> "ServeProcess":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def server(tmp_path: Path):
    with ServeProcess(tmp_path / "serve.db") as s:
        yield s


def save(c: httpx.Client, content: str, **fields: Any) -> dict[str, Any]:
    r = c.post("/v1/memories", json={"content": content, **fields})
    assert r.status_code == 201, r.text
    return r.json()


def test_every_rest_route(server: ServeProcess) -> None:
    with server.client("alice") as c:
        assert c.get("/healthz").json()["status"] == "ok"
        saved = save(c, "Alice prefers Python for backend work", importance=0.8,
                     metadata={"topic": "lang"})
        mid = saved["id"]
        assert saved["merged"] is False
        assert saved["memory"]["user_id"] == "alice" and saved["memory"]["importance"] == 0.8
        save(c, "Alice's standup is at 9am", scope="session", session_id="s1")
        # the same fact again is merged, not stored twice
        again = c.post("/v1/memories", json={"content": "Alice prefers Python for backend work"})
        assert again.status_code == 200 and again.json() == {**again.json(), "id": mid, "merged": True}

        listed = c.get("/v1/memories").json()["memories"]
        assert [m["content"] for m in listed] == ["Alice prefers Python for backend work"]
        in_s1 = c.get("/v1/memories", params={"session_id": "s1"}).json()["memories"]
        assert len(in_s1) == 2
        only_session = c.get("/v1/memories", params={"session_id": "s1", "scope": "session"})
        assert [m["scope"] for m in only_session.json()["memories"]] == ["session"]

        assert c.get(f"/v1/memories/{mid}").json()["content"].startswith("Alice prefers Python")
        hits = c.post("/v1/memories/search", json={"query": "which language for the backend?",
                                                   "top_k": 1}).json()["results"]
        assert hits[0]["id"] == mid and hits[0]["score"] > 0
        assert hits[0]["explanation"].startswith(f"{hits[0]['score']:.4f} = relevance ")
        diverse = c.post("/v1/memories/search", json={"query": "language", "diversity": 0.5})
        assert diverse.status_code == 200 and diverse.json()["results"]
        bad = c.post("/v1/memories/search", json={"query": "language", "diversity": 1})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "InvalidArgument"
        filtered = c.post("/v1/memories/search", json={"query": "language",
                                                       "filters": {"topic": "other"}})
        assert filtered.json()["results"] == []

        patched = c.patch(f"/v1/memories/{mid}", json={"content": "Alice prefers Rust", "importance": 0.9})
        assert patched.status_code == 200
        assert patched.json()["version"] == 2 and patched.json()["content"] == "Alice prefers Rust"
        assert patched.json()["id"] == mid
        only_importance = c.patch(f"/v1/memories/{mid}", json={"importance": 0.3}).json()
        assert only_importance["content"] == "Alice prefers Rust" and only_importance["importance"] == 0.3
        history = c.get(f"/v1/memories/{mid}/history").json()
        assert history["id"] == mid
        assert [(v["version"], v["content"]) for v in history["versions"]] == [
            (1, "Alice prefers Python for backend work"), (2, "Alice prefers Rust"), (3, "Alice prefers Rust")]
        with server.client("bob") as other:  # another tenant: as if the id did not exist
            assert other.get(f"/v1/memories/{mid}/history").status_code == 404

        stats = c.get("/v1/stats", params={"session_id": "s1"}).json()
        assert stats["total"] == 2 and stats["by_scope"]["session"] == 1 and "users" not in stats

        assert c.delete(f"/v1/memories/{mid}").json() == {"id": mid, "deleted": True}
        assert c.get(f"/v1/memories/{mid}").status_code == 404
        assert c.delete(f"/v1/memories/{mid}").status_code == 404


def test_user_from_body_or_query(server: ServeProcess) -> None:
    with server.client() as c:
        mid = save(c, "Bob drinks tea", user_id="bob")["id"]
        assert c.get(f"/v1/memories/{mid}", params={"user_id": "bob"}).status_code == 200
        assert c.get("/v1/memories", params={"user_id": "bob"}).json()["memories"][0]["id"] == mid
        r = c.post("/v1/memories", json={"content": "no one"})
        assert r.status_code == 400 and "X-Stratamem-User" in r.json()["error"]["message"]


def test_cross_tenant_access_is_not_found(server: ServeProcess) -> None:
    with server.client("alice") as alice, server.client("mallory") as mallory:
        mid = save(alice, "Alice's bank PIN hint: birthday")["id"]
        assert mallory.get(f"/v1/memories/{mid}").status_code == 404
        assert mallory.patch(f"/v1/memories/{mid}", json={"content": "owned"}).status_code == 404
        assert mallory.delete(f"/v1/memories/{mid}").status_code == 404
        assert mallory.get("/v1/memories").json()["memories"] == []
        assert mallory.post("/v1/memories/search", json={"query": "bank PIN"}).json()["results"] == []
        assert mallory.get("/v1/stats").json()["total"] == 0
        # the header names the tenant: a body or query cannot speak for another user
        r = mallory.post("/v1/memories/search", json={"query": "PIN", "user_id": "alice"})
        assert r.status_code == 403
        assert mallory.get(f"/v1/memories/{mid}", params={"user_id": "alice"}).status_code == 403
        assert mallory.post("/v1/memories", json={"content": "x", "user_id": "alice"}).status_code == 403
        # and alice's memory is untouched
        got = alice.get(f"/v1/memories/{mid}").json()
        assert got["content"] == "Alice's bank PIN hint: birthday" and got["version"] == 1


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"", b"\"text\""])
def test_bad_json_is_400(server: ServeProcess, body: bytes) -> None:
    with server.client("alice") as c:
        for path in ("/v1/memories", "/v1/memories/search"):
            r = c.post(path, content=body, headers={"Content-Type": "application/json"})
            assert r.status_code == 400
            assert r.json()["error"]["code"] == "InvalidJSON"


def test_invalid_fields_are_400(server: ServeProcess) -> None:
    with server.client("alice") as c:
        assert c.post("/v1/memories", json={"content": 42}).status_code == 400
        assert c.post("/v1/memories", json={"content": "x", "scope": "galaxy"}).status_code == 400
        assert c.post("/v1/memories", json={"content": "x", "metadata": [1]}).status_code == 400
        assert c.post("/v1/memories", json={"content": "x", "scope": "session"}).status_code == 400
        assert c.post("/v1/memories/search", json={"query": "x", "top_k": 0}).status_code == 400
        assert c.get("/v1/memories", params={"limit": "-1"}).status_code == 400
        assert c.get("/v1/nope").status_code == 404  # no upstream: nothing to pass through


def test_oversize_body_is_413(tmp_path: Path) -> None:
    with ServeProcess(tmp_path / "s.db", "--max-body-bytes", "4096") as s, s.client("alice") as c:
        r = c.post("/v1/memories", json={"content": "x" * 5000})
        assert r.status_code == 413 and r.json()["error"]["code"] == "PayloadTooLarge"
        assert c.post("/v1/memories", json={"content": "small enough"}).status_code == 201


def test_default_limit_is_one_mib(server: ServeProcess) -> None:
    with server.client("alice") as c:
        r = c.post("/v1/memories", content=b"{" + b" " * (1 << 20) + b"}",
                   headers={"Content-Type": "application/json"})
        assert r.status_code == 413


def test_token_required_and_checked(tmp_path: Path) -> None:
    with ServeProcess(tmp_path / "s.db", "--token", "s3cret-token") as s:
        with s.client("alice") as c:
            assert c.get("/healthz").status_code == 200  # liveness needs no token
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Bearer s3cret-toke"},
                            {"Authorization": "Bearer s3cret-token-and-more"}, {"X-Stratamem-Token": "nope"},
                            {"Authorization": "s3cret-token"}):
                r = c.get("/v1/memories", headers=headers)
                assert r.status_code == 401, headers
                assert r.json()["error"]["code"] == "Unauthorized"
            assert c.get("/v1/memories", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
            assert c.get("/v1/memories", headers={"X-Stratamem-Token": "s3cret-token"}).status_code == 200
            assert c.get("/openapi.json").status_code == 401
        assert not any("s3cret" in line for line in s.log)


def test_token_from_environment(tmp_path: Path) -> None:
    with ServeProcess(tmp_path / "s.db", env={"STRATAMEM_TOKEN": "from-env"}) as s, s.client("a") as c:
        assert c.get("/v1/memories").status_code == 401
        assert c.get("/v1/memories", headers={"Authorization": "Bearer from-env"}).status_code == 200


def test_non_loopback_bind_needs_a_token(tmp_path: Path) -> None:
    exe = shutil.which("stratamem")
    env = {**os.environ, "STRATAMEM_MODEL_DIR": stratamem.bundled_model_dir()}
    env.pop("STRATAMEM_TOKEN", None)
    r = subprocess.run([exe, "serve", "--db", str(tmp_path / "s.db"), "--host", "0.0.0.0", "--port", "0"],
                       capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode != 0
    assert "needs a token" in r.stderr
    with ServeProcess(tmp_path / "s.db", "--host", "0.0.0.0", "--token", "t") as s:
        assert s.url.startswith("http://0.0.0.0:")


def test_openapi_document_is_valid_and_routes_exist(server: ServeProcess) -> None:
    validate = pytest.importorskip("openapi_spec_validator").validate
    with server.client("alice") as c:
        doc = c.get("/openapi.json").json()
        assert doc["openapi"].startswith("3.1")
        validate(doc)
        mid = save(c, "route check", entities=["Dana"])["id"]
        for path, item in doc["paths"].items():
            for method in item:
                if method not in ("get", "post", "patch", "delete", "put"):
                    continue
                url = path.replace("{id}", mid).replace("{name}", "Dana")
                if path == "/v1/memories/{id}" and method == "delete":
                    continue  # checked last
                r = c.request(method.upper(), url, json={"query": "x", "content": "y", "messages": []})
                # every documented route is answered by a handler, never the router's 404
                assert r.status_code != 404 or path == "/v1/memories/{id}", (method, path, r.text)
                assert r.headers["content-type"].startswith("application/json"), (method, path)
        assert c.delete(f"/v1/memories/{mid}").status_code == 200


def test_graph_routes_and_tenants(server: ServeProcess) -> None:
    with server.client("alice") as alice, server.client("bob") as bob:
        saved = save(alice, "Dana manages the platform team in Porto",
                     entities=[{"name": "Dana", "type": "person"}, "platform team"],
                     relationships=[["Dana", "manages", "platform team"],
                                    {"source": "platform team", "type": "based in", "target": "Porto"}])
        # The JSON limits and the item checks of a save apply to the new fields: 400, nothing stored.
        for bad in ({"entities": "Dana"}, {"entities": [3]}, {"relationships": [["a", "b"]]},
                    {"relationships": [["a", "", "b"]]}, {"entities": ["x"] * 65},
                    {"entities": [{"name": {"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}]}):
            r = alice.post("/v1/memories", json={"content": "should not be stored", **bad})
            assert r.status_code == 400, (bad, r.text)
        assert [m["content"] for m in alice.get("/v1/memories").json()["memories"]] == [
            "Dana manages the platform team in Porto"]

        entities = alice.get("/v1/graph/entities").json()["entities"]
        assert {e["name"]: e["type"] for e in entities}["Dana"] == "person"
        named = alice.get("/v1/graph/entities", params={"memory_id": saved["id"]}).json()["entities"]
        assert {"Dana", "platform team", "Porto"} <= {e["name"] for e in named}
        relations = alice.get("/v1/graph/relations", params={"entity": "Dana"}).json()["relations"]
        assert [(r["subject"], r["predicate"], r["object"]) for r in relations] == [("Dana", "manages", "platform team")]
        near = alice.get("/v1/graph/entities/Dana/neighbors", params={"hops": 2}).json()["neighbors"]
        assert "Porto" in [n["entity"]["name"] for n in near]
        graph = alice.get("/v1/graph").json()
        assert len(graph["relations"]) == 2
        graphml = alice.get("/v1/graph", params={"format": "graphml"})
        assert graphml.status_code == 200 and "<graphml" in graphml.text and "Dana" in graphml.text

        # Another tenant sees an empty graph, and a 404 for Alice's entity.
        assert bob.get("/v1/graph/entities").json()["entities"] == []
        assert bob.get("/v1/graph/entities", params={"memory_id": saved["id"]}).json()["entities"] == []
        assert bob.get("/v1/graph/relations").json()["relations"] == []
        assert bob.get("/v1/graph/entities/Dana/neighbors").status_code == 404
        assert bob.get("/v1/graph").json()["entities"] == []
        assert "Dana" not in bob.get("/v1/graph", params={"format": "graphml"}).text
        # ... and cannot ask for Alice's graph by naming her in the query.
        assert bob.get("/v1/graph/entities", params={"user_id": "alice"}).status_code == 403
        assert alice.get("/v1/graph/entities", params={"limit": 0}).status_code == 400


def test_sigterm_finishes_in_flight_and_keeps_acknowledged_writes(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    s = ServeProcess(db)
    acked: list[str] = []
    stop = threading.Event()

    def writer(n: int) -> None:
        with s.client(f"user{n}") as c:
            i = 0
            while not stop.is_set():
                try:
                    r = c.post("/v1/memories", json={"content": f"fact {n}-{i} about topic {i * 7 % 13}"})
                except httpx.HTTPError:
                    return  # the server is gone: this write was never acknowledged
                if r.status_code == 201:
                    acked.append(r.json()["id"])
                i += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    assert s.stop(signal.SIGTERM) == 0
    stop.set()
    for t in threads:
        t.join(30)
    assert any("SIGTERM received" in line for line in s.log)
    assert s.log[-1].endswith("stopped")
    assert len(acked) > 3
    # every acknowledged id is in the file, read by a fresh process
    out = subprocess.run([shutil.which("stratamem"), "export", "--db", str(db)],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    stored = {json.loads(line)["id"] for line in out.splitlines() if line.strip()}
    missing = set(acked) - stored
    assert not missing, f"{len(missing)} acknowledged writes lost"
