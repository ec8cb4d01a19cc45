"""Every fenced block in docs/*.md either runs as written, alone, in a fresh
directory, or is marked with why it cannot (README.md's blocks are run by
test_readme.py).

- ``python`` blocks run in their own process, with the OpenAI and Anthropic SDKs
  pointed at local scripted servers (OPENAI_BASE_URL, ANTHROPIC_BASE_URL), as a
  user's shell would have it.
- ``sh`` / ``bash`` blocks run in bash with the installed ``stratamem`` on PATH.
- ``json`` / ``toml`` snippets must parse; the ``sql`` schema must execute in SQLite.
- ``text`` (command output, checked against --help by test_cli) and unlabelled
  blocks (diagrams, trees) are not programs.

A block that cannot run is preceded by ``<!-- not run: REASON -->``; the test
reports each reason, so a skip is always a decision written next to the block.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sqlite3
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
MARKER = re.compile(r"<!-- not run: (.+?) -->\s*$")
NOT_PROGRAMS = {"text": "command output", "": "a diagram or listing"}


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    lang: str
    code: str
    skip: str | None

    def __str__(self) -> str:
        return f"{self.path.name}:{self.line}"


def collect() -> list[Block]:
    out = []
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"^```(\w*)\n(.*?)^```\s*$", text, flags=re.M | re.S):
            line = text.count("\n", 0, m.start()) + 1
            before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
            marker = MARKER.search(before)
            out.append(Block(path, line, m.group(1), m.group(2), marker.group(1) if marker else None))
    return out


BLOCKS = collect()


def of(*langs: str) -> list[Block]:
    return [b for b in BLOCKS if b.lang in langs]


def test_every_block_is_of_a_known_kind():
    known = {"python", "sh", "bash", "json", "toml", "sql", "http", *NOT_PROGRAMS}
    assert not [str(b) for b in BLOCKS if b.lang not in known]
    # An "http" block is a wire-format example with elisions, never a program: it must say so.
    assert all(b.skip for b in of("http")), [str(b) for b in of("http") if not b.skip]


def test_skips_are_reported():
    skipped = [f"{b} ({b.lang}): {b.skip}" for b in BLOCKS if b.skip]
    print("\n".join(["blocks not run, and why:", *skipped]))
    assert all(len(b.skip) > 10 for b in BLOCKS if b.skip)  # a reason, not a word


@pytest.fixture(scope="module")
def openai_env():
    sys.path.insert(0, str(Path(__file__).parent))
    from anthropic_fake_server import FakeAnthropicServer
    from openai_fake_server import FakeOpenAIServer

    with FakeOpenAIServer() as server, FakeAnthropicServer() as claude:
        yield dict(os.environ, OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="test-key",
                   ANTHROPIC_BASE_URL=claude.root_url, ANTHROPIC_API_KEY="test-key")


@pytest.mark.parametrize("block", of("python"), ids=str)
def test_python_block_runs(block: Block, tmp_path: Path, openai_env: dict[str, str]):
    if block.skip:
        pytest.skip(block.skip)
    proc = subprocess.run([sys.executable, "-c", block.code], cwd=tmp_path, env=openai_env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{block}:\n{proc.stderr}"


@pytest.mark.parametrize("block", of("sh", "bash"), ids=str)
def test_shell_block_runs(block: Block, tmp_path: Path):
    if block.skip:
        pytest.skip(block.skip)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRATAMEM_DB")}
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", block.code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{block}:\n{proc.stderr}"


@pytest.mark.parametrize("block", of("json", "toml"), ids=str)
def test_config_snippet_parses(block: Block):
    if block.skip:
        pytest.skip(block.skip)
    (json.loads if block.lang == "json" else tomllib.loads)(block.code)


@pytest.mark.parametrize("block", of("sql"), ids=str)
def test_schema_executes(block: Block):
    if block.skip:
        pytest.skip(block.skip)
    db = sqlite3.connect(":memory:")
    db.executescript(block.code)
    db.close()
