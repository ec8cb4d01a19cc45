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


def test_readme_with_memory_example_runs_as_written_in_two_processes(tmp_path):
    """The headline example, unchanged, against a local scripted model: the
    OpenAI SDK reads OPENAI_BASE_URL and OPENAI_API_KEY from the environment."""
    example = [b for b in blocks("python") if "with_memory(OpenAI()" in b][0]
    first, second = example.split("# later, in a new process and a new conversation:")
    imports = "\n".join(line for line in first.splitlines() if line.startswith(("from ", "import ")))
    sys.path.insert(0, str(Path(__file__).parent))
    from openai_fake_server import FakeOpenAIServer, message_text

    with FakeOpenAIServer() as server:
        env = dict(os.environ, OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="test-key")
        for code in (first, imports + "\n" + second):
            proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=300)
            assert proc.returncode == 0, proc.stderr
        latest = message_text(server.last_messages()[-1]["content"])
    assert "What language should I use?" in latest
    assert "Python for backend work" in latest  # recalled from the first process
    assert (tmp_path / "stratamem.db").exists()


def test_readme_memory_examples_each_run_in_a_fresh_directory(tmp_path):
    # Each block as written, alone, in its own empty directory: none leans on another.
    outputs = []
    for i, code in enumerate(b for b in blocks("python") if "with_memory(OpenAI()" not in b):
        (tmp_path / str(i)).mkdir()
        proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / str(i), capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    assert len(outputs) == 2
    assert "'total': 2" in outputs[1]  # bob sees his user-level fact and the s1 session fact


def test_readme_cli_examples_run(tmp_path):
    cli_block = [b for b in blocks("bash") if "stratamem add" in b][0]
    outputs = []
    for line in cli_block.strip().splitlines():
        proc = subprocess.run(shlex.split(line), cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, (line, proc.stderr)
        outputs.append(proc.stdout)
    assert "Project uses uv" in outputs[1]
    assert "Project uses uv" in (tmp_path / "backup.jsonl").read_text()
