"""First-use friction of the CLI: commands that do not embed never load the
model's weights, a mistyped command names the closest one, and import draws a
progress bar with an ETA on a terminal. Real store files, the real model."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from pathlib import Path

import pytest

from stratamem import bundled_model_dir
from test_cli import assert_one_line_error, cli_env, console_script, run_cli

pytestmark = pytest.mark.model


def config_only_model(tmp_path: Path) -> Path:
    """The real model directory without its weights: a store opens with it (the
    id and dimension come from config.json), an embedding cannot."""
    source = Path(bundled_model_dir())
    target = tmp_path / "all-MiniLM-L6-v2"
    target.mkdir()
    for item in source.iterdir():
        if item.name != "model.safetensors":
            (target / item.name).symlink_to(item)
    return target


def test_commands_that_do_not_embed_never_load_the_weights(tmp_path: Path):
    db = tmp_path / "store.db"
    first = run_cli("add", "Project uses uv, not pip", "--user", "team", db=db).stdout.strip()
    second = run_cli("add", "Bob prefers dark mode", "--user", "bob", db=db).stdout.strip()
    env = cli_env(STRATAMEM_MODEL_DIR=str(config_only_model(tmp_path)))

    assert "Project uses uv" in run_cli("list", "--user", "team", db=db, env=env).stdout
    assert "Project uses uv" in run_cli("get", first, db=db, env=env).stdout
    assert json.loads(run_cli("stats", "--json", db=db, env=env).stdout)["total"] == 2
    exported = run_cli("export", "--with-vectors", db=db, env=env).stdout
    assert exported.count("\n") == 2
    run_cli("delete", second, db=db, env=env)
    run_cli("clear", "--user", "team", "--yes", db=db, env=env)
    # Records that carry their vectors import without the weights, too.
    (tmp_path / "back.jsonl").write_text(exported)
    run_cli("import", str(tmp_path / "back.jsonl"), db=tmp_path / "copy.db", env=env)

    # What embeds does need them, and says which file is missing.
    for args in (("search", "package manager", "--user", "team"), ("add", "new fact", "--user", "team")):
        assert_one_line_error(run_cli(*args, db=db, env=env, expect=None), 9, "model.safetensors")


def test_mistyped_command_names_the_closest(tmp_path: Path):
    done = run_cli("serach", "foo", "--user", "u", expect=None)
    assert_one_line_error(done, 2, "unknown command 'serach'", "did you mean 'search'?")
    done = run_cli("--json", "lst", expect=None)
    assert done.returncode == 2
    assert "did you mean 'list'?" in json.loads(done.stdout)["error"]["message"]
    # Nothing close: no guess, but the list of commands.
    done = run_cli("frobnicate", expect=None)
    assert_one_line_error(done, 2, "unknown command 'frobnicate'", "commands: add ")
    assert "did you mean" not in done.stderr


def test_import_draws_a_progress_bar_with_eta_on_a_terminal(tmp_path: Path):
    db = tmp_path / "store.db"
    run_cli("add", "a template fact", "--user", "u", db=tmp_path / "src.db")
    template = json.loads(run_cli("export", "--with-vectors", db=tmp_path / "src.db").stdout)
    lines = [json.dumps({**template, "id": f"imported-{i}", "content": f"imported fact {i}"})
             for i in range(40)]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    controller, terminal = pty.openpty()  # stderr is a terminal, as in a user's shell
    try:
        done = subprocess.run([console_script(), "import", str(tmp_path / "in.jsonl"), "--db", str(db)],
                              stdout=subprocess.PIPE, stderr=terminal, env=cli_env(), timeout=300)
        os.close(terminal)
        terminal = -1
        drawn = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the child side is closed and drained
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        if terminal >= 0:
            os.close(terminal)
        os.close(controller)
    assert done.returncode == 0
    assert b"imported 40 memories" in done.stdout
    text = drawn.decode(errors="replace")
    assert "import [" in text and "40/40" in text and "ETA " in text, text
    # Without a terminal (a pipe, as in the other tests) there is no bar at all.
    piped = run_cli("import", str(tmp_path / "in.jsonl"), db=tmp_path / "other.db")
    assert "[" not in piped.stderr
