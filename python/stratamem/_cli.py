"""The ``stratamem`` console script: a shim that runs the compiled CLI.

The command-line tool is C++ (``tools/`` in the source tree) and is installed
inside this package at ``stratamem/bin/stratamem`` (the wheel's only copy). This
shim points it at the installed default model (``STRATAMEM_MODEL_DIR``, unless
already set) and then replaces the Python process with it, so exit codes,
stdin/stdout and signals are the binary's own. It imports neither the engine
nor asyncio (``stratamem/__init__`` is lazy), so it adds little to start-up.

``python -m stratamem._cli --write-docs [docs/cli.md]`` regenerates the help
blocks in ``docs/cli.md`` (a test checks they match ``--help``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["main", "binary_path", "render_help_blocks", "write_docs"]

# Overrides the binary's location (e.g. a build directory while developing).
BINARY_ENV = "STRATAMEM_CLI_BINARY"
MODEL_ENV = "STRATAMEM_MODEL_DIR"
# Every subcommand, in the order docs/cli.md shows them.
COMMANDS = ("add", "search", "list", "get", "delete", "clear", "stats", "export", "import", "ingest", "graph",
            "mcp", "serve")
# Commands that do not open a store (no --db, scope or embedder options), also documented.
MODEL_COMMANDS = ("models", "models pull")
BEGIN_MARKER = "<!-- BEGIN GENERATED HELP: python -m stratamem._cli --write-docs -->"
END_MARKER = "<!-- END GENERATED HELP -->"


def binary_path() -> Path:
    """Where the compiled ``stratamem`` binary is."""
    override = os.environ.get(BINARY_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parent / "bin" / "stratamem"


def _bundled_model_dir() -> str | None:
    """The default model's directory, or None when it cannot be found (the
    binary then explains how to pass --model-dir)."""
    from ._model import bundled_model_dir  # reads manifests only: no engine import

    try:
        return bundled_model_dir()
    except Exception:  # noqa: BLE001 - any failure here means "not installed"; the binary reports it
        return None


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get(MODEL_ENV):
        model_dir = _bundled_model_dir()
        if model_dir:
            env[MODEL_ENV] = model_dir
    return env


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``stratamem`` console script: execs the binary."""
    args = sys.argv[1:] if argv is None else list(argv)
    binary = binary_path()
    if not os.access(binary, os.X_OK):
        sys.stderr.write(
            f"stratamem: error: the compiled stratamem binary is missing at {binary}; "
            "reinstall the package (pip install stratamem)\n"
        )
        return 10  # the documented exit code for an internal error
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(binary, [str(binary), *args], _environment())
    return 0  # not reached: execve replaces the process


def _help(binary: Path, command: str | None) -> str:
    argv = [str(binary), *(command.split() if command else []), "--help"]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return done.stdout.rstrip() + "\n"


def render_help_blocks(binary: Path | None = None) -> str:
    """The Markdown that docs/cli.md holds between its markers: the output of
    ``stratamem --help`` and of each subcommand's ``--help``."""
    binary = binary or binary_path()
    parts = []
    for command in (None, *COMMANDS, *MODEL_COMMANDS):
        title = "stratamem --help" if command is None else f"stratamem {command} --help"
        parts.append(f"### `{title}`\n\n```text\n{_help(binary, command)}```\n")
    return "\n".join(parts)


def write_docs(path: Path, binary: Path | None = None) -> bool:
    """Replaces the generated region of ``path``; returns True if it changed."""
    text = path.read_text(encoding="utf-8")
    start = text.index(BEGIN_MARKER) + len(BEGIN_MARKER)
    end = text.index(END_MARKER)
    updated = text[:start] + "\n\n" + render_help_blocks(binary) + "\n" + text[end:]
    if updated == text:
        return False
    path.write_text(updated, encoding="utf-8")
    return True


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--write-docs":
        target = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/cli.md")
        changed = write_docs(target)
        print(f"{target}: {'updated' if changed else 'already up to date'}")
        sys.exit(0)
    sys.exit(main())
