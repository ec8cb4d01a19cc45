"""Issue 9: /openapi.json is as strict as the server. schemathesis (PyPI)
generates requests from the document against the real `stratamem serve`:
data the schema admits must be accepted, data it refuses must be refused
(4xx), and nothing may answer 5xx. Bounded: a fixed number of examples per
operation and a fixed seed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from test_serve_rest import ServeProcess

pytestmark = pytest.mark.model

CHECKS = "not_a_server_error,positive_data_acceptance,negative_data_rejection,response_schema_conformance"


def schemathesis(url: str, cwd: Path, checks: str, *selection: str) -> subprocess.CompletedProcess:
    exe = shutil.which("schemathesis")
    if exe is None:
        pytest.fail("schemathesis is not installed (requirements-dev.txt)")
    return subprocess.run(
        [exe, "run", f"{url}/openapi.json", "--url", url, "--checks", checks, "--max-examples", "25",
         "-H", "X-Stratamem-User: st", "--generation-deterministic", "--no-color", *selection],
        # In the test's own directory: schemathesis keeps a cache (.schemathesis/) in its cwd.
        capture_output=True, text=True, timeout=900, cwd=cwd)


def test_schema_and_server_agree(tmp_path: Path) -> None:
    with ServeProcess(tmp_path / "st.db", "--quiet") as s:
        # Every memory route, both directions: what the schema admits is accepted, what it
        # refuses is refused, never a 5xx, responses as documented.
        done = schemathesis(s.url, tmp_path, CHECKS, "--include-path-regex", "^/v1/(memories|stats|graph)",
                            "--exclude-operation-id", "saveMemory")
        assert done.returncode == 0, (done.stdout + done.stderr)[-6000:]
        # Saving: a session, agent or turn level needs its ids, which may come from the body
        # or the X-Stratamem-* headers; a body schema cannot say "or a header", so here the
        # schema is looser than the server by exactly that (docs/serve.md) and the
        # acceptance check is left out.
        done = schemathesis(s.url, tmp_path, CHECKS.replace("positive_data_acceptance,", ""),
                            "--include-operation-id", "saveMemory")
        assert done.returncode == 0, (done.stdout + done.stderr)[-6000:]
