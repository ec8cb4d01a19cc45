"""PrefEval explicit preferences: 20 topic files, 1,000 (preference, question) pairs.

Read from ``$STRATAMEM_PREFEVAL`` or ``../shared/data/prefeval/`` (its README:
CC BY-NC 4.0, evaluation only, never copied into this repository).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO.parent / "shared" / "data" / "prefeval"


@dataclass(frozen=True)
class Item:
    topic: str          # the topic file's stem, e.g. "lifestyle_dietary"
    index: int          # position in that file
    preference: str     # what the user said about themselves
    question: str       # the later request the preference should shape

    @property
    def key(self) -> str:
        return f"{self.topic}:{self.index}"


def data_dir(arg: str | os.PathLike[str] | None = None) -> Path:
    """``arg``, else ``$STRATAMEM_PREFEVAL``, else the shared default."""
    if arg:
        return Path(arg)
    env = os.environ.get("STRATAMEM_PREFEVAL")
    return Path(env) if env else DEFAULT_DIR


def load(path: str | os.PathLike[str] | None = None) -> list[Item]:
    """Every item of every topic, topics in name order."""
    folder = data_dir(path) / "explicit_preference"
    files = sorted(folder.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no PrefEval topic files in {folder}")
    items = []
    for f in files:
        for i, obj in enumerate(json.loads(f.read_text(encoding="utf-8"))):
            items.append(Item(f.stem, i, str(obj["preference"]).strip(),
                              str(obj["question"]).strip()))
    return items
