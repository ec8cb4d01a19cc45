"""Smoke test of an installed wheel, run by scripts/wheel_check.sh inside a bare
Debian root (not collected by pytest): the Python API saves and finds a memory
with the bundled model, offline, and the `stratamem` command on PATH does the
same through the CLI binary in the package."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from stratamem import SyncMemory

work = Path(tempfile.mkdtemp())
with SyncMemory(db_path=str(work / "api.db")) as m:
    mid = m.save("The user's favourite editor is Helix", user_id="alice")
    m.save("The build server runs Debian", user_id="alice")
    m.save("Bob prefers Emacs", user_id="bob")
    hits = m.search("which text editor does she like?", user_id="alice")
    assert hits and hits[0].id == mid, hits
    assert all(h.user_id == "alice" for h in hits), hits
print("python api: save + search ok")

cli = shutil.which("stratamem")
assert cli, "no stratamem on PATH"
db = str(work / "cli.db")


def run(*args: str) -> str:
    return subprocess.run([cli, *args, "--db", db], check=True, capture_output=True,
                          text=True).stdout


run("add", "Project uses uv for packages", "--user", "team")
run("add", "Standup is at 9:30", "--user", "team")
found = json.loads(run("search", "package manager", "--user", "team", "--json"))
assert found and "uv" in json.dumps(found[0]), found
listed = run("list", "--user", "team")
assert "Standup" in listed, listed
print(f"cli ({cli}): add + search + list ok")
