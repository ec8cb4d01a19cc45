"""An OpenAI-compatible ``/v1/embeddings`` server on 127.0.0.1 backed by stratamem's
native embedder and bundled all-MiniLM-L6-v2 weights.

It lets the compared systems (mem0, headroom-ai) use exactly the vectors stratamem
uses, through their own OpenAI embedder, without any model download (the
Hugging Face hub is unreachable here). Runs under the Python that has stratamem
installed, not inside the compared systems' venvs.

    python3 bench/compare/embed_server.py --port 0   # prints "PORT <n>" when ready

``GET /stats`` returns how many requests and texts were embedded and the seconds
spent in the embedder, so an adapter can tell embedding time from its own.
"""
from __future__ import annotations

import argparse
import base64
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

import stratamem
from stratamem import _core

NATIVE = 0  # EmbedderBackend.NATIVE in stratamem/embedder.h


class State:
    def __init__(self, threads: int):
        self.embedder = _core.Embedder(backend=NATIVE, model_dir=stratamem.bundled_model_dir(),
                                       num_threads=threads)
        self.lock = threading.Lock()   # one forward pass at a time, like in-process use
        self.requests = 0
        self.texts = 0
        self.seconds = 0.0


def make_handler(state: State):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _send(self, code: int, obj: dict) -> None:
            body = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path.rstrip("/").endswith("/stats"):
                self._send(200, {"requests": state.requests, "texts": state.texts,
                                 "seconds": state.seconds})
            else:
                self._send(404, {"error": {"message": "not found"}})

        def do_POST(self):
            if not self.path.rstrip("/").endswith("/embeddings"):
                self._send(404, {"error": {"message": f"no route {self.path}"}})
                return
            req = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            inputs = req.get("input")
            texts = [inputs] if isinstance(inputs, str) else list(inputs or [])
            if not texts or not all(isinstance(t, str) for t in texts):
                self._send(400, {"error": {"message": "input must be a string or list of "
                                                      "strings (token arrays unsupported)"}})
                return
            with state.lock:
                t0 = time.perf_counter()
                vectors = state.embedder.embed(texts)
                state.seconds += time.perf_counter() - t0
                state.requests += 1
                state.texts += len(texts)
            b64 = req.get("encoding_format") == "base64"
            data = []
            for i, v in enumerate(vectors):
                emb = (base64.b64encode(np.asarray(v, dtype="<f4").tobytes()).decode()
                       if b64 else v)
                data.append({"object": "embedding", "index": i, "embedding": emb})
            self._send(200, {"object": "list", "data": data,
                             "model": req.get("model", "all-MiniLM-L6-v2"),
                             "usage": {"prompt_tokens": 0, "total_tokens": 0}})
    return Handler


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(State(args.threads)))
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
