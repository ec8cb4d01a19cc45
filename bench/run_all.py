"""Runs the benchmarks in sequence and leaves their results in bench/results/.

    python3 bench/run_all.py            # what `make bench` runs
    python3 bench/run_all.py --quick    # smaller sizes, for a smoke run

Each benchmark prints its own table; docs/benchmarks.md records the numbers of
a full run with the machine they were measured on. Never run by the tests:
timings are measured here, not asserted.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(cmd: list[str]) -> None:
    print(f"\n$ {' '.join(cmd)}", flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    parser.add_argument("--build", default=os.environ.get("BUILD") or subprocess.check_output(
                            [sys.executable, "scripts/build_dir.py"], cwd=ROOT, text=True).strip(),
                        help="build directory holding bench/store_bench (make passes its own)")
    args = parser.parse_args()
    model_dir = subprocess.check_output([sys.executable, "scripts/model_dir.py"], cwd=ROOT, text=True).strip()
    py = sys.executable
    run([py, "bench/embed_bench.py"] + (["--repeat", "50"] if args.quick else []))
    sizes = "10000" if args.quick else "10000,100000"
    run([str(ROOT / args.build / "bench" / "store_bench"), "--model-dir", model_dir, "--sizes", sizes,
         "--ops", "50" if args.quick else "200", "--out", "bench/results/store.json"])
    run([py, "bench/ann_bench.py"] + (["--synthetic", "20000", "--skip-locomo"] if args.quick else []))
    for optional in ("bench/wrapper_bench.py", "bench/serve_bench.py"):
        if (ROOT / optional).exists():
            run([py, optional])


if __name__ == "__main__":
    main()
