"""Start-up cost of each CLI command, as a user types it: the `stratamem`
console script on PATH (Python shim + the compiled binary), on a small store.

Prints a table (p50 over --repeat runs: wall time, and the CPU time of the
child processes, which does not depend on what else the machine runs) and
writes bench/results/cli.json. Run:  python3 bench/cli_bench.py [--cli stratamem]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    c0, t0 = child_cpu(), time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return (time.perf_counter() - t0) * 1000, (child_cpu() - c0) * 1000, done.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli", default=shutil.which("stratamem") or "stratamem")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "cli.json"))
    args = ap.parse_args()

    load_at_start = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="cli-bench-"))
    env = dict(os.environ, STRATAMEM_DB=str(work / "bench.db"))
    cli = [args.cli]

    def add(text: str, user: str = "u") -> str:
        return timed(cli + ["add", text, "--user", user], env)[2].strip()

    for i in range(20):
        add(f"fact number {i} about the project", "u")
    keep = add("the memory that get reads")

    # Each command: a function giving its argv (fresh ids where it consumes one).
    commands = {
        "list": lambda: ["list", "--user", "u"],
        "get": lambda: ["get", keep],
        "stats": lambda: ["stats"],
        "export": lambda: ["export", "--out", str(work / "out.jsonl")],
        "delete": lambda: ["delete", add("to be deleted", "d")],
        "clear": lambda: (add("to be cleared", "c"), ["clear", "--user", "c", "--yes"])[1],
        "search (embeds)": lambda: ["search", "project facts", "--user", "u"],
        "add (embeds)": lambda: ["add", f"another fact {time.time_ns()}", "--user", "u"],
    }
    rows = []
    for name, argv in commands.items():
        walls, cpus = [], []
        for _ in range(args.repeat):
            wall, cpu, _ = timed(cli + argv(), env)
            walls.append(wall)
            cpus.append(cpu)
        rows.append({"command": name, "wall_p50_ms": statistics.median(walls),
                     "cpu_p50_ms": statistics.median(cpus), "repeat": args.repeat})
    shutil.rmtree(work, ignore_errors=True)

    load_at_end = os.getloadavg()[0]
    print(f"{args.cli}; load average {load_at_start:.1f} at start, {load_at_end:.1f} at end "
          f"({os.cpu_count()} cores)")
    print(f"{'command':18} {'wall p50 ms':>12} {'cpu p50 ms':>11}")
    for r in rows:
        print(f"{r['command']:18} {r['wall_p50_ms']:>12.0f} {r['cpu_p50_ms']:>11.0f}")
    result = {"cli": args.cli, "cores": os.cpu_count(), "load_average_at_start": load_at_start,
              "load_average_at_end": load_at_end, "commands": rows}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
