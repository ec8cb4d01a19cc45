"""The README cannot drift: its Python blocks run as written and its CLI block
runs against a real store."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def blocks(lang):
    return re.findall(rf"```{lang}\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_starts_with_the_two_commands():
    first = blocks("bash")[0].splitlines()
    assert [line.split("#")[0].strip() for line in first] == ["make demo", "make test"]


def test_readme_python_examples_run_in_order(tmp_path):
    code = "\n".join(blocks("python"))
    assert "memory.search" in code
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "app.db").exists()
    assert "'total': 2" in proc.stdout  # bob sees his user-level fact and the s1 session fact


def test_readme_cli_examples_run(tmp_path):
    cli_block = [b for b in blocks("bash") if "memstrata add" in b][0]
    outputs = []
    for line in cli_block.strip().splitlines():
        proc = subprocess.run(shlex.split(line), cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, (line, proc.stderr)
        outputs.append(proc.stdout)
    assert "Project uses uv" in outputs[1]
    assert "Project uses uv" in (tmp_path / "backup.jsonl").read_text()
