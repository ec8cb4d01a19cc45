"""with_memory() overhead, excluding the model call: inject (search + format),
instruct, parse and store, with the default embedded store (SQLite, fsync per
commit) and the bundled model. The "model" is an in-process object with the
SDK's shape that returns a prebuilt openai ChatCompletion at once, so what is
timed is the wrapper alone. Also: the instruction's size in tokens and the
streaming filter's cost per chunk.

Prints a table and writes bench/results/wrapper.json. Run:
    python3 bench/wrapper_bench.py [--repeat 200] [--memories 200]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from openai.types.chat import ChatCompletion

import stratamem
from stratamem import MemoryConfig, SyncMemory, _core, with_memory
from stratamem.wrap import _messages, _reply

TOPICS = ["Python", "Rust", "Go", "tea", "coffee", "jazz", "hiking", "chess", "Lyon", "vim",
          "dark mode", "tabs", "Postgres", "cats", "sci-fi", "cycling", "Debian", "sushi"]


def completion(content: str) -> ChatCompletion:
    return ChatCompletion.model_validate({
        "id": "c", "object": "chat.completion", "created": 0, "model": "gpt-4o",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})


class InstantModel:
    """chat.completions.create returning the next scripted reply immediately."""

    def __init__(self) -> None:
        self.replies: list[str] = []
        outer = self

        class Completions:
            def create(self, **kwargs):
                return completion(outer.replies.pop())

        class Chat:
            completions = Completions()

        self.chat = Chat()


def stats(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {"p50_ms": statistics.median(samples),
            "p90_ms": samples[int(len(samples) * 0.9)],
            "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
            "mean_ms": statistics.fmean(samples), "n": len(samples)}


def timed(fn, repeat: int, warmup: int = 10) -> dict:
    for i in range(warmup):
        fn(-1 - i)
    out = []
    for i in range(repeat):
        t0 = time.perf_counter_ns()
        fn(i)
        out.append((time.perf_counter_ns() - t0) / 1e6)
    return stats(out)


def token_counts() -> dict:
    text = _core.MEMORY_INSTRUCTION
    counts: dict = {"chars": len(text)}
    try:
        import bpe_openai  # tiktoken-compatible ids with the encodings bundled (offline)
        for name in ("o200k_base", "cl100k_base"):
            counts[name] = len(bpe_openai.get_encoding(name).encode(text))
        counts["tokenizer"] = f"bpe-openai {bpe_openai.__version__} (same ids as tiktoken)"
    except ImportError:
        counts["tokenizer"] = "bpe-openai not installed"
    tok = _core.NativeTokenizer(stratamem.bundled_model_dir(), max_tokens=100000)
    counts["wordpiece_minilm"] = len(tok.tokenize(text))
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--memories", type=int, default=200, help="memories the user already has")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "wrapper.json"))
    args = ap.parse_args()

    load_at_start = os.getloadavg()[0]
    tmp = tempfile.mkdtemp(prefix="wrapper-bench-")
    mem = SyncMemory(MemoryConfig(db_path=os.path.join(tmp, "bench.db")))  # defaults: FULL, native
    user = "bench-user"
    mem.save_many([{"content": f"Fact {i}: likes {TOPICS[i % len(TOPICS)]} (variant {i})",
                    "user_id": user, "importance": 0.5} for i in range(args.memories)])
    model = InstantModel()
    client = with_memory(model, user, session_id="s", memory=mem)
    question = "Which programming language should I use for my backend?"
    messages = [{"role": "system", "content": "You are helpful."},
                {"role": "user", "content": question}]

    # Every call asks something new, as a conversation does: a repeated question
    # would be answered by the query and embedding caches (0.1 ms), which says
    # nothing about the first time a question is asked.
    # Questions of the same shape and length as `question`, none asked twice
    # (each row of the table takes its own slice).
    things = ["programming language", "database", "editor", "web framework", "test runner",
              "package manager", "cloud provider", "linter"]
    areas = ["backend", "frontend", "CLI", "data pipeline", "mobile app", "scripts", "API", "tests",
             "prototype", "service"]
    variants = [f"Which {t} should I use for my {a}{w}?" for w in ("", " now", " today", " next",
                                                                   " here", " again", " first", " later")
                for t in things for a in areas]
    slices = {"call True": 0, "call False": 1, "inject": 2}

    def asked(i: int, row: str) -> list[dict]:
        q = variants[(slices[row] * args.repeat + i) % len(variants)]
        return [messages[0], {"role": "user", "content": q}]

    def full_call(i: int, with_fact: bool) -> None:
        block = ('\n\n<memory>{"memories": [{"content": "Bench fact number %d about %s", '
                 '"scope": "user", "importance": 0.6}]}</memory>' % (i + 10**6 * with_fact,
                                                                      TOPICS[i % len(TOPICS)]))
        model.replies.append("Use Python." + (block if with_fact else '\n\n<memory>{"memories": []}</memory>'))
        client.chat.completions.create(model="gpt-4o", messages=asked(i, f"call {with_fact}"))

    binding = client._binding
    plan = _messages.plan_call({"messages": messages, "model": "gpt-4o"})
    recall = binding.recall(question)
    reply = 'Use Python.\n\n<memory>{"memories": [{"content": "Prefers Python", "scope": "user", "importance": 0.8}]}</memory>'

    rows = {
        "call, reply stores 1 new fact (total)": timed(lambda i: full_call(i, True), args.repeat),
        "call, reply with empty block (total)": timed(lambda i: full_call(i, False), args.repeat),
        "inject: search + format": timed(lambda i: binding.recall(asked(i, "inject")[1]["content"]),
                                        args.repeat),
        "inject, question asked before (cache hit)": timed(lambda i: binding.recall(question), args.repeat),
        "instruct + inject: build messages": timed(
            lambda i: _messages.build_messages(plan, recall.block), args.repeat),
        "parse: strip response": timed(lambda i: _reply.strip_response(completion(reply)),
                                       args.repeat),
        "store: save 1 fact": timed(lambda i: binding.store(
            _core.parse_reply(reply.replace("Python", f"Python v{i + 5000}")).facts,
            model="gpt-4o", recalled=[]), args.repeat),
    }
    # Streaming: the filter's cost per chunk (4-char chunks of a 600-char reply).
    long_reply = "word " * 100 + reply
    pieces = [long_reply[i:i + 4] for i in range(0, len(long_reply), 4)]

    def stream_once(i: int) -> None:
        f = _core.StreamFilter()
        for p in pieces:
            f.feed(p)
        f.finish()
    stream = timed(stream_once, args.repeat)
    stream_per_chunk_us = stream["p50_ms"] * 1000 / len(pieces)

    tokens = token_counts()
    result = {
        "bench": "wrapper_overhead",
        "machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                    "python": platform.python_version(),
                    "load_average_at_start": load_at_start},
        "store": {"memories_of_user": args.memories, "durability": "full (fsync per commit)",
                  "embedder": "native all-MiniLM-L6-v2, 1 thread", "top_k": 5},
        "rows": rows,
        "stream_filter_us_per_chunk_p50": stream_per_chunk_us,
        "instruction_tokens": tokens,
    }
    print(f"with_memory overhead (model call excluded), {args.memories} memories, "
          f"{args.repeat} runs, default store (fsync), native embedder, "
          f"load average {load_at_start:.2f} on {os.cpu_count()} cores")
    print(f"{'step':45s} {'p50 ms':>8s} {'p90 ms':>8s} {'p99 ms':>8s}")
    for name, r in rows.items():
        print(f"{name:45s} {r['p50_ms']:8.2f} {r['p90_ms']:8.2f} {r['p99_ms']:8.2f}")
    print(f"{'stream filter per 4-char chunk (us, p50)':45s} {stream_per_chunk_us:8.2f}")
    print(f"instruction: {tokens}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")
    mem.close()


if __name__ == "__main__":
    main()
