"""mem0 (``mem0ai``) on LoCoMo: ``Memory`` with ``infer=False`` (no LLM call), its
local Qdrant store on disk, and its OpenAI embedder pointed at the local
all-MiniLM-L6-v2 server. Run inside build/bench-venvs/mem0 by bench/compare/run.py.
"""
from __future__ import annotations

import os
import tempfile
from importlib.metadata import version

os.environ.setdefault("MEM0_TELEMETRY", "False")

from common import conversations, data, embed_stats, harness, parse_args, write  # noqa: E402
from mem0 import Memory  # noqa: E402


class Mem0System:
    def __init__(self, base_url: str):
        self._dir = tempfile.TemporaryDirectory(prefix="mem0-")
        self._mem = Memory.from_config({
            "embedder": {"provider": "openai", "config": {
                "model": "all-MiniLM-L6-v2", "api_key": "local", "openai_base_url": base_url,
                "embedding_dims": 384}},
            "vector_store": {"provider": "qdrant", "config": {
                "collection_name": "locomo", "path": os.path.join(self._dir.name, "qdrant"),
                "embedding_model_dims": 384, "on_disk": True}},
            # Required by the constructor; never called with infer=False.
            "llm": {"provider": "openai", "config": {"api_key": "unused", "model": "unused"}},
            "history_db_path": os.path.join(self._dir.name, "history.db"),
        })

    def add(self, conv: data.Conversation) -> None:
        # mem0 takes one metadata dict per add call, so one call per turn.
        for t in conv.turns:
            self._mem.add([{"role": "user", "content": data.turn_text(t)}],
                          user_id=conv.sample_id, metadata=data.turn_metadata(t), infer=False)

    def search(self, conv, question, k, mode):
        out = self._mem.search(question, top_k=k, filters={"user_id": conv.sample_id},
                               threshold=0.0)
        return [r["metadata"]["dia_id"] for r in out["results"]]

    def close(self) -> None:
        self._dir.cleanup()


def main() -> None:
    args = parse_args(__doc__)
    results = harness.evaluate("mem0", lambda: Mem0System(args.base_url), conversations(args))
    write(args, results, {"version": version("mem0ai"), "embed_server": embed_stats(args.base_url),
                          "config": "Memory(infer=False), qdrant local on disk, openai embedder "
                                    "-> local all-MiniLM-L6-v2 server, search threshold=0"})


if __name__ == "__main__":
    main()
