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


def test_schema_and_server_agree(tmp_path: Path) -> None:
    exe = shutil.which("schemathesis")
    if exe is None:
        pytest.fail("schemathesis is not installed (requirements-dev.txt)")
    with ServeProcess(tmp_path / "st.db", "--quiet") as s:
        done = subprocess.run(
            [exe, "run", f"{s.url}/openapi.json", "--url", s.url, "--checks", CHECKS,
             "--max-examples", "25", "--seed", "9", "-H", "X-Stratamem-User: st",
             "--generation-deterministic",
             "--include-path-regex", "^/v1/(memories|stats)", "--no-color"],
            capture_output=True, text=True, timeout=900)
    tail = (done.stdout + done.stderr)[-6000:]
    assert done.returncode == 0, tail
