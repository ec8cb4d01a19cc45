"""MemoryConfig's HTTP embedder fields reach the engine: a local server that
speaks the OpenAI /v1/embeddings wire format records what it was sent."""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from stratamem import DimensionMismatchError, EmbedderError, SyncMemory

DIM = 16


def _vector(text: str) -> list[float]:
    # Bag of hashed words: texts sharing words get similar vectors.
    v = [0.0] * DIM
    for word in text.lower().split():
        v[hashlib.sha256(word.encode()).digest()[0] % DIM] += 1.0
    return v


@pytest.fixture
def server():
    seen: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
            if body["model"] == "broken":
                self.send_response(500)
                self.end_headers()
                return
            reply = {"data": [{"index": i, "embedding": _vector(t)}
                              for i, t in enumerate(body["input"])]}
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", seen
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_http_backend_round_trip(tmp_path, server, backend):
    base_url, seen = server
    with SyncMemory(db_path=str(tmp_path / "h.db"), embedder_backend=backend,
                    embedder_model="test-embed", embedder_base_url=base_url,
                    embedder_api_key="sk-test", vector_dimension=DIM) as m:
        mid = m.save("the cat sat on the mat", user_id="u")
        m.save("stock prices fell sharply", user_id="u")
        assert m.search("cat on a mat", user_id="u", mode="vector")[0].id == mid
        assert m.stats()["dimension"] == DIM
    assert seen and all(r["path"] == "/v1/embeddings" for r in seen)
    assert all(r["model"] == "test-embed" and r["auth"] == "Bearer sk-test" for r in seen)


def test_http_dimension_must_match(tmp_path, server):
    base_url, _ = server
    with SyncMemory(db_path=str(tmp_path / "h.db"), embedder_backend="openai",
                    embedder_model="test-embed", embedder_base_url=base_url,
                    embedder_api_key="k", vector_dimension=384) as m:
        with pytest.raises(DimensionMismatchError, match="384"):
            m.save("some text", user_id="u")
        assert m.get_all(user_id="u") == []


def test_http_server_error_is_an_embedder_error(tmp_path, server):
    base_url, _ = server
    with SyncMemory(db_path=str(tmp_path / "h.db"), embedder_backend="openai",
                    embedder_model="broken", embedder_base_url=base_url,
                    embedder_api_key="k", vector_dimension=None) as m:
        with pytest.raises(EmbedderError, match="500"):
            m.save("some text", user_id="u")
