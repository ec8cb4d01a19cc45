"""Embedding latency of the native encoder (all-MiniLM-L6-v2), through stratamem._core.

Prints a table and writes bench/results/embed.json. Reports wall time and the
calling thread's CPU time per call: on this shared 2-core machine the CPU time is
the number that does not depend on what other processes are doing (the encoder
runs on the calling thread). Run:  python3 bench/embed_bench.py [--repeat 300]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

from tokenizers import Tokenizer

import stratamem
from stratamem import _core

SHORT = "The user prefers dark mode in the editor at night."  # 12 word pieces + CLS/SEP
MEDIUM = ("Yesterday the team agreed to migrate the billing service from the legacy "
          "monolith to the new event driven architecture, starting with invoices, "
          "then refunds, and finally the reporting pipeline that finance depends on.")
LONG = " ".join(["memory consolidation across agent sessions"] * 60)  # truncated to 256


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def measure(embedder, texts: list[str], repeat: int) -> dict:
    for _ in range(max(3, repeat // 20)):  # warm up: workspace growth, page faults
        embedder.embed(texts)
    samples, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
        embedder.embed(texts)
        cpu.append((time.thread_time_ns() - c0) / 1e6)
        samples.append((time.perf_counter_ns() - t0) / 1e6)
    samples.sort()
    per_call = {
        "p50_ms": statistics.median(samples),
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
        "mean_ms": statistics.fmean(samples),
        "cpu_p50_ms": statistics.median(cpu),
    }
    per_call["per_sentence_p50_ms"] = per_call["p50_ms"] / len(texts)
    return per_call


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=300)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "embed.json"))
    args = ap.parse_args()

    load_at_start = os.getloadavg()[0]
    model_dir = stratamem.bundled_model_dir()
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.enable_truncation(256)
    tok.no_padding()  # tokenizer.json pads to 128
    t0 = time.perf_counter()
    embedder = _core.Embedder(model_dir=model_dir, batch_size=32)
    load_ms = (time.perf_counter() - t0) * 1000

    cases = [
        ("short, single", [SHORT], args.repeat),
        ("short, batch of 32", [SHORT] * 32, max(10, args.repeat // 10)),
        ("medium, single", [MEDIUM], args.repeat // 2),
        ("long (256 tokens), single", [LONG], max(10, args.repeat // 10)),
    ]
    rows = []
    for name, texts, repeat in cases:
        r = measure(embedder, texts, repeat)
        r.update(case=name, tokens=len(tok.encode(texts[0]).ids), batch=len(texts), repeat=repeat)
        rows.append(r)

    print(f"native encoder {embedder.model_id}, {cpu_model()}, load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    print(f"model load: {load_ms:.0f} ms")
    print(f"{'case':28} {'tokens':>6} {'batch':>5} {'p50 ms':>8} {'p99 ms':>8} {'cpu p50':>8} "
          f"{'ms/sentence':>12}")
    for r in rows:
        print(f"{r['case']:28} {r['tokens']:>6} {r['batch']:>5} {r['p50_ms']:>8.2f} "
              f"{r['p99_ms']:>8.2f} {r['cpu_p50_ms']:>8.2f} {r['per_sentence_p50_ms']:>12.2f}")

    result = {
        "model": embedder.model_id,
        "dimension": embedder.dimension,
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "load_average_at_start": load_at_start,
        "load_average_at_end": os.getloadavg()[0],
        "model_load_ms": load_ms,
        "cases": rows,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
