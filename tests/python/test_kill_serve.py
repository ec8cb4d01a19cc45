"""Kill tests for `stratamem serve` and the CLI (issue 9), like test_kill.py
for the Python API: writers are SIGKILLed mid-stream; afterwards every
acknowledged id is present, PRAGMA integrity_check is ok, and the most recent
acknowledged facts are found by search (so the derived indexes recovered)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import threading
from pathlib import Path

import httpx
import pytest

from test_cli import cli_env, console_script
from test_serve_rest import ServeProcess

pytestmark = [pytest.mark.model, pytest.mark.slow]

ROUNDS = 20 if os.environ.get("STRATAMEM_SOAK") == "1" else 3


def check_store(db: Path, acknowledged: list[tuple[str, str]], search) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {row[0] for row in conn.execute("SELECT id FROM memories")}
    conn.close()
    assert {mid for mid, _ in acknowledged} <= ids
    for mid, text in acknowledged[-3:]:
        assert mid in search(text), text


def test_acknowledged_rest_saves_survive_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "kill-serve.db"
    acknowledged: list[tuple[str, str]] = []
    rng = random.Random(9)
    for round_ in range(ROUNDS):
        with ServeProcess(db, "--quiet") as s:
            stop = threading.Event()
            lock = threading.Lock()

            def writer(worker: int) -> None:
                with httpx.Client(base_url=s.url, headers={"X-Stratamem-User": "k"}, timeout=30) as c:
                    i = 0
                    while not stop.is_set():
                        text = f"round {round_} worker {worker} wrote fact {i} about kill recovery"
                        try:
                            r = c.post("/v1/memories", json={"content": text, "dedup": False})
                        except httpx.HTTPError:
                            return  # the server died under us: that save was never acknowledged
                        if r.status_code == 201:
                            with lock:
                                acknowledged.append((r.json()["id"], text))
                        i += 1

            threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
            for t in threads:
                t.start()
            target = len(acknowledged) + rng.randint(20, 80)
            while len(acknowledged) < target and s.proc.poll() is None:
                stop.wait(0.01)
            s.proc.send_signal(signal.SIGKILL)
            s.proc.wait(30)
            stop.set()
            for t in threads:
                t.join()
    with ServeProcess(db, "--quiet") as s, s.client("k") as c:
        def search(text: str) -> set[str]:
            hits = c.post("/v1/memories/search", json={"query": text, "top_k": 10}).json()["results"]
            return {h["id"] for h in hits}
        check_store(db, acknowledged, search)
    print(f"\nserve kill test: {ROUNDS} SIGKILLs, {len(acknowledged)} acknowledged saves, none lost")


def test_acknowledged_cli_adds_survive_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "kill-cli.db"
    acknowledged: list[tuple[str, str]] = []
    killed = 0
    rng = random.Random(11)
    for i in range(ROUNDS * 3):
        text = f"cli fact {i} about kill recovery"
        proc = subprocess.Popen([console_script(), "add", "--db", str(db), "--user", "k", text],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env())
        if i % 3 == 2:  # every third add is killed at a random moment (model load, embed or commit)
            try:
                proc.wait(rng.uniform(0.05, 1.5))
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                killed += 1
        out, _ = proc.communicate(timeout=120)
        if proc.returncode == 0:
            acknowledged.append((out.strip().splitlines()[-1], text))
    done = subprocess.run([console_script(), "search", "--db", str(db), "--user", "k", "--json", "x"],
                          capture_output=True, text=True, env=cli_env(), timeout=120)
    assert done.returncode == 0, done.stderr

    def search(text: str) -> set[str]:
        import json
        r = subprocess.run([console_script(), "search", "--db", str(db), "--user", "k", "--json",
                            "--top-k", "10", text], capture_output=True, text=True, env=cli_env(), timeout=120)
        return {h["id"] for h in json.loads(r.stdout)}
    check_store(db, acknowledged, search)
    print(f"\ncli kill test: {killed} SIGKILLs, {len(acknowledged)} acknowledged adds, none lost")
