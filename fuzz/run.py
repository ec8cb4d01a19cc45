"""Runs every libFuzzer target in fuzz/ for a bounded time on its committed
seed corpus (fuzz/corpus/<target>/, never modified: new inputs go to a scratch
directory) and prints inputs tried and inputs per second per target.

    python fuzz/run.py --build build/fuzz --seconds 12     # make fuzz-smoke (in make test)
    python fuzz/run.py --build build/fuzz --seconds 300    # make fuzz

Exits non-zero when a target crashes; the crashing input is kept in
build/fuzz/crashes/<target>/. With --json, writes the table there too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = ["memory_block_fuzz", "stream_filter_fuzz", "jsonrpc_fuzz", "http_request_fuzz", "http_body_fuzz",
           "fts_query_fuzz"]
HERE = Path(__file__).resolve().parent


def run_target(build: Path, name: str, seconds: int) -> dict:
    exe = build / "fuzz" / name
    seeds = HERE / "corpus" / name
    crashes = build / "crashes" / name
    crashes.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"{name}-") as scratch:
        argv = [str(exe), f"-max_total_time={seconds}", "-print_final_stats=1", "-max_len=65536",
                "-rss_limit_mb=4096", "-timeout=20", f"-artifact_prefix={crashes}/", scratch, str(seeds)]
        started = time.monotonic()
        done = subprocess.run(argv, capture_output=True, text=True, errors="replace")
        elapsed = time.monotonic() - started
    log = done.stderr
    if done.returncode != 0:
        (crashes / "log.txt").write_text(log)  # the whole report, not only its tail
    units = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
    speed = re.search(r"stat::average_exec_per_sec:\s*(\d+)", log)
    return {"target": name, "ok": done.returncode == 0, "inputs": int(units.group(1)) if units else 0,
            "inputs_per_second": int(speed.group(1)) if speed else 0, "seconds": round(elapsed, 1),
            "seeds": len(list(seeds.iterdir())) if seeds.is_dir() else 0,
            "log_tail": "" if done.returncode == 0 else log[-3000:] + f"\n(whole log: {crashes / 'log.txt'})"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build/fuzz")
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--skip", default="", help="comma-separated targets not to run")
    args = parser.parse_args()
    build = Path(args.build)
    load = os.getloadavg()
    skipped = {t for t in args.skip.split(",") if t}
    rows = [run_target(build, name, args.seconds) for name in TARGETS if name not in skipped]
    if skipped:
        print(f"fuzz: not run here: {', '.join(sorted(skipped))}")
    print(f"fuzz: {args.seconds} s per target, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'target':<20} {'seeds':>6} {'inputs':>10} {'inputs/s':>9}  result")
    for r in rows:
        print(f"{r['target']:<20} {r['seeds']:>6} {r['inputs']:>10} {r['inputs_per_second']:>9}  "
              f"{'ok' if r['ok'] else 'CRASH (input kept in ' + str(build / 'crashes' / r['target']) + ')'}")
    failed = [r for r in rows if not r["ok"]]
    for r in failed:
        print(f"--- {r['target']} ---\n{r['log_tail']}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps({"seconds_per_target": args.seconds, "load": load,
                                               "targets": rows}, indent=2) + "\n")
    passed = len(rows) - len(failed)
    print(f"{passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
