"""headroom-ai's memory (``headroom.memory``) on LoCoMo, no LLM call.

Uses ``LocalBackend`` (what ``headroom.memory.Memory()`` builds: SQLite store,
sqlite-vec/HNSW vectors, FTS5 text) with ``embedder_backend="openai"``. headroom's
OpenAI embedder takes no base URL argument; it builds ``AsyncOpenAI(api_key=...)``,
which reads ``OPENAI_BASE_URL``, so we point that variable at the local
all-MiniLM-L6-v2 server. Two searches on the same store: ``search_memories``
(the default used by ``Memory.search``: vector plus graph expansion) and
``hybrid_search`` (vector + FTS5, weights 0.5/0.5). Turns are saved one call each
through ``save_memory`` (the public path; there is no public batch save).
Run inside build/bench-venvs/headroom by bench/compare/run.py.
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from importlib.metadata import version

from common import conversations, data, embed_stats, harness, parse_args, write  # noqa: E402

MODES = ("default", "hybrid")


class HeadroomSystem:
    unmatched_results = 0   # results that map to no turn of ours (over all conversations)
    def __init__(self, loop: asyncio.AbstractEventLoop):
        from headroom.memory import LocalBackend, LocalBackendConfig
        self._loop = loop
        self._by_text: dict[str, str] = {}
        self._dir = tempfile.TemporaryDirectory(prefix="headroom-")
        self._backend = LocalBackend(LocalBackendConfig(
            db_path=os.path.join(self._dir.name, "memory.db"), embedder_backend="openai",
            embedder_model="all-MiniLM-L6-v2", vector_dimension=384, openai_api_key="local"))

    def add(self, conv: data.Conversation) -> None:
        texts = [data.turn_text(t) for t in conv.turns]
        self._by_text = {x: t.dia_id for x, t in zip(texts, conv.turns) if texts.count(x) == 1}

        async def go():
            for t in conv.turns:
                await self._backend.save_memory(data.turn_text(t), user_id=conv.sample_id,
                                                metadata=data.turn_metadata(t))
        self._loop.run_until_complete(go())

    def search(self, conv, question, k, mode):
        if mode == "hybrid":
            coro = self._backend.hybrid_search(question, user_id=conv.sample_id, top_k=k)
        else:
            coro = self._backend.search_memories(question, user_id=conv.sample_id, top_k=k)
        out = []
        for r in self._loop.run_until_complete(coro):
            meta = r.memory.metadata or {}
            if "dia_id" in meta:
                out.append(meta["dia_id"])
            elif r.memory.content in self._by_text:
                # headroom's FTS5 path returns rows without their metadata; the
                # text identifies the turn (only texts unique in the conversation).
                out.append(self._by_text[r.memory.content])
            else:  # not one of our turns, or an ambiguous text: counted, no credit
                HeadroomSystem.unmatched_results += 1
                if HeadroomSystem.unmatched_results <= 3:
                    print(f"    result without dia_id: {r.memory.content[:80]!r} {meta}",
                          file=sys.stderr)
                out.append(f"?{r.memory.id}")
        return out

    def close(self) -> None:
        self._loop.run_until_complete(self._backend.close())
        self._dir.cleanup()


def main() -> None:
    args = parse_args(__doc__)
    os.environ["OPENAI_BASE_URL"] = args.base_url
    loop = asyncio.new_event_loop()
    results = harness.evaluate("headroom", lambda: HeadroomSystem(loop), conversations(args),
                               modes=MODES)
    write(args, results, {"version": version("headroom-ai"),
                          "embed_server": embed_stats(args.base_url),
                          "unmatched_results": HeadroomSystem.unmatched_results,
                          "config": "LocalBackend, openai embedder via OPENAI_BASE_URL -> local "
                                    "all-MiniLM-L6-v2 server"})


if __name__ == "__main__":
    main()
