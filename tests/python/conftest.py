"""Shared fixtures for the Python API tests: real SQLite files under tmp_path,
the real bundled model. Async tests drive the API with asyncio.run (no plugin
needed)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

import stratamem
from stratamem import MemoryConfig, SyncMemory


@pytest.fixture(scope="session")
def model_dir() -> str:
    """The bundled all-MiniLM-L6-v2 weights (resolved once per session)."""
    return stratamem.bundled_model_dir()


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "memories.db")


@pytest.fixture
def config(db_path: str, model_dir: str) -> MemoryConfig:
    return MemoryConfig(db_path=db_path, model_dir=model_dir)


@pytest.fixture
def mem(config: MemoryConfig):
    """A SyncMemory on a fresh file, closed after the test."""
    m = SyncMemory(config)
    yield m
    m.close()


@pytest.fixture(scope="session")
def shared_mem(tmp_path_factory: pytest.TempPathFactory, model_dir: str):
    """One store for the whole session, for tests that isolate themselves by
    using fresh user ids (see ``fresh_user``): the model loads once."""
    path = tmp_path_factory.mktemp("shared") / "shared.db"
    m = SyncMemory(db_path=str(path), model_dir=model_dir)
    yield m
    m.close()


def fresh_user(prefix: str = "u") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def run(coro):
    """Runs one coroutine to completion (the tests' event loop)."""
    return asyncio.run(coro)


def run_python(code: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Runs `code` in a separate Python process (same interpreter and env)."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True, text=True, timeout=timeout, env=dict(os.environ),
    )
