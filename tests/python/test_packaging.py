"""Packaging: the build scripts honour pip's index settings (corporate mirrors),
the model package's manifest matches its files, and the installed package has
one CLI binary. Servers run on 127.0.0.1 and stop with the test."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import stratamem
from stratamem import _cli, _model

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def mirror(tmp_path: Path):
    """A PEP 503 index on loopback offering a usearch sdist that is not the real one."""
    (tmp_path / "simple" / "usearch").mkdir(parents=True)
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "usearch-2.26.6.tar.gz").write_bytes(b"not the pinned sdist")
    (tmp_path / "simple" / "usearch" / "index.html").write_text(
        '<a href="../../files/usearch-2.26.6.tar.gz">usearch-2.26.6.tar.gz</a>')
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/simple"
    server.shutdown()
    server.server_close()


def fetch_usearch(dest: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    return subprocess.run([sys.executable, str(REPO / "scripts" / "fetch_usearch.py"), str(dest)],
                          capture_output=True, text=True, timeout=120, env={**clean, **env})


@pytest.mark.parametrize("how", ["PIP_INDEX_URL", "pip.conf"])
def test_fetch_usearch_uses_pips_index(mirror: str, tmp_path: Path, how: str):
    # The mirror's file is fetched (its hash is then refused): the configured
    # index was used, not pypi.org.
    if how == "PIP_INDEX_URL":
        done = fetch_usearch(tmp_path / "out", PIP_INDEX_URL=mirror)
    else:
        conf = tmp_path / "pip.conf"
        conf.write_text(f"[global]\nindex-url = {mirror}\n")
        done = fetch_usearch(tmp_path / "out", PIP_CONFIG_FILE=str(conf))
    assert done.returncode != 0
    assert "has sha256 " + hashlib.sha256(b"not the pinned sdist").hexdigest() in done.stderr
    assert not (tmp_path / "out" / "include").exists()


def test_fetch_usearch_unreachable_index_is_one_line(tmp_path: Path):
    done = fetch_usearch(tmp_path / "out", PIP_INDEX_URL="http://127.0.0.1:9/simple")
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and "cannot read the package index" in done.stderr


def test_model_manifest_matches_the_files():
    directory = Path(_model.bundled_model_dir())
    manifest = json.loads((directory / _model.MANIFEST).read_text())
    assert manifest["id"] == _model.DEFAULT_MODEL and manifest["dimension"] == 384
    assert {"LICENSE", "NOTICE", "model.safetensors", "config.json"} <= set(manifest["files"])
    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((directory / rel).read_bytes()).hexdigest() == digest, rel
    assert _model.bundled_model_dir(manifest["name"]) == str(directory)


def test_one_cli_binary_and_no_unrelated_dependencies():
    from importlib import metadata

    dist = metadata.distribution("stratamem")
    # The one compiled binary is inside the package; bin/stratamem on PATH is the
    # console script (Python), not a second copy.
    named = [f for f in dist.files or [] if f.name == "stratamem"]
    elf = [str(f) for f in named if Path(f.locate()).read_bytes()[:4] == b"\x7fELF"]
    assert elf == ["stratamem/bin/stratamem"]
    assert all(Path(f.locate()).read_bytes()[:2] == b"#!" for f in named if str(f) not in elf)
    assert _cli.binary_path().is_file()
    assert [r.split(";")[0].replace(" ", "") for r in dist.requires or []
            if "extra ==" not in r] == ["stratamem-model-minilm==1.0.0"]


def test_cli_shim_does_not_import_the_engine():
    # The console script's import path stays light: no engine, no asyncio.
    code = ("import sys, stratamem._cli, stratamem._model; stratamem._model.bundled_model_dir();"
            "print(sorted(m for m in ('stratamem._core', 'asyncio', 'stratamem.memory') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert stratamem.Memory is stratamem.memory.Memory  # and the lazy names still resolve
