"""The project's old name survives only where it must: one line of the README
and the code that opens files written under it (docs/format.md says which)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OLD = "mem" + "strata"  # spelled in two pieces so this file is not a hit itself
# Files that may name the old project, and why.
ALLOWED = {
    "src/util/compat_names.h": "the old store and sidecar magics, accepted on open",
    "docs/format.md": "documents that those files still open",
}


def tracked_files() -> list[str]:
    if (ROOT / ".git").exists():
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        return [p for p in out.stdout.decode().split("\0") if p]
    skip = {".git", "build", "node_modules", "__pycache__", ".venv"}
    found = []
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in skip and not d.endswith(".egg-info")]
        found += [str(Path(dirpath, f).relative_to(ROOT)) for f in filenames]
    return found


def text_of(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None  # binary (charts)
    return data.decode("utf-8", errors="replace")


def test_old_name_only_in_allowed_places() -> None:
    offenders = []
    for rel in tracked_files():
        if rel in ALLOWED or not (ROOT / rel).is_file():
            continue
        text = text_of(ROOT / rel)
        if text is None:
            continue
        lines = [n for n, line in enumerate(text.splitlines(), 1) if OLD in line.lower()]
        if rel == "README.md":
            assert len(lines) == 1, f"README.md names the old project on lines {lines}; one line is allowed"
            continue
        if lines:
            offenders.append(f"{rel}:{lines[0]}")
    assert not offenders, "the old name is still in: " + ", ".join(offenders)


def test_file_names_use_the_new_name() -> None:
    assert not [p for p in tracked_files() if OLD in p.lower()]
