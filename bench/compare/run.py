"""Run mem0 and headroom-ai on LoCoMo, each in its own venv, against one local
OpenAI-compatible embedding server (stratamem's native all-MiniLM-L6-v2).

    bash bench/compare/setup_venvs.sh          # once
    python3 bench/compare/run.py [--systems mem0,headroom] [--convs conv-26,...]

Writes bench/results/compare-<system>.json; a system that fails is recorded with
its exit code and the tail of its error output instead of numbers.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VENVS = REPO / "build" / "bench-venvs"
RESULTS = REPO / "bench" / "results"
ADAPTERS = {"mem0": "mem0_adapter.py", "headroom": "headroom_adapter.py"}


def start_server() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, str(HERE / "embed_server.py"), "--port", "0"],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().split()
    if len(line) != 2 or line[0] != "PORT":
        proc.kill()
        raise SystemExit(f"embed server did not start: {line}")
    return proc, f"http://127.0.0.1:{line[1]}/v1"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--systems", default="mem0,headroom")
    ap.add_argument("--convs", help="comma-separated sample ids (default: all 10)")
    ap.add_argument("--data")
    args = ap.parse_args()
    server, base_url = start_server()
    try:
        for name in args.systems.split(","):
            python = VENVS / name / "bin" / "python"
            out = RESULTS / f"compare-{name}.json"
            cmd = [str(python), ADAPTERS[name], "--base-url", base_url, "--out", str(out)]
            if args.convs:
                cmd += ["--convs", args.convs]
            if args.data:
                cmd += ["--data", args.data]
            print(f"== {name}: {' '.join(cmd)}", flush=True)
            proc = subprocess.run(["nice", *cmd], cwd=HERE, stderr=subprocess.PIPE, text=True)
            sys.stderr.write(proc.stderr[-4000:])
            if proc.returncode != 0:
                out.write_text(json.dumps({name: {"system": name, "error": {
                    "exit_code": proc.returncode, "stderr_tail": proc.stderr[-2000:]}}},
                    indent=1) + "\n")
    finally:
        server.terminate()
        server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
